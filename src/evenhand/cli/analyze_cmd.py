"""`evenhand analyze`, `evenhand demo` and `evenhand schema`.

Only typer and the shared options are imported at module level; the pipeline, the renderers and
the engines load inside the commands, so that `evenhand --help` stays fast.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import OutputError, UsageError
from . import options as opt
from .app import app

if TYPE_CHECKING:
    from ..schema import Article

_FORMAT_BY_SUFFIX = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}
_URL_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

FORMAT = typer.Option(
    None,
    "--format",
    "-f",
    metavar="FORMAT",
    help="text | markdown | json | html. Default: text, or the --output file's extension "
    "(.md, .json, .html).",
)
OUTPUT = typer.Option(
    None,
    "--output",
    "-o",
    metavar="FILE",
    help="Write the report to FILE instead of stdout. Written atomically: on any error no file "
    "is left behind.",
)

PATHS = typer.Argument(..., metavar="PATH", help="Article files, folders, URLs, or - for stdin.")
DRY_RUN = typer.Option(
    False,
    "--dry-run",
    help="With --engine llm: print the calls that would be made (prompt tokens, estimated cost) "
    "and make none.",
)
QUIET = typer.Option(
    False,
    "--quiet",
    "-q",
    help="Nothing on stderr but errors: no progress line (shown for --engine llm on a terminal) "
    "and no note of the file written.",
)
SCHEMA_NAME = typer.Argument(
    "report", metavar="report|check", help="Which schema (default: report)."
)

ANALYZE_HELP = """Analyse articles about one event: a neutral summary backed by the sources, the
claims they contest, and the loaded language each outlet uses.

\b
Examples:
  evenhand analyze a.txt b.txt
  evenhand analyze a.txt b.txt --outlet a=Reuters --outlet b="RT"
  evenhand analyze stories.jsonl --format json --output report.json
  evenhand analyze https://example.com/story.html b.html -o report.html
  cat story.txt | evenhand analyze - other.txt --format markdown
  evenhand analyze a.txt b.txt --min-confidence 0.3     # more loaded terms, more false alarms
  evenhand analyze a.txt b.txt --engine llm --model gpt-4o-mini --dry-run
  evenhand analyze a.txt b.txt --engine llm --base-url http://localhost:11434/v1 -m llama3.1

To try them on the bundled example, write it as files first: evenhand demo --save-example DIR.

Each PATH is a .txt or .md file (a short first line followed by a blank line is the headline), an
.html page (its main text is extracted), a .json or .jsonl file of article objects ({"text": ...,
"id", "outlet", "title", "url" optional}), a folder of such files, an http(s):// URL, or - for
stdin. Article ids are the file stems (or the ids given in JSON); use them with --outlet.

Limits: 500 kB of text per article; 10 MB per HTML or JSON file; URLs: 5 MB, 30 s, 5 redirects,
public addresses only unless --allow-private.

Exit codes: 0 success; 2 bad input, usage or configuration; 1 engine or internal failure.
"""

DEMO_HELP = """Analyse the bundled example (two articles on one event from outlets with opposite
slants) and print the report.

\b
Examples:
  evenhand demo
  evenhand demo --format markdown
  evenhand demo --format html --output demo.html
  evenhand demo --save-example example    # the example as files, for the README's examples

--save-example DIR writes the two articles (a.txt, b.txt), article B as a web page (b.html), both
as JSON lines with outlet names (stories.jsonl), one batch cluster (clusters.jsonl) and an
editor's draft (draft.txt), and analyses nothing.
"""
SAVE_EXAMPLE = typer.Option(
    None,
    "--save-example",
    metavar="DIR",
    help="Write the example's files into DIR (created if missing) instead of analysing them.",
)

SCHEMA_HELP = """Print the JSON Schema of the report: `report` (what analyze returns, the
default) or `check` (what check returns).

\b
Examples:
  evenhand schema > report.schema.json
  evenhand schema check
"""


def _resolve_format(fmt: str | None, output: Path | None) -> str:
    """`--format`, else the output's extension (no extension: text); an extension that names
    no format (`report.pdf`) is refused rather than silently written as text."""
    from ..renderers import check_format

    if fmt is not None:
        return check_format(fmt)
    suffix = output.suffix.lower() if output is not None else ""
    if suffix and suffix not in _FORMAT_BY_SUFFIX:
        known = ", ".join(sorted(set(_FORMAT_BY_SUFFIX)))
        raise UsageError(
            f"--output {output}: evenhand does not write {suffix} files; name the file with "
            f"one of {known}, or give --format text|markdown|json|html to write that format "
            "under this name"
        )
    return _FORMAT_BY_SUFFIX.get(suffix, "text")


def _check_output(output: Path | None) -> None:
    """Fail before any work (and any model call) when the report could not be written."""
    if output is None:
        return
    from ..safe_write import output_target

    target = output_target(output)  # a folder or a special file is refused; a link is followed
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {output}: folder {folder} does not exist")


def _use_color(fmt: str, output: Path | None) -> bool:
    """Colour only for the text format on stdout, and only when rich finds it wanted there (a
    terminal; NO_COLOR turns it off, FORCE_COLOR on)."""
    if fmt != "text" or output is not None:
        return False
    from ..renderers.colour import wants_color

    return wants_color(sys.stdout)


def write_stdout(text: str, what: str) -> None:
    """Write `text` to stdout; a stdout that cannot take it (a full disk, `> /dev/full`, an I/O
    error) is an `OutputError`, and stdout is pointed at the null device so that the exit does
    not fail again flushing what is left."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        import contextlib

        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        raise OutputError(f"cannot write the {what} to stdout: {exc.strerror or exc}") from exc


def _emit(
    text: str,
    output: Path | None,
    what: str = "report",
    *,
    quiet: bool = False,
    fmt: str | None = None,
) -> None:
    if output is None:
        write_stdout(text, what)
        return
    from ..safe_write import atomic_write_text

    atomic_write_text(output, text)
    if not quiet:
        shown = f" ({fmt})" if fmt else ""
        sys.stderr.write(f"evenhand: wrote the {what} to {output}{shown}\n")


def _sources(paths: list[str]) -> list[str | Path]:
    """URLs and '-' stay strings; everything else is a path (never article text)."""
    return [p if p == "-" or _URL_LIKE.match(p) else Path(p) for p in paths]


def _run(
    sources: list[str | Path] | list[Path],
    *,
    engine: str,
    fmt: str | None,
    output: Path | None,
    max_words: int,
    min_confidence: float,
    outlets: dict[str, str],
    allow_private: bool,
    llm: dict[str, Any],
    dry_run: bool = False,
    quiet: bool = False,
) -> None:
    from ..pipeline import check_max_words

    name = _resolve_format(fmt, output)
    _check_output(output)
    check_max_words(max_words)
    opt.min_confidence(min_confidence)
    if dry_run:
        if engine != "llm":
            raise UsageError(
                "--dry-run shows the calls that --engine llm would make; add --engine llm"
            )
        _dry_run(
            sources,
            max_words=max_words,
            outlets=outlets,
            allow_private=allow_private,
            llm=llm,
            output=output,
            quiet=quiet,
        )
        return
    from contextlib import nullcontext

    from ..pipeline import analyze
    from ..renderers import render
    from .progress import library_notes, status_line

    # The offline engine takes tens of milliseconds: only model calls get a progress line.
    line = status_line(quiet=quiet) if engine == "llm" else None
    with line if line is not None else nullcontext(), library_notes(line, quiet=quiet):
        report = analyze(
            sources,
            engine,
            max_words=max_words,
            min_confidence=min_confidence,
            outlets=outlets,
            allow_private=allow_private,
            **llm,
            **({"on_progress": line} if line is not None else {}),
        )
    # The line is cleared by now: the report (or the error) starts on a clean line.
    _emit(render(report, name, color=_use_color(name, output)), output, quiet=quiet, fmt=name)


def _dry_run(
    sources: list[str | Path] | list[Path],
    *,
    max_words: int,
    outlets: dict[str, str],
    allow_private: bool,
    llm: dict[str, Any],
    output: Path | None,
    quiet: bool,
) -> None:
    from ..sources import load_articles
    from .dry_run import dry_run

    articles: list[Article] = load_articles(sources, outlets=outlets, allow_private=allow_private)
    plan: str = dry_run(articles, max_words=max_words, **llm)
    _emit(plan if plan.endswith("\n") else plan + "\n", output, what="plan", quiet=quiet)


@app.command(
    "analyze",
    help=ANALYZE_HELP,
    short_help="Neutral summary, contested claims and loaded language of several articles.",
    no_args_is_help=True,
)
@opt.llm_options
def analyze_command(
    *,
    paths: list[str] = PATHS,
    engine: str = opt.ENGINE,
    fmt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    max_words: int = opt.MAX_WORDS,
    min_confidence: float = opt.MIN_CONFIDENCE,
    outlet: list[str] | None = opt.OUTLET,
    allow_private: bool = opt.ALLOW_PRIVATE,
    llm: opt.LLMOptions,
    dry_run: bool = DRY_RUN,
    quiet: bool = QUIET,
) -> None:
    _run(
        _sources(paths),
        engine=engine,
        fmt=fmt,
        output=output,
        max_words=max_words,
        min_confidence=min_confidence,
        outlets=opt.parse_outlets(outlet),
        allow_private=allow_private,
        llm=llm.for_engine(engine),
        dry_run=dry_run,
        quiet=quiet,
    )


@app.command("demo", help=DEMO_HELP, short_help="Analyse the bundled example and print the report.")
@opt.llm_options
def demo_command(
    *,
    engine: str = opt.ENGINE,
    fmt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    max_words: int = opt.MAX_WORDS,
    min_confidence: float = opt.MIN_CONFIDENCE,
    llm: opt.LLMOptions,
    quiet: bool = QUIET,
    save_example: Path | None = SAVE_EXAMPLE,
) -> None:
    from ..data import example_paths

    if save_example is not None:
        _save_example(save_example)
        return

    _run(
        list(example_paths()),
        engine=engine,
        fmt=fmt,
        output=output,
        max_words=max_words,
        min_confidence=min_confidence,
        outlets={},
        allow_private=False,
        llm=llm.for_engine(engine),
        quiet=quiet,
    )


def _save_example(folder: Path) -> None:
    from .example_files import save_example

    written = save_example(folder)
    names = "\n".join(f"  {path}" for path in written)
    a, b, draft = (folder / name for name in ("a.txt", "b.txt", "draft.txt"))
    write_stdout(
        f"Wrote the bundled example:\n{names}\n\nTry:\n  evenhand analyze {a} {b}\n"
        f"  evenhand check {draft} --source {a} --source {b}\n",
        "list of files",
    )


@app.command("schema", help=SCHEMA_HELP, short_help="Print the JSON Schema of the report.")
def schema_command(
    *,
    name: str = SCHEMA_NAME,
) -> None:
    from ..renderers.json import SCHEMA_FILES, json_schema_text

    key = {"check-report": "check"}.get(name, name)
    if key not in SCHEMA_FILES:
        raise UsageError(f"unknown schema {name!r}: choose report or check")
    write_stdout(json_schema_text("check" if key == "check" else "report"), "schema")
