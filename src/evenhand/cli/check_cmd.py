"""`evenhand check`: an editor's draft against its sources, with linter-style exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import InputError, UsageError
from . import options as opt
from .app import app

CHECK_HELP = """Check a draft against its sources: quotations verbatim and rightly attributed,
numbers, dates and names found in the sources, no loaded wording in the draft's own voice, no
contested claim stated as fact, no single outlet supplying most of it, no shared key fact left out.

DRAFT is a text file, or - for stdin. Each --source is an article as for `analyze` (file, folder,
JSON, URL). The terminal output shows the draft with every finding marked and explained.

\b
Examples:
  evenhand check draft.txt --source a.txt --source b.txt
  evenhand check draft.txt -s a.txt -s b.txt --format json --output findings.json
  cat draft.txt | evenhand check - -s a.txt -s b.txt --fail-on warning

Exit codes: 0 nothing at or above --fail-on (default: error) was found; 3 something was;
2 bad input or usage; 1 engine or internal failure.
"""

DRAFT = typer.Argument(
    ..., metavar="DRAFT", help="The draft to check: a text file, or - for stdin."
)
SOURCE = typer.Option(
    ..., "--source", "-s", metavar="PATH", help="A source article (repeatable; at least one)."
)
FAIL_ON = typer.Option(
    "error",
    "--fail-on",
    metavar="LEVEL",
    help="error | warning | info: exit 3 when a finding at or above this level is found.",
)
FORMAT = typer.Option(
    None, "--format", "-f", metavar="FORMAT", help="text | markdown | json | html."
)
OUTPUT = typer.Option(
    None, "--output", "-o", metavar="FILE", help="Write the result to FILE (atomically)."
)
FINDINGS_EXIT = 3


def _read_draft(draft: str) -> str:
    if draft == "-":
        text = sys.stdin.read()
    else:
        path = Path(draft)
        if not path.is_file():
            raise InputError(f"cannot read the draft {draft}: no such file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot read the draft {draft}: not UTF-8 text") from exc
        except OSError as exc:
            raise InputError(f"cannot read the draft {draft}: {exc.strerror or exc}") from exc
    if not text.strip():
        raise InputError(f"the draft {draft} is empty: give the text to check")
    return text


@app.command(
    "check",
    help=CHECK_HELP,
    short_help="Check an editor's draft against its sources.",
    no_args_is_help=True,
)
def check_command(
    *,
    draft: str = DRAFT,
    source: list[str] = SOURCE,
    fmt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    fail_on: str = FAIL_ON,
    outlet: list[str] | None = opt.OUTLET,
    allow_private: bool = opt.ALLOW_PRIVATE,
) -> int:
    from ..checking import check
    from ..renderers import render
    from ..schema import SEVERITY_RANK
    from ..sources import load_articles
    from .analyze_cmd import _check_output, _emit, _resolve_format, _sources, _use_color

    level = fail_on.strip().lower()
    if level not in SEVERITY_RANK:
        raise UsageError(f"--fail-on takes error, warning or info, got {fail_on!r}")
    name = _resolve_format(fmt, output)
    _check_output(output)
    text = _read_draft(draft)
    if draft == "-" and "-" in source:
        raise UsageError("stdin can be read once: give the draft or a source as -, not both")
    articles = load_articles(
        _sources(source), outlets=opt.parse_outlets(outlet), allow_private=allow_private
    )
    result = check(text, articles)
    _emit(render(result, name, color=_use_color(name, output)), output, what="check")
    worst = result.worst()
    failed = worst is not None and SEVERITY_RANK[worst] >= SEVERITY_RANK[level]
    return FINDINGS_EXIT if failed else 0
