"""Every example in README.md runs as written, in a folder where `evenhand demo --save-example
example` (the README's first command) has written the bundled example's files.

Shell blocks run line by line through bash with the installed `evenhand` entry point (or
`python -m evenhand` when there is none); Python blocks run with `exec`. Only the offline engine
runs: the lines below that need a key, the network or a long-running process are skipped, each
with its reason, and a line that expects a non-zero exit says so in the README (`# exit 3`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent
SAVE_EXAMPLE = "evenhand demo --save-example example"

# (pattern, why the line is not run here). Anything a line needs besides the example's files
# and the offline engine is listed, so that a new README line is run unless it says otherwise.
SKIPS = [
    (r"^make ", "sets up .venv and runs the whole test suite: .ci/run runs it on a clean checkout"),
    (r"^pip install ", "installs from a package index: the tests have no network"),
    (r"^export OPENAI_API_KEY=", "sets an OpenAI key: the tests have none"),
    (r"evenhand serve", "starts a server that runs until stopped: tests/test_serve_process.py"),
    (r"^llama-server ", "starts a model server that runs until stopped: make test-real runs one"),
    (
        r"--engine llm(?!.*--dry-run)",
        "calls a language model, which needs a key or a server: tests/test_llm_*.py replay "
        "recorded responses instead",
    ),
    (r"https?://(?!localhost|127\.0\.0\.1)", "fetches a URL: the tests have no network"),
]


def _blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def _shell_lines() -> list[str]:
    """Each command of the README's `sh` blocks: continuation lines joined, comments dropped."""
    lines: list[str] = []
    for block in _blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append(line.strip())
    return lines


def _skip_reason(line: str) -> str | None:
    return next((why for pattern, why in SKIPS if re.search(pattern, line)), None)


def _expected_exit(line: str) -> int:
    found = re.search(r"#\s*exit (\d+)", line)
    return int(found.group(1)) if found else 0


def _run_shell(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EVENHAND_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
        EVENHAND_CACHE_DIR=str(cwd / ".cache"),
    )
    prefix = (
        ""
        if shutil.which("evenhand", path=str(BIN))
        else (f'evenhand() {{ "{sys.executable}" -m evenhand "$@"; }}\n')
    )
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail\n{prefix}{line}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding what the README's first command writes."""
    first = next(line for line in _shell_lines() if _skip_reason(line) is None)
    assert first.startswith(SAVE_EXAMPLE), "the README no longer saves the example first"
    cwd = tmp_path_factory.mktemp("readme")
    done = _run_shell(SAVE_EXAMPLE, cwd)
    assert done.returncode == 0, done.stderr
    assert (cwd / "example" / "a.txt").read_text(encoding="utf-8").strip()
    return cwd


def test_the_readme_has_examples_and_skips_only_what_it_must() -> None:
    lines = _shell_lines()
    run = [line for line in lines if _skip_reason(line) is None]
    assert len(run) >= 10, run
    assert _blocks("python"), "the README lost its Python example"
    # Every skip rule still matches a README line: a rule that matches nothing is stale.
    for pattern, _ in SKIPS:
        assert any(re.search(pattern, line) for line in lines), pattern


@pytest.mark.parametrize(
    "line", [line for line in _shell_lines() if not line.startswith(SAVE_EXAMPLE)]
)
def test_readme_command_runs(line: str, request: pytest.FixtureRequest) -> None:
    reason = _skip_reason(line)
    if reason:
        pytest.skip(reason)
    folder: Path = request.getfixturevalue("folder")
    done = _run_shell(line, folder)
    assert done.returncode == _expected_exit(line), done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "error:" not in done.stderr, done.stderr
    written = re.search(r"(?:-o|--output) (\S+)", line)
    if written:
        assert (folder / written.group(1)).stat().st_size > 0, line
    else:
        assert done.stdout.strip(), line


@pytest.mark.parametrize("block", _blocks("python")[:1])
def test_readme_python_block_runs(
    block: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(folder)
    namespace: dict[str, object] = {"__name__": "readme"}
    exec(compile(block, str(README), "exec"), namespace)  # the README's own code
    out = capsys.readouterr().out
    # Summary sentences backed by the saved articles, and a rendered report.
    assert re.search(r"\['[ab]'", out), out
    assert "\n# " in out or out.startswith("# "), out
    articles = namespace.get("articles")
    assert isinstance(articles, list), articles
    assert len(articles) == 3, articles


def test_readme_async_block_runs(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = [b for b in _blocks("python") if "asyncio.run(" in b]
    assert len(blocks) == 1, "the README lost its asyncio example"
    monkeypatch.chdir(folder)
    exec(compile(blocks[0], str(README), "exec"), {"__name__": "readme"})  # the README's own code
    out = capsys.readouterr().out
    found = re.fullmatch(r"(\d+) summary sentences; (\d+) findings on the draft\n", out)
    assert found, out
    assert int(found[1]) > 0
    assert int(found[2]) > 0  # the saved draft is the example's draft with problems to find
