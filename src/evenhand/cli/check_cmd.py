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

\b
Examples:
  evenhand check draft.txt --source a.txt --source b.txt
  evenhand check draft.txt -s a.txt -s b.txt --format json --output findings.json
  cat draft.txt | evenhand check - -s a.txt -s b.txt --fail-on warning

DRAFT is a plain-text file (.txt or .md; UTF-8, or UTF-16 with a BOM; at most 500 kB of
text), or - for stdin. Each --source is an article as for `analyze` (file, folder,
JSON, URL). The terminal output shows the draft with every finding marked and explained.
The bundled example has a draft and its sources: evenhand demo --save-example DIR.

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
    """The draft's text, read as sources are (BOM, UTF-16, binary and size checks)."""
    from ..article_text import MAX_ARTICLE_BYTES, decode_text, format_size
    from ..sources import HTML_SUFFIXES, JSON_SUFFIXES, JSONL_SUFFIXES, MAX_FILE_BYTES

    if draft == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(MAX_FILE_BYTES + 1) if stream is not None else sys.stdin.read().encode()
        name = "the draft on stdin"
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"stdin holds more than {format_size(MAX_FILE_BYTES)}")
    else:
        path = Path(draft)
        name = f"the draft {draft}"
        if path.is_dir():
            raise InputError(f"cannot read the draft {draft}: it is a folder, not a file")
        if not path.is_file():
            raise InputError(f"cannot read the draft {draft}: no such file")
        if path.suffix.lower() in HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES:
            raise InputError(
                f"{name} is {path.suffix.lower().lstrip('.').upper()}: the draft is checked as "
                "plain text, so save it as .txt or .md (or pipe its text to -)"
            )
        size = path.stat().st_size
        if size > 2 * MAX_ARTICLE_BYTES:  # twice: UTF-16; `check` applies the text limit itself
            raise InputError(
                f"{name} is {format_size(size)}; the limit is {format_size(MAX_ARTICLE_BYTES)} "
                "of text (check it in parts)"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the draft {draft}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(f"{name} is empty: give the text to check")
    return decode_text(data, name)


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
    min_confidence: float = opt.MIN_CONFIDENCE,
) -> int:
    from ..draft_check import check
    from ..renderers import render
    from ..schema import SEVERITY_RANK
    from ..sources import load_articles
    from .analyze_cmd import _check_output, _emit, _resolve_format, _sources, _use_color

    level = fail_on.strip().lower()
    if level not in SEVERITY_RANK:
        raise UsageError(f"--fail-on takes error, warning or info, got {fail_on!r}")
    name = _resolve_format(fmt, output)
    _check_output(output)
    opt.min_confidence(min_confidence)
    text = _read_draft(draft)
    if draft == "-" and "-" in source:
        raise UsageError("stdin can be read once: give the draft or a source as -, not both")
    articles = load_articles(
        _sources(source), outlets=opt.parse_outlets(outlet), allow_private=allow_private
    )
    result = check(text, articles, min_confidence=min_confidence)
    _emit(render(result, name, color=_use_color(name, output)), output, what="check", fmt=name)
    worst = result.worst()
    failed = worst is not None and SEVERITY_RANK[worst] >= SEVERITY_RANK[level]
    return FINDINGS_EXIT if failed else 0
