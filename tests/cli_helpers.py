"""The `evenhand` command run in-process for tests: its exit code, stdout and stderr."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from evenhand.cli import main


class CliRun(NamedTuple):
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> CliRun:
    """`evenhand ARGS...` through `main`, as the console script runs it (it always exits)."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    code = exit_info.value.code
    return CliRun(code if isinstance(code, int) else 1, captured.out, captured.err)
