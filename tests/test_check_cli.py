"""`evenhand check` end to end: formats, exit codes, stdin, output files, bad input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from evenhand.cli import main

DRAFT = (
    "Belarusian President Alexander Lukashenko said he would not hesitate to invite Russian "
    "troops into Belarus in the event of an extraordinary foreign threat, but that “there is no "
    "need for that now.” Lukashenko said Russian units would be deployed within 24 hours in "
    "case of a military conflict."
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def _sources(example_files: list[Path]) -> list[str]:
    return [arg for path in example_files for arg in ("--source", str(path))]


def test_clean_draft_exits_0_and_shows_the_draft(
    tmp_path: Path, example_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    code, out, _ = _run(["check", str(draft), *_sources(example_files)], capsys)
    assert code == 0
    assert "evenhand check: 2 sources" in out
    assert "Lukashenko said he would not hesitate" in out


def test_error_exits_3_and_is_marked_under_the_draft(
    tmp_path: Path, example_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT.replace("24 hours", "48 hours"), encoding="utf-8")
    code, out, _ = _run(["check", str(draft), *_sources(example_files)], capsys)
    assert code == 3
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if "48 hours" in line)
    column = lines[row].index("48")
    assert lines[row + 1][column : column + 2] == "^^"
    assert "the number “48” appears in no source" in out


def test_fail_on_warning_and_json_from_stdin(
    example_files: list[Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Self-proclaimed president " + DRAFT))
    code, out, _ = _run(
        ["check", "-", *_sources(example_files), "--format", "json", "--fail-on", "warning"],
        capsys,
    )
    assert code == 3
    data = json.loads(out)
    leak = next(f for f in data["findings"] if f["check"] == "loaded_leak")
    assert leak["severity"] == "warning"
    assert data["draft"][leak["location"]["start"] : leak["location"]["end"]] == "Self-proclaimed"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_other_formats_written_to_a_file(
    fmt: str, tmp_path: Path, example_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT.replace("24 hours", "48 hours"), encoding="utf-8")
    out_file = tmp_path / f"result.{fmt}"
    code, out, _ = _run(
        ["check", str(draft), *_sources(example_files), "-f", fmt, "-o", str(out_file)], capsys
    )
    assert code == 3
    assert out == ""
    text = out_file.read_text(encoding="utf-8")
    assert ("**48**" if fmt == "markdown" else '<mark class="error"') in text


def test_bad_input_exits_2_with_one_line_and_no_output_file(
    tmp_path: Path, example_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "out.json"
    code, _, err = _run(
        ["check", str(tmp_path / "missing.txt"), *_sources(example_files), "-o", str(out_file)],
        capsys,
    )
    assert code == 2
    assert err.startswith("evenhand: error: cannot read the draft")
    assert len(err.strip().splitlines()) == 1
    assert not out_file.exists()
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    code, _, err = _run(["check", str(empty), *_sources(example_files)], capsys)
    assert code == 2
    assert "empty" in err
    code, _, err = _run(
        ["check", str(empty), *_sources(example_files), "--fail-on", "never"], capsys
    )
    assert code == 2
    assert "--fail-on" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bin.txt", b"\x00\x01\x02binary", "the draft .*bin.txt looks like a binary file"),
        ("latin1.txt", b"caf\xe9 au lait", r"the draft .*latin1.txt is not UTF-8 text: byte 0xe9"),
        ("draft.html", b"<html><body><p>Text</p></body></html>", r"draft.html is HTML: .*plain"),
        ("huge.txt", b"word " * 120_001, r"the draft is 600 kB; the limit is 500 kB"),
        ("folder", None, r"cannot read the draft .*folder: it is a folder, not a file"),
    ],
)
def test_a_draft_that_is_not_plain_text_is_refused(  # noqa: PLR0917 - fixtures and parameters
    tmp_path: Path,
    example_files: list[Path],
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    # A binary or oversized draft used to be checked as text (exit 0, or thousands of findings).
    draft = tmp_path / name
    if content is None:
        draft.mkdir()
    else:
        draft.write_bytes(content)
    code, out, err = _run(["check", str(draft), *_sources(example_files)], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert re.search(message, err), err


def test_a_utf16_draft_is_read_and_empty_stdin_is_named(
    example_files: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(DRAFT.encode("utf-16"))
    code, out, _ = _run(["check", str(draft), *_sources(example_files), "-f", "json"], capsys)
    assert code == 0
    assert json.loads(out)["draft"] == DRAFT
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"  \n"), encoding="utf-8"))
    code, _, err = _run(["check", "-", *_sources(example_files)], capsys)
    assert code == 2
    assert "the draft on stdin is empty" in err


def test_check_refuses_a_binary_or_oversized_draft_in_python(example_files: list[Path]) -> None:
    from evenhand import check
    from evenhand.errors import InputError

    with pytest.raises(InputError, match="NUL bytes"):
        check("\x00\x01 binary", example_files)
    with pytest.raises(InputError, match="the limit is 500 kB"):
        check("word " * 120_001, example_files)
    with pytest.raises(InputError, match="must be text"):
        check(b"bytes", example_files)  # type: ignore[arg-type]
