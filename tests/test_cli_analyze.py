"""`evenhand analyze`, `demo` and `schema` through the real entry point (`evenhand.cli.main`).

Bad input: one clear line on stderr, exit 2, nothing on stdout and no output file left behind.
"""

from __future__ import annotations

import io
import json
import socket
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import run_cli
from evenhand.schema import Report


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


# --- bad input ---------------------------------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """Name -> (arguments, what the error line must say)."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03binary\x00")
    (tmp_path / "latin1.txt").write_bytes("Der Präsident sagte etwas.".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("word " * 200_000, encoding="utf-8")
    (tmp_path / "nav.html").write_text(
        "<html><body><nav>Home About</nav><script>x()</script></body></html>", encoding="utf-8"
    )
    good = str(tmp_path / "good.txt")
    Path(good).write_text("The council approved the budget on Tuesday.", encoding="utf-8")
    return {
        "missing": ([str(tmp_path / "missing.txt")], "file not found"),
        "empty": ([str(tmp_path / "empty.txt")], "is empty"),
        "binary": ([str(tmp_path / "binary.txt")], "looks like a binary file"),
        "non-utf8": ([str(tmp_path / "latin1.txt")], "is not UTF-8 text"),
        "1 MB": ([str(tmp_path / "huge.txt")], "the limit is 500 kB of text per article"),
        "html without text": ([str(tmp_path / "nav.html")], "no article text found"),
        "private URL": (["http://10.0.0.1/story"], "refused, 10.0.0.1 is a loopback, private"),
        "unknown format": ([good, "--format", "xml"], "unknown format 'xml'"),
        "bad outlet": ([good, "--outlet", "good"], "--outlet takes ID=NAME"),
        "outlet for no article": ([good, "--outlet", "z=RT"], "no article has the id 'z'"),
        "max words": ([good, "--max-words", "5"], "--max-words must be at least 20"),
        "model with offline": ([good, "--model", "gpt-x"], "--model only applies to --engine llm"),
        "model and url with offline": (
            [good, "--model", "gpt-x", "--base-url", "http://localhost:1/v1"],
            "--model and --base-url only apply to --engine llm",
        ),
        "dry run offline": ([good, "--dry-run"], "add --engine llm"),
        "unknown engine": ([good, "--engine", "magic"], "unknown engine 'magic'"),
    }


BAD = [
    "missing",
    "empty",
    "binary",
    "non-utf8",
    "1 MB",
    "html without text",
    "private URL",
    "unknown format",
    "bad outlet",
    "outlet for no article",
    "max words",
    "model with offline",
    "dry run offline",
    "unknown engine",
]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line_exit_2_and_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    args, message = _bad_inputs(tmp_path)[case]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli(capsys, "analyze", *args, "--output", str(out_dir / "report.json"))
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("evenhand: error: ")
    assert message in result.err
    assert "Traceback" not in result.err
    assert list(out_dir.iterdir()) == []  # no report, no temporary file


@pytest.mark.enable_socket
def test_unreachable_url_is_exit_2_and_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/story"
    output = tmp_path / "report.md"
    result = run_cli(capsys, "analyze", url, "--allow-private", "--output", str(output))
    assert result.code == 2
    assert result.err.startswith(f"evenhand: error: cannot reach {url}")
    assert result.err.count("\n") == 1
    assert not output.exists()


def test_failed_run_leaves_an_existing_output_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "report.txt"
    output.write_text("previous report", encoding="utf-8")
    result = run_cli(capsys, "analyze", str(tmp_path / "missing.txt"), "-o", str(output))
    assert result.code == 2
    assert output.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_output_into_a_missing_folder_fails_before_any_work(
    capsys: pytest.CaptureFixture[str], example_files: list[Path], tmp_path: Path
) -> None:
    output = tmp_path / "nowhere" / "report.json"
    result = run_cli(capsys, "analyze", *map(str, example_files), "-o", str(output))
    assert result.code == 2
    assert "folder" in result.err
    assert "does not exist" in result.err


def test_no_paths_shows_the_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "analyze")
    assert result.code == 2
    assert "Examples:" in result.err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "analyze", "a.txt", "--bogus")
    assert result.code == 2
    assert "No such option: --bogus" in result.err
    assert "internal error" not in result.err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = run_cli(capsys, "--debug", "analyze", str(tmp_path / "missing.txt"))
    assert result.code == 2
    assert "Traceback" in result.err
    assert result.err.rstrip().endswith(
        "evenhand: error: file not found: " + str(tmp_path / "missing.txt")
    )


# --- the bundled example, end to end -----------------------------------------------------------


def test_demo_prints_the_editors_report(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "demo")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("evenhand report")
    sections = ["NEUTRAL SUMMARY", "CONTESTED CLAIMS", "LOADED LANGUAGE", "FINDINGS"]
    positions = [out.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "[source-a]" in out
    assert "[source-b]" in out
    assert "Self-proclaimed" in out
    assert "\x1b[" not in out  # not a terminal (and NO_COLOR is set): no colour


def test_analyze_json_is_a_report_of_the_example(
    capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    result = run_cli(
        capsys,
        "analyze",
        *map(str, example_files),
        "--format",
        "json",
        "--outlet",
        "source-b=Outlet B",
    )
    assert result.code == 0, result.err
    report = Report.model_validate_json(result.out)
    assert [a.id for a in report.articles] == ["source-a", "source-b"]
    assert report.article("source-b").outlet == "Outlet B"
    assert report.provenance.engine == "offline"
    for where, span in report.all_spans():
        assert report.article(span.article_id).text[span.start : span.end] == span.text, where
    own_voice = {t.span.text for t in report.loaded_language if not t.in_quote}
    assert "Self-proclaimed" in own_voice
    assert {"disputed", "framing"} <= {c.kind for c in report.contested_claims}
    quoted = {t.span.text for t in report.loaded_language if t.in_quote}
    assert "scoundrels" in quoted


@pytest.mark.parametrize(
    ("env", "where", "tty", "expected"),
    [
        ({}, ("text", None), True, True),
        ({}, ("text", None), False, False),  # piped
        ({"NO_COLOR": "1"}, ("text", None), True, False),
        ({"TERM": "dumb"}, ("text", None), True, False),
        ({"FORCE_COLOR": "1"}, ("text", None), False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, ("text", None), False, False),
        ({}, ("markdown", None), True, False),
        ({}, ("text", "report.txt"), True, False),
    ],
)
def test_colour_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    where: tuple[str, str | None],
    tty: bool,
    expected: bool,
) -> None:
    from evenhand.cli.analyze_cmd import _use_color

    fmt, output = where
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", types.SimpleNamespace(isatty=lambda: tty))
    assert _use_color(fmt, Path(output) if output else None) is expected


def test_output_format_follows_the_extension(
    capsys: pytest.CaptureFixture[str], example_files: list[Path], tmp_path: Path
) -> None:
    for name, start in (
        ("r.html", "<!doctype html>"),
        ("r.md", "# evenhand report"),
        ("r.json", "{"),
    ):
        result = run_cli(capsys, "analyze", *map(str, example_files), "-o", str(tmp_path / name))
        assert result.code == 0, result.err
        assert result.out == ""
        assert f"wrote the report to {tmp_path / name}" in result.err
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json", "r.md"]


def test_format_wins_over_the_extension(
    capsys: pytest.CaptureFixture[str], example_files: list[Path], tmp_path: Path
) -> None:
    output = tmp_path / "report.txt"
    result = run_cli(
        capsys, "analyze", *map(str, example_files), "-f", "markdown", "-o", str(output)
    )
    assert result.code == 0, result.err
    assert output.read_text(encoding="utf-8").startswith("# evenhand report")


def test_stdin_and_a_file_together(
    capsys: pytest.CaptureFixture[str], example_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = example_files[1].read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    result = run_cli(capsys, "analyze", str(example_files[0]), "-", "-f", "json")
    assert result.code == 0, result.err
    report = Report.model_validate_json(result.out)
    assert [a.id for a in report.articles] == ["source-a", "stdin"]
    assert report.article("stdin").title == (
        "Lukashenko ready to allow Russian troops into Belarus if necessary"
    )


def test_a_folder_is_its_articles(
    capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    result = run_cli(capsys, "analyze", str(example_files[0].parent), "-f", "json")
    assert result.code == 0, result.err
    assert [a["id"] for a in json.loads(result.out)["articles"]] == ["source-a", "source-b"]


def test_demo_accepts_format(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "demo", "--format", "markdown")
    assert result.code == 0, result.err
    assert result.out.startswith("# evenhand report")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from evenhand import __version__

    result = run_cli(capsys, "--version")
    assert (result.code, result.out) == (0, f"evenhand {__version__}\n")


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "analyze", "--help")
    assert result.code == 0
    for text in ("evenhand analyze a.txt b.txt", "--outlet", "--dry-run", "Exit codes", "500 kB"):
        assert text in result.out


def test_schema_rejects_an_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "schema", "draft")
    assert result.code == 2
    assert result.err == "evenhand: error: unknown schema 'draft': choose report or check\n"


# --- dry run -----------------------------------------------------------------------------------


def test_dry_run_passes_articles_and_llm_options(
    capsys: pytest.CaptureFixture[str], example_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def dry_run(articles: list[Any], *, max_words: int, **options: Any) -> str:
        calls.append({"ids": [a.id for a in articles], "max_words": max_words, **options})
        return "the plan"

    fake = types.ModuleType("evenhand.cli.dry_run")
    fake.dry_run = dry_run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evenhand.cli.dry_run", fake)
    result = run_cli(
        capsys,
        "analyze",
        *map(str, example_files),
        "--engine",
        "llm",
        "--dry-run",
        "--model",
        "some-model",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--max-words",
        "90",
        "--seed",
        "7",
        "--structured",
        "json",
    )
    assert result.code == 0, result.err
    assert result.out == "the plan\n"
    assert calls == [
        {
            "ids": ["source-a", "source-b"],
            "max_words": 90,
            "model": "some-model",
            "base_url": "http://127.0.0.1:9/v1",
            "temperature": None,
            "seed": 7,
            "timeout": 60.0,
            "structured": "json",
        }
    ]


def test_dry_run_with_the_llm_engine_makes_no_call(
    capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    pytest.importorskip("evenhand.engines.llm")
    result = run_cli(capsys, "analyze", *map(str, example_files), "--engine", "llm", "--dry-run")
    assert result.code == 0, result.err
    assert "source-a" in result.out
    assert "source-b" in result.out
