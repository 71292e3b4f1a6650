"""Turning an engine's result into report JSON: the neutrality checks and the `Report`.

The checks are CPU-bound. A batch on a model service runs many calls at once on one event loop,
and every millisecond the loop spends checking one report delays the responses of all the others.
With `workers=1` the reports are built in one worker process (on another core), so the loop only
sends, receives and writes. Results are the same either way; if the worker cannot be used (it
died, or a result cannot be sent to it) the report is built in this process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..engines.base import EngineResult
from ..schema import Article


@dataclass(frozen=True)
class BuiltReport:
    report_json: str
    model: str | None
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None


class ReportFailed(Exception):
    """Building a report failed in the worker process: the original error's type and message,
    and whether it was worth a retry (decided there, where its cause chain is known)."""

    def __init__(self, kind: str, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retryable = retryable


def build_report_json(
    articles: Sequence[Article],
    result: EngineResult,
    engine: str,
    started: float,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> BuiltReport:
    from ..pipeline import build_report

    report = build_report(list(articles), result, engine, started, min_confidence=min_confidence)
    usage = report.provenance.token_usage
    return BuiltReport(
        report.model_dump_json(),
        report.provenance.model,
        usage.prompt_tokens if usage else 0,
        usage.completion_tokens if usage else 0,
        usage.estimated_cost_usd if usage else None,
    )


def exit_with_parent() -> None:
    """Worker initializer: end this worker process when the process that started it ends, even
    by SIGKILL (which gives it no chance to shut its pool down, and would leave the worker
    waiting for work forever)."""
    import multiprocessing
    import os
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _warm_worker() -> None:
    # Imports, the lexicon and the annotation models load while the first model calls are in
    # flight.
    from .. import checks, pipeline  # noqa: F401
    from ..annotate import warm_up
    from ..lexicon import find_loaded

    find_loaded("warm")
    warm_up()


def _build_in_worker(
    articles: list[Article],
    result: EngineResult,
    engine: str,
    elapsed: float,
    min_confidence: float,
) -> BuiltReport | tuple[str, str, bool]:
    """The built report, or the failure as plain values (any exception may not unpickle)."""
    from .retry import is_retryable

    # Clocks of different processes are not comparable: carry the time already spent instead.
    started = time.perf_counter() - elapsed
    try:
        return build_report_json(articles, result, engine, started, min_confidence)
    except Exception as exc:
        return type(exc).__name__, str(exc) or repr(exc), is_retryable(exc)


class ReportBuilder:
    """Builds report JSON in this process (`workers=0`) or in one worker process (`workers=1`),
    listing the loaded terms at or above `min_confidence`."""

    def __init__(
        self, engine: str, *, workers: int = 0, min_confidence: float = DEFAULT_MIN_CONFIDENCE
    ) -> None:
        self.engine = engine
        self.workers = workers
        self.min_confidence = min_confidence
        self.in_worker = 0  # reports the worker built
        self._pool: Executor | None = None

    def start(self) -> None:
        """Start the worker (if any) now, so that it is ready when the first result comes back."""
        if self.workers < 1 or self._pool is not None:
            return
        import multiprocessing

        # spawn: a clean interpreter, safe whatever threads this process runs.
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exit_with_parent,
        )
        pool.submit(_warm_worker)
        self._pool = pool

    async def build(
        self, articles: list[Article], result: EngineResult, started: float
    ) -> BuiltReport:
        """The report's JSON and usage; raises what building it raised (`ReportFailed` when it
        was built in the worker)."""
        self.start()
        pool = self._pool
        if pool is not None:
            loop = asyncio.get_running_loop()
            elapsed = time.perf_counter() - started
            try:
                built = await loop.run_in_executor(
                    pool,
                    _build_in_worker,
                    articles,
                    result,
                    self.engine,
                    elapsed,
                    self.min_confidence,
                )
            except BrokenProcessPool:
                # The worker died: build here from now on.
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            except Exception:  # e.g. a result that cannot be pickled: build it here
                pass
            else:
                if isinstance(built, tuple):
                    raise ReportFailed(*built)
                self.in_worker += 1
                return built
        return build_report_json(articles, result, self.engine, started, self.min_confidence)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
