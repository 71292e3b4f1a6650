"""The `evenhand` command line. `main` turns every failure into one line on stderr and an exit code:
0 success, 2 bad input or usage, 1 internal or engine failure (3 is `check` finding problems)."""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer

from ..errors import EvenhandError
from ..extras import missing_extra
from . import commands as _commands  # noqa: F401  (registers the commands on `app`)
from .app import app
from .errors import cli_message
from .help import use_written_help

use_written_help(app)


def _classes(name: str) -> tuple[type[BaseException], ...]:
    """`name` from click and from the copy of click that typer >= 0.2x vendors (it then no longer
    installs click), whichever are present."""
    found: list[type[BaseException]] = []
    for module in ("click.exceptions", "typer.exceptions", "typer._click.exceptions"):
        try:
            cls = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if isinstance(cls, type) and issubclass(cls, BaseException) and cls not in found:
            found.append(cls)
    return tuple(found)


_EXIT = _classes("Exit")
_ABORT = _classes("Abort")
_CLICK_ERROR = _classes("ClickException")


def _fail(message: str, code: int, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    sys.stderr.write(f"evenhand: error: {message}\n")
    sys.exit(code)


def _internal(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)"


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="evenhand", standalone_mode=False)
    except _EXIT as exc:
        sys.exit(getattr(exc, "exit_code", 0))
    except _ABORT:
        _fail("interrupted", 130, debug)
    except _CLICK_ERROR as exc:
        error: Any = exc
        error.show()
        sys.exit(error.exit_code)
    except EvenhandError as exc:
        _fail(cli_message(exc), exc.exit_code, debug)
    except KeyboardInterrupt:
        _fail("interrupted", 130, debug)
    except BrokenPipeError:
        sys.exit(1)
    except ImportError as exc:  # an optional dependency: name its extra; anything else is a bug
        missing = missing_extra(exc)
        if missing is None:
            _fail(_internal(exc), 1, debug)
        else:
            _fail(missing.message, missing.exit_code, debug)
    except Exception as exc:  # a bug: say so in one line, the traceback only with --debug
        _fail(_internal(exc), 1, debug)
    sys.exit(result if isinstance(result, int) else 0)
