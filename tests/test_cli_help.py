"""Every command's --help teaches: examples, and a word for every option's value, not a type."""

from __future__ import annotations

import re

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
