"""`evenhand batch` (run, status, collect) and `evenhand cache` (stats, clear)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..errors import UsageError
from . import options
from .app import app
from .help import Group


class _RunByDefault(Group):
    """`evenhand batch IN.jsonl ...` means `evenhand batch run IN.jsonl ...`; `status` and
    `collect` are subcommands. Its help page is that of `batch run`, with both usages and the
    subcommands listed after the options."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] INPUT.jsonl --output OUT.jsonl")
        formatter.write_usage(ctx.command_path, "status|collect BATCH_ID", prefix="   or: ")

    def format_options(self, ctx: Any, formatter: Any) -> None:
        run = self.commands["run"]
        run.format_options(run.context_class(run, info_name="run", parent=ctx), formatter)
        self.format_commands(ctx, formatter)


batch_app = typer.Typer(
    cls=_RunByDefault,
    no_args_is_help=True,
    help=(
        "Analyse many story clusters, one report per cluster, resumably.\n\n"
        "\b\nExamples:\n"
        "  evenhand batch in.jsonl --output out.jsonl           # offline, one worker per CPU\n"
        "  evenhand batch in.jsonl -o out.jsonl --engine llm --concurrency 16 --rpm 500\n"
        "  evenhand batch in.jsonl -o out.jsonl --engine llm --openai-batch --no-wait\n"
        "  evenhand batch status BATCH_ID\n"
        "  evenhand batch collect BATCH_ID\n\n"
        'Each input line is {"id": ..., "articles": [{"text": ..., "outlet": ...}, ...]}; each '
        'output line is {"id": ..., "report": {...}}. Failures go to OUT.errors.jsonl. Rerun the '
        "same command to resume: ids already in the output are skipped. The bundled example has "
        "a one-cluster input: evenhand demo --save-example DIR.\n\n"
        "Exit status: 0 when every cluster is done, 1 when some failed or input lines were "
        "skipped (see OUT.errors.jsonl), 2 for bad options or an unreadable input."
    ),
)
cache_app = typer.Typer(
    no_args_is_help=True,
    help=(
        "The report cache of `evenhand batch` (language-model reports only): stats, clear.\n\n"
        "\b\nExamples:\n"
        "  evenhand cache stats\n"
        "  evenhand cache clear --cache-dir /tmp/evenhand-cache"
    ),
)
app.add_typer(batch_app, name="batch")
app.add_typer(cache_app, name="cache")

CACHE_DIR = typer.Option(
    None,
    "--cache-dir",
    metavar="DIR",
    help=(
        "Folder of the report cache (default: $EVENHAND_CACHE_DIR, else the user cache folder). "
        "Reports older than $EVENHAND_CACHE_MAX_DAYS (30) are dropped, and past "
        "$EVENHAND_CACHE_MAX_MB (256) the least recently used go first; 0 turns a limit off."
    ),
)

INPUT = typer.Argument(..., metavar="INPUT.jsonl", help="One cluster per line.")
OUTPUT = typer.Option(
    ...,
    "--output",
    "-o",
    metavar="OUT.jsonl",
    help="Results, one JSON line per cluster; failures go to OUT.errors.jsonl beside it.",
)
BATCH_ID = typer.Argument(
    ..., metavar="BATCH_ID", help="The id printed when the batch was submitted."
)


@batch_app.command("run")
@options.llm_options
def run(
    *,
    input_path: Path = INPUT,
    output: Path = OUTPUT,
    engine: str = options.ENGINE,
    llm: options.LLMOptions,
    max_words: int = options.MAX_WORDS,
    min_confidence: float = options.MIN_CONFIDENCE,
    concurrency: int = typer.Option(
        8, "--concurrency", "-c", metavar="N", help="Clusters in flight at once (--engine llm)."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        metavar="N",
        help="Worker processes for --engine offline (default: one per CPU; 0 runs in-process).",
    ),
    rpm: float | None = typer.Option(
        None, "--rpm", metavar="N", help="Most requests per minute (default: no limit)."
    ),
    tpm: float | None = typer.Option(
        None,
        "--tpm",
        metavar="N",
        help="Most prompt tokens per minute, counted before sending (default: no limit).",
    ),
    retries: int = typer.Option(
        4,
        "--retries",
        metavar="N",
        help="Retries per model call after a rate limit or a service fault.",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    cache_dir: Path | None = CACHE_DIR,
    openai_batch: bool = typer.Option(
        False,
        "--openai-batch",
        help="Send the clusters through the OpenAI Batch API (half price, results within 24 h).",
    ),
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help="--openai-batch: wait for the results, or submit and exit."
    ),
    poll_interval: float = typer.Option(
        30.0,
        "--poll-interval",
        metavar="SECONDS",
        help="--openai-batch: seconds between status checks.",
    ),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: only on a terminal)."
    ),
) -> None:
    """Analyse every cluster of INPUT.jsonl into OUTPUT, resumably (what `evenhand batch
    INPUT.jsonl` runs).

    \b
    Examples:
      evenhand batch run in.jsonl --output out.jsonl              # offline, one worker per CPU
      evenhand batch run in.jsonl -o out.jsonl --engine llm --concurrency 16 --rpm 500 --tpm 200000
      evenhand batch run in.jsonl -o out.jsonl --engine llm --openai-batch   # half price, <= 24 h

    Rerun the same command to resume or retry. Exit status: 0 when every cluster is done, 1 when
    some failed or input lines were skipped (see OUT.errors.jsonl), 2 for bad options or an
    unreadable input.
    """
    from ..batch import BatchOptions, run_batch

    options.min_confidence(min_confidence)
    engine_options = llm.for_engine(engine)
    batch_options = BatchOptions(
        engine=engine,
        engine_options=engine_options,
        max_words=max_words,
        min_confidence=min_confidence,
        concurrency=concurrency,
        workers=workers,
        rpm=rpm,
        tpm=tpm,
        retries=retries,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        progress=progress,
    )
    if openai_batch:
        if engine != "llm":
            raise UsageError("--openai-batch needs --engine llm")
        if poll_interval <= 0:
            raise UsageError(f"--poll-interval must be above 0 (got {poll_interval:g})")
        from ..batch.openai_batch import submit_and_collect

        summary = submit_and_collect(
            input_path,
            output,
            batch_options,
            wait=wait,
            poll_interval=poll_interval,
            echo=typer.echo,
        )
        if summary is None:  # submitted without waiting
            return
    else:
        summary = run_batch(input_path, output, batch_options)
    typer.echo(summary.text())
    if not summary.ok:
        raise typer.Exit(1)


@batch_app.command("status")
def status(
    batch_id: str = BATCH_ID,
    cache_dir: Path | None = CACHE_DIR,
) -> None:
    """Show the state of a batch submitted with --openai-batch.

    \b
    Example:
      evenhand batch status batch_abc123
    """
    from ..batch.openai_batch import batch_status

    typer.echo(batch_status(batch_id, cache_dir=cache_dir))


@batch_app.command("collect")
def collect(
    batch_id: str = BATCH_ID,
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help="Wait for the batch to finish, or only report its state."
    ),
    poll_interval: float = typer.Option(
        30.0, "--poll-interval", metavar="SECONDS", help="Seconds between checks."
    ),
    cache_dir: Path | None = CACHE_DIR,
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: only on a terminal)."
    ),
) -> None:
    """Download a submitted batch's results and errors into the output files it was started with.

    \b
    Examples:
      evenhand batch collect batch_abc123             # wait until it is done, then write
      evenhand batch collect batch_abc123 --no-wait   # only say how far it is
    """
    from ..batch.openai_batch import collect_batch

    summary = collect_batch(
        batch_id,
        cache_dir=cache_dir,
        wait=wait,
        poll_interval=poll_interval,
        progress=progress,
        echo=typer.echo,
    )
    if summary is None:
        raise typer.Exit(1)
    typer.echo(summary.text())
    if not summary.ok:
        raise typer.Exit(1)


@cache_app.command("stats")
def cache_stats(cache_dir: Path | None = CACHE_DIR) -> None:
    """Where the cache is, how many reports it holds and what they cost to make.

    \b
    Example:
      evenhand cache stats --cache-dir /tmp/evenhand-cache
    """
    from ..batch import ReportCache

    cache = ReportCache(cache_dir)
    try:
        stats = cache.stats()
    finally:
        cache.close()
    typer.echo(f"cache: {stats.path}")
    typer.echo(f"entries: {stats.entries} ({stats.size_bytes / 1e6:.1f} MB), hits: {stats.hits}")
    typer.echo(f"limits: {_limits(cache.max_age_seconds, cache.max_bytes)}")
    typer.echo(
        f"tokens stored: {stats.prompt_tokens} prompt + {stats.completion_tokens} completion, "
        f"estimated cost ${stats.cost_usd:.4f}"
    )
    for name, count in stats.by_model.items():
        typer.echo(f"  {name}: {count}")


def _limits(max_age_seconds: float | None, max_bytes: int | None) -> str:
    """`reports kept 30 days, 256 MB at most (least recently used dropped first)`."""
    age = f"reports kept {max_age_seconds / 86_400:g} days" if max_age_seconds else "no age limit"
    size = (
        f"{max_bytes / 1e6:g} MB at most (least recently used dropped first)"
        if max_bytes
        else "no size limit"
    )
    return f"{age}, {size}"


@cache_app.command("clear")
def cache_clear(cache_dir: Path | None = CACHE_DIR) -> None:
    """Delete every cached report (the next batch run makes its model calls again).

    \b
    Example:
      evenhand cache clear
    """
    from ..batch import ReportCache

    cache = ReportCache(cache_dir)
    try:
        count = cache.clear()
    finally:
        cache.close()
    typer.echo(f"cleared {count} cached report(s) from {cache.path}")
