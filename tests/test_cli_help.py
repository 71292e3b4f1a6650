"""Every command's --help teaches: examples, and a word for every option's value, not a type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evenhand.cli import main

COMMANDS = [
    ["analyze"],
    ["demo"],
    ["check"],
    ["schema"],
    ["serve"],
    ["batch"],
    ["batch", "run"],
    ["batch", "status"],
    ["batch", "collect"],
    ["cache"],
    ["cache", "stats"],
    ["cache", "clear"],
    ["eval"],
    ["eval", "compare"],
    ["eval", "gate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_examples_and_named_option_values(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert re.search(r"^  Examples?:$", text, re.MULTILINE), text
    assert re.search(rf"^    evenhand {' '.join(command)}\b", text, re.MULTILINE) or (
        command in (["batch"], ["eval"], ["cache"])  # groups show their subcommands' examples
    ), text
    options = text.split("\nOptions:\n", 1)[1]
    # `--port <int>`, `--cache-dir <path>`: typer's type names where a metavar was missing.
    assert not re.search(r"--[\w-]+ <\w+>", options), options


def _help(command: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "evenhand")
def test_help_reads_as_written_by_a_person(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(command, capsys)
    usage = text.split("\n\n", 1)[0]
    # typer's own notation: `{PATH}...` in the usage line, `PATH <list[str]>`, `DRAFT <str>`.
    assert "{" not in usage, usage
    assert not re.search(r"<(?:list\[|str>|path>|int>|float>|bool>)", text), text
    # The examples come first: the description is one paragraph, then the examples.
    if "Examples:" in text or "Example:" in text:
        before = re.split(r"^  Examples?:$", text.split("\n\n", 1)[1], flags=re.MULTILINE)[0]
        assert before.strip().count("\n\n") == 0, before


def test_command_list_is_never_cut(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help([], capsys)
    listing = text.split("\nCommands:\n", 1)[1]
    assert "..." not in listing
    assert "…" not in listing
    assert "Serve the web tool: paste or upload the sources, read the summary," in listing
    # Every command is listed with its whole first sentence, ending in a full stop.
    entries = re.split(r"\n(?=  \w)", listing.strip())
    assert len(entries) >= 8, entries
    for entry in entries:
        assert entry.rstrip().endswith("."), entry


def test_serve_help_names_no_engine_option(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(["serve"], capsys)
    assert "--engine" not in text
    assert "--model NAME" in text


def test_batch_help_is_the_command_the_readme_shows(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(["batch"], capsys)
    usage = text.split("\n\n", 1)[0]
    assert usage.splitlines()[0] == "Usage: evenhand batch [OPTIONS] INPUT.jsonl --output OUT.jsonl"
    assert "evenhand batch status|collect BATCH_ID" in usage
    # The options of `evenhand batch in.jsonl` are on this page, and the subcommands after them.
    options = text.split("\nOptions:\n", 1)[1]
    assert "-o, --output OUT.jsonl" in options
    assert "--concurrency N" in options
    assert re.search(r"^  status +Show the state", options, re.MULTILINE)
    assert re.search(r"^    evenhand batch in\.jsonl --output out\.jsonl", text, re.MULTILINE)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^evenhand batch \S+\.jsonl --output out\.jsonl", readme, re.MULTILINE)


def test_schema_argument_is_named_once(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(["schema"], capsys)
    assert text.startswith("Usage: evenhand schema [OPTIONS] [report|check]\n")
    assert re.search(r"^  \[report\|check\] +Which schema \(default: report\)\.$", text, re.M)


LLM_COMMANDS = [["analyze"], ["demo"], ["batch", "run"], ["serve"], ["eval"]]


def _flag_lines(text: str, flags: list[str]) -> dict[str, str]:
    """Each flag's help entry (its line and the lines under it, up to the next option), with
    white space taken out: the column width wraps it differently from page to page."""
    entries = re.split(r"\n(?=  -)", text.split("\nOptions:\n", 1)[1])
    found = {}
    for entry in entries:
        for flag in flags:
            if re.match(rf"  (?:-\w, )?{flag}\b", entry):
                found[flag] = "".join(entry.split())
    return found


def test_the_llm_flags_read_the_same_in_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from evenhand.cli.options import LLMOptions

    flags = ["--" + field.replace("_", "-") for field in LLMOptions.__dataclass_fields__]
    pages = {" ".join(c): _flag_lines(_help(c, capsys), flags) for c in LLM_COMMANDS}
    first = pages["analyze"]
    assert sorted(first) == sorted(flags)
    for command, entries in pages.items():
        assert entries == first, command


def test_the_llm_flags_reach_the_engine_as_one_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from evenhand.cli import options

    seen: list[tuple[options.LLMOptions, str]] = []

    def for_engine(self: options.LLMOptions, engine: str) -> dict[str, object]:
        seen.append((self, engine))
        raise SystemExit(0)

    monkeypatch.setattr(options.LLMOptions, "for_engine", for_engine)
    given = ["--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--temperature", "0.5"]
    given += ["--seed", "3", "--timeout", "9", "--structured", "json"]
    given += ["--context-tokens", "4096", "--max-output-tokens", "512"]
    for command in (["demo"], ["batch", "run", "in.jsonl", "-o", "out.jsonl"], ["eval"]):
        with pytest.raises(SystemExit):
            main([*command, "--engine", "llm", *given])
    expected = options.LLMOptions("m", "http://127.0.0.1:9/v1", 0.5, 3, 9.0, "json", 4096, 512)
    assert seen == [(expected, "llm")] * 3
