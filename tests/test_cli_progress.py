"""The progress line of `--engine llm`: drawn and cleared on a terminal, absent everywhere else
(a pipe, a capture, --quiet, the offline engine), and never on stdout."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from evenhand.cli import main
from evenhand.cli.progress import StatusLine, status_line
from evenhand.llm.progress import ProgressEvent
from llm_fakes import completion
from test_llm_cli import ANSWER, _Server


class FakeTTY(io.StringIO):
    """A stream that says it is a terminal, with the encoding a terminal reports."""

    def __init__(self, encoding: str = "utf-8") -> None:
        super().__init__()
        self._encoding = encoding

    def isatty(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


_CONTROL = re.compile(r"\x1b\[(\??)(\d*)([A-Za-z])|[\r\n]|[^\x1b\r\n]")


def terminal(written: str) -> tuple[list[str], int]:
    """The lines a terminal shows after `written`, and the cursor's line: carriage returns and
    newlines move the cursor, `ESC[2K` blanks its line, `ESC[nA` moves it up; others are ignored."""
    lines: list[list[str]] = [[]]
    row = col = 0
    for match in _CONTROL.finditer(written):
        token = match.group(0)
        if token == "\r":
            col = 0
        elif token == "\n":
            row, col = row + 1, 0
            lines.extend([] for _ in range(row + 1 - len(lines)))
        elif match.group(3) == "K":
            lines[row] = []
        elif match.group(3) == "A" and not match.group(1):
            row = max(row - int(match.group(2) or 1), 0)
        elif match.group(3) is None:
            line = lines[row]
            line.extend(" " for _ in range(col + 1 - len(line)))
            line[col] = token
            col += 1
    return ["".join(line) for line in lines], row


def screen(written: str) -> str:
    """What a terminal shows on the cursor's line after `written`."""
    lines, row = terminal(written)
    return lines[row]


def blank(written: str) -> bool:
    """Nothing is left on the terminal after `written`."""
    return not any(line.strip() for line in terminal(written)[0])


START = ProgressEvent("start", 0, 1, detail="gpt-4.1-mini", prompt_tokens=1888)


# --- the renderer --------------------------------------------------------------------------------


def test_status_line_is_drawn_updated_and_cleared_on_a_terminal() -> None:
    tty, clock = FakeTTY(), FakeClock()
    with StatusLine(tty, clock=clock, interval=None, width=120) as line:
        line(START)
        assert screen(tty.getvalue()) == (
            "evenhand: asking gpt-4.1-mini (1 call, 1,888 prompt tokens)… 0 s"
        )
        clock.now += 7
        line.tick()
        assert screen(tty.getvalue()).endswith("prompt tokens)… 7 s")
        line(ProgressEvent("analyze", 1, 1))
        assert screen(tty.getvalue()).endswith(": checking the answer… 7 s")
    assert blank(tty.getvalue())  # removed, and the cursor on the line it started on
    assert terminal(tty.getvalue())[1] == 0


def test_extract_and_merge_stages_are_shown_in_turn() -> None:
    tty = FakeTTY()
    with StatusLine(tty, clock=FakeClock(), interval=None, width=200) as line:
        line(ProgressEvent("start", 0, 4, detail="gpt-3.5-turbo", prompt_tokens=21302))
        assert "(4 calls, 21,302 prompt tokens)" in screen(tty.getvalue())
        line(ProgressEvent("extract", 0, 3))
        line(ProgressEvent("extract", 2, 3))
        assert screen(tty.getvalue()).endswith(": extract 2/3 done… 0 s")
        line(ProgressEvent("reask", 1, 2, detail="extract"))
        assert "the extract answer was invalid, re-asking (1/2)" in screen(tty.getvalue())
        line(ProgressEvent("extract", 3, 3))
        line(ProgressEvent("merge", 0, 1))
        # Nothing of the longer line before it is left.
        assert screen(tty.getvalue()).rstrip().endswith("tokens): merging… 0 s")
    assert blank(tty.getvalue())


def test_the_line_is_cut_at_the_terminal_edge() -> None:
    tty = FakeTTY()
    with StatusLine(tty, clock=FakeClock(), interval=None, width=30) as line:
        line(START)
        line(ProgressEvent("extract", 1, 3))
        shown = screen(tty.getvalue())
        assert shown.startswith("evenhand: asking")
        assert len(shown.rstrip()) <= 30
        assert terminal(tty.getvalue())[0] == [shown]  # one line, never wrapped


def test_a_note_goes_above_the_line_and_stays() -> None:
    tty = FakeTTY()
    with StatusLine(tty, clock=FakeClock(), interval=None, width=120) as line:
        line(START)
        line.note("evenhand: waiting 2 s for the rate limit\n")
        lines, row = terminal(tty.getvalue())
        assert lines[0] == "evenhand: waiting 2 s for the rate limit"
        assert lines[row].startswith("evenhand: asking gpt-4.1-mini")
    lines, _ = terminal(tty.getvalue())
    assert [x for x in lines if x.strip()] == ["evenhand: waiting 2 s for the rate limit"]


def test_a_terminal_without_unicode_gets_three_dots() -> None:
    tty = FakeTTY(encoding="ascii")
    with StatusLine(tty, clock=FakeClock(), interval=None, width=120) as line:
        line(START)
        assert screen(tty.getvalue()).endswith("prompt tokens)... 0 s")


def test_nothing_is_drawn_before_the_plan_is_known() -> None:
    tty = FakeTTY()
    with StatusLine(tty, clock=FakeClock(), interval=None) as line:
        line.tick()
    assert tty.getvalue() == ""


def test_status_line_only_for_a_terminal_and_not_when_quiet() -> None:
    assert isinstance(status_line(quiet=False, stream=FakeTTY()), StatusLine)
    assert status_line(quiet=True, stream=FakeTTY()) is None
    assert status_line(quiet=False, stream=io.StringIO()) is None


# --- through the command line --------------------------------------------------------------------


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exited:
        main(args)
    code = exited.value.code
    return code if isinstance(code, int) else 1


def _llm(example_files: list[Path], url: str, *more: str) -> list[str]:
    files = [str(p) for p in example_files]
    return ["analyze", *files, "--engine", "llm", "--base-url", url, "--format", "json", *more]


@pytest.mark.enable_socket
def test_no_progress_when_stderr_is_not_a_terminal(
    example_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with _Server([(200, completion(ANSWER), {})]) as server:
        code = _run(_llm(example_files, server.url))
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    assert json.loads(out)["provenance"]["engine"] == "llm"


@pytest.mark.enable_socket
def test_progress_on_a_terminal_stderr_is_cleared_and_stdout_is_the_report_alone(
    example_files: list[Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    with _Server([(200, completion(ANSWER), {})]) as server:
        code = _run(_llm(example_files, server.url))
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)["summary"]  # nothing but the report on stdout
    written = tty.getvalue()
    assert "evenhand: asking gpt-4.1-mini (1 call, " in written
    assert "prompt tokens)…" in written
    assert blank(written)


@pytest.mark.enable_socket
def test_an_error_starts_on_a_cleared_line(
    example_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    with _Server([(401, {"error": {"message": "bad key"}}, {})]) as server:
        code = _run(_llm(example_files, server.url))
    assert code == 2
    before, _, error = tty.getvalue().rpartition("evenhand: error:")
    assert "asking" in before
    assert blank(before)
    assert "rejected the API key" in error


@pytest.mark.enable_socket
def test_quiet_silences_progress_and_the_written_note(
    example_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    output = tmp_path / "report.json"
    with _Server([(200, completion(ANSWER), {})]) as server:
        code = _run(_llm(example_files, server.url, "-o", str(output), "--quiet"))
    assert code == 0
    assert json.loads(output.read_text(encoding="utf-8"))["summary"]
    assert tty.getvalue() == ""


def test_the_offline_engine_shows_no_progress(
    example_files: list[Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert _run(["analyze", *map(str, example_files), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["engine"] == "offline"
    assert tty.getvalue() == ""


@pytest.mark.enable_socket
def test_demo_shows_progress_with_the_llm_engine(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    with _Server([(200, completion(ANSWER), {})]) as server:
        code = _run(["demo", "--engine", "llm", "--base-url", server.url, "-f", "json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["engine"] == "llm"
    assert "evenhand: asking" in tty.getvalue()
    assert blank(tty.getvalue())
