"""`evenhand batch`: every cluster of an input file to one line of the output, resumably.

The output is the record of what is done: a rerun reads it, repairs a torn last line, and skips
every id already there. Results are appended and made durable one by one as they complete, so a
crash loses only the clusters in flight. Failures go to `OUT.errors.jsonl` (which describes the
latest run) and never stop the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..engines.base import Engine
from ..errors import OutputError, UsageError
from .cache import ReportCache
from .inputs import Cluster, read_clusters
from .limiter import RateLimiter
from .output import JsonlLog, errors_path, exclusive_lock, is_result
from .producers import ClusterFailed, EngineProducer, PoolProducer, Produced, Producer
from .progress import Progress
from .reports import ReportBuilder
from .retry import RetryPolicy

Notify = Callable[[str], None]


def _stderr(message: str) -> None:
    sys.stderr.write(f"evenhand: {message}\n")


@dataclass
class BatchOptions:
    engine: str = "offline"
    engine_options: dict[str, Any] = field(default_factory=dict)
    max_words: int = 130
    min_confidence: float = DEFAULT_MIN_CONFIDENCE  # loaded terms at or above it are reported
    concurrency: int = 8
    workers: int | None = None  # offline engine: worker processes (None: one per CPU)
    # Other engines: a process that runs the checks off the event loop (None: when it pays, i.e.
    # several calls in flight, a second core and enough clusters to repay its start-up).
    report_workers: int | None = None
    rpm: float | None = None
    tpm: float | None = None
    # Retries of each model call for the llm engine the run builds (its `http_retries`); of a
    # whole cluster for an engine given as an object other than the llm engine.
    retries: int = 4
    use_cache: bool = True
    cache_dir: str | Path | None = None
    progress: bool | None = None  # None: only on a terminal

    def check(self) -> None:
        if self.concurrency < 1:
            raise UsageError(
                f"concurrency must be at least 1 (got {self.concurrency})", option="concurrency"
            )
        if self.workers is not None and self.workers < 0:
            raise UsageError(f"workers must be 0 or more (got {self.workers})", option="workers")
        if self.report_workers not in (None, 0, 1):
            raise UsageError(
                f"report_workers must be 0 or 1 (got {self.report_workers})",
                option="report_workers",
            )
        for name, value in (("rpm", self.rpm), ("tpm", self.tpm)):
            if value is not None and value <= 0:
                raise UsageError(f"{name} must be positive (got {value})", option=name)
        if self.retries < 0:
            raise UsageError(f"retries must be 0 or more (got {self.retries})", option="retries")
        if self.max_words < 20:
            raise UsageError(
                f"max_words must be at least 20 (got {self.max_words})", option="max_words"
            )
        from ..pipeline import check_min_confidence

        check_min_confidence(self.min_confidence)


@dataclass
class BatchSummary:
    output: Path
    errors: Path
    clusters: int = 0
    already_done: int = 0
    done: int = 0
    cached: int = 0
    failed: int = 0
    skipped_lines: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0  # clusters that used tokens of a model with no known price
    calls: int = 0
    elapsed_s: float = 0.0
    cost_note: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped_lines

    def text(self) -> str:
        rate = self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0
        lines = [
            f"done {self.done} (cached {self.cached}), failed {self.failed}, "
            f"already done {self.already_done}, bad input lines {self.skipped_lines}; "
            f"{self.clusters} cluster{'' if self.clusters == 1 else 's'} in the input",
            f"tokens: {self.prompt_tokens} prompt + {self.completion_tokens} completion; "
            f"estimated cost {self._cost()}",
            f"time {self.elapsed_s:.1f} s ({rate:.2f} clusters/s); output {self.output}",
        ]
        if self.failed or self.skipped_lines:
            lines.append(f"errors in {self.errors}; run the same command again to retry them")
        return "\n".join(lines)

    def _cost(self) -> str:
        """The estimated cost, or "n/a" where the model's price is not known (a local model)."""
        if self.unpriced and not self.cost_usd:
            return "n/a (no price known for this model)"
        unknown = f" (n/a for {self.unpriced} clusters: no price known)" if self.unpriced else ""
        return f"${self.cost_usd:.4f}{self.cost_note}{unknown}"


def _result_line(cluster: Cluster, report_json: str) -> str:
    # The report is already JSON: splice it in instead of parsing and dumping it again.
    return f'{{"id":{json.dumps(cluster.id, ensure_ascii=False)},"report":{report_json}}}\n'


def _error_record(cluster: Cluster, failure: ClusterFailed) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "line": cluster.line,
        "error": {
            "type": failure.kind,
            "message": failure.message,
            "attempts": failure.attempts,
            "retryable": failure.retryable,
        },
    }


@dataclass
class Plan:
    """What a run will do, after reading the input and the existing output."""

    clusters: list[Cluster]
    pending: list[Cluster]
    results: JsonlLog
    errors: JsonlLog
    summary: BatchSummary


def plan_run(input_path: str | Path, output_path: str | Path, notify: Notify) -> Plan:
    """Read the input, repair and read the output, reset the errors file, report bad lines.

    Call it while holding `exclusive_lock(output)`.
    """
    output = Path(output_path)
    for written in (output, errors_path(output)):
        if written.exists() and Path(input_path).exists() and written.samefile(input_path):
            raise OutputError(
                f"{written} is the batch input: choose another `output_path`, so that the input "
                "is not overwritten"
            )
    clusters, problems = read_clusters(input_path)
    results = JsonlLog(output, valid=is_result)
    results.load()
    errors = JsonlLog(errors_path(output), unique=False)
    for log in (results,):
        note = log.repair.describe(log.path)
        if note:
            notify(f"repaired {note}")
    done = results.ids()
    pending = [c for c in clusters if c.key not in done]
    errors.rewrite([p.as_record() for p in problems])
    for problem in problems:
        notify(f"{input_path}: line {problem.line}: {problem.message}; skipped")
    summary = BatchSummary(
        output=output,
        errors=errors.path,
        clusters=len(clusters),
        already_done=len(clusters) - len(pending),
        skipped_lines=len(problems),
    )
    return Plan(clusters, pending, results, errors, summary)


def record_success(plan: Plan, cluster: Cluster, produced: Produced) -> None:
    plan.results.append_line(cluster.key, _result_line(cluster, produced.report_json))
    summary = plan.summary
    summary.done += 1
    summary.cached += produced.cached
    summary.prompt_tokens += produced.prompt_tokens
    summary.completion_tokens += produced.completion_tokens
    summary.cost_usd += produced.cost_usd or 0.0
    tokens = produced.prompt_tokens + produced.completion_tokens
    summary.unpriced += produced.cost_usd is None and tokens > 0


def record_failure(plan: Plan, cluster: Cluster, failure: ClusterFailed) -> None:
    plan.errors.append(_error_record(cluster, failure))
    plan.summary.failed += 1


def finish(plan: Plan) -> None:
    plan.results.close()
    plan.errors.close()
    if plan.errors.path.exists() and plan.errors.path.stat().st_size == 0:
        plan.errors.path.unlink()


def _producer(
    options: BatchOptions, engine: Engine | None, cache: ReportCache | None, pending: int
) -> Producer:
    if engine is None and options.engine == "offline" and options.workers != 0:
        workers = options.workers or os.cpu_count() or 1
        return PoolProducer(
            options.engine,
            options.engine_options,
            max_words=options.max_words,
            workers=max(1, min(workers, pending)),
            min_confidence=options.min_confidence,
        )
    if engine is None:
        from ..engines import get_engine

        engine_options = dict(options.engine_options)
        if options.engine == "llm":
            # Each model call is retried by itself, in step with the run's limiter.
            engine_options.setdefault("http_retries", options.retries)
        engine = get_engine(options.engine, **engine_options)
    return EngineProducer(
        engine,
        options.engine,
        max_words=options.max_words,
        limiter=RateLimiter(options.rpm, options.tpm),
        policy=RetryPolicy(retries=options.retries),
        cache=cache,
        reports=ReportBuilder(
            options.engine,
            workers=_report_workers(options, pending),
            min_confidence=options.min_confidence,
        ),
    )


# Below this many clusters a report worker's start-up (an interpreter, imports, the lexicon)
# costs more than it saves.
REPORT_WORKER_MIN_CLUSTERS = 32


def _report_workers(options: BatchOptions, pending: int) -> int:
    if options.report_workers is not None:
        return options.report_workers
    if options.engine == "offline":  # its analysis runs on the loop anyway; PoolProducer instead
        return 0
    two_cores = (os.cpu_count() or 1) >= 2
    busy = options.concurrency >= 4 and pending >= REPORT_WORKER_MIN_CLUSTERS
    return 1 if two_cores and busy else 0


async def _within_slots(producer: Producer, concurrency: int, notify: Notify) -> int:
    """`concurrency`, lowered to the slots a local server says it has (llama-server's `/props`):
    requests beyond them wait in its queue, and that wait counts against --timeout."""
    from ..engines.llm import LLMEngine

    engine = producer.engine if isinstance(producer, EngineProducer) else None
    if not isinstance(engine, LLMEngine):
        return concurrency
    slots = (await asyncio.to_thread(engine.server_limits)).slots
    if slots is None or slots >= concurrency:
        return concurrency
    notify(
        f"the server at {engine.settings.endpoint} works on {slots} request"
        f"{'' if slots == 1 else 's'} at a time: sending {slots} cluster"
        f"{'' if slots == 1 else 's'} at a time, not the {concurrency} asked for"
    )
    return slots


async def _drain(plan: Plan, producer: Producer, concurrency: int, progress: Progress) -> None:
    queue: asyncio.Queue[Cluster] = asyncio.Queue()
    for cluster in plan.pending:
        queue.put_nowait(cluster)

    async def worker() -> None:
        while True:
            try:
                cluster = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                produced = await producer.produce(cluster)
            except ClusterFailed as failure:
                record_failure(plan, cluster, failure)
            else:
                record_success(plan, cluster, produced)
            progress.advance(note=f"failed {plan.summary.failed}" if plan.summary.failed else "")

    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(plan.pending)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()


async def run_batch_async(
    input_path: str | Path,
    output_path: str | Path,
    options: BatchOptions,
    *,
    engine: Engine | None = None,
    notify: Notify = _stderr,
) -> BatchSummary:
    """Process every cluster of `input_path` not yet in `output_path`; see the module docstring.

    `engine` replaces the engine named in `options` (for tests and embedding).
    """
    options.check()
    started = time.perf_counter()
    output = Path(output_path)
    with exclusive_lock(output):
        plan = plan_run(input_path, output, notify)
        cache = ReportCache(options.cache_dir) if options.use_cache else None
        producer: Producer | None = None
        try:
            if plan.pending:
                producer = _producer(options, engine, cache, len(plan.pending))
                concurrency = options.concurrency
                if isinstance(producer, PoolProducer):
                    concurrency = producer.workers * 2  # keep every worker fed
                else:
                    concurrency = await _within_slots(producer, concurrency, notify)
                with Progress(
                    len(plan.pending), description="batch", enabled=options.progress
                ) as progress:
                    await _drain(plan, producer, concurrency, progress)
                if isinstance(producer, EngineProducer):
                    plan.summary.calls = producer.calls
        finally:
            if isinstance(producer, EngineProducer):
                await producer.aclose()
            if producer is not None:
                producer.close()
            if cache is not None:
                cache.close()
            finish(plan)
    plan.summary.elapsed_s = time.perf_counter() - started
    return plan.summary


def run_batch(
    input_path: str | Path,
    output_path: str | Path,
    options: BatchOptions,
    *,
    engine: Engine | None = None,
    notify: Notify = _stderr,
) -> BatchSummary:
    """`run_batch_async` for synchronous callers."""
    return asyncio.run(
        run_batch_async(input_path, output_path, options, engine=engine, notify=notify)
    )
