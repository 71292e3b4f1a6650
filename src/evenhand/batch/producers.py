"""Turning one cluster into a report JSON: through an engine on the event loop (with cache,
limiter and retries), or in worker processes for the CPU-bound offline engine."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..engines.base import Engine, EngineResult
from ..engines.llm import LLMEngine
from ..errors import ModelError
from ..llm.plan import Plan
from ..schema import Article, Report
from .cache import ReportCache, cache_key
from .inputs import Cluster
from .limiter import RateLimiter
from .reports import ReportBuilder, ReportFailed, exit_with_parent
from .retry import RetryPolicy, is_rate_limit, is_retryable, retry_after


@dataclass(frozen=True)
class Produced:
    report_json: str
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    attempts: int = 1


class ClusterFailed(Exception):
    """One cluster could not be turned into a report; the run goes on."""

    def __init__(self, kind: str, message: str, *, attempts: int, retryable: bool) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.attempts = attempts
        self.retryable = retryable

    @classmethod
    def from_exception(cls, exc: BaseException, attempts: int) -> ClusterFailed:
        if isinstance(exc, ReportFailed):  # raised in the report worker: its own description
            return cls(exc.kind, exc.message, attempts=attempts, retryable=exc.retryable)
        message = str(exc) or repr(exc)
        if attempts > 1 and not isinstance(exc, ModelError):  # a model error counts its retries
            message = f"{message} ({attempts} attempts)"
        return cls(type(exc).__name__, message, attempts=attempts, retryable=_retryable(exc))


def _retryable(exc: BaseException) -> bool:
    return exc.retryable if isinstance(exc, ReportFailed) else is_retryable(exc)


class Producer(Protocol):
    async def produce(self, cluster: Cluster) -> Produced: ...

    def close(self) -> None: ...


def prepare_articles(articles: Sequence[Article]) -> list[Article]:
    """The same reading of articles that `analyze` applies, so batch and single runs agree."""
    from ..sources import load_articles

    return load_articles(list(articles))


def report_for(
    articles: list[Article],
    result: EngineResult,
    engine: str,
    started: float,
    min_confidence: float,
) -> Report:
    from ..pipeline import build_report

    return build_report(articles, result, engine, started, min_confidence=min_confidence)


class EngineProducer:
    """Runs an engine on the event loop, a cluster at a time.

    The llm engine's cluster is planned once (`LLMEngine.plan`): the plan names the cached
    report (`Plan.cache_identity`), and its calls are made under the limiter, each waiting for it
    and each retried by itself (`LLMEngine.analyze_plan_async` with the limiter as its gate), so
    a failed merge never repeats the extracts before it. Any other engine is opaque: one
    `analyze_async` a cluster, taken from the limiter as one request and retried whole under
    `policy`, with no cache. `reports` builds the reports, with its loaded-term threshold (part
    of the cache key).
    """

    def __init__(
        self,
        engine: Engine,
        engine_name: str,
        *,
        max_words: int,
        limiter: RateLimiter,
        policy: RetryPolicy,
        cache: ReportCache | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        reports: ReportBuilder | None = None,
    ) -> None:
        self.engine = engine
        self.engine_name = engine_name
        self.max_words = max_words
        self.limiter = limiter
        self.policy = policy
        self.cache = cache
        self._sleep = sleep
        self.reports = reports or ReportBuilder(engine_name)
        self.calls = 0  # analyses started (cache hits make none)

    def _key(self, articles: list[Article], plan: Plan) -> str | None:
        if self.cache is None:
            return None
        return cache_key(
            engine=self.engine_name,
            identity=plan.cache_identity(),
            articles=articles,
            max_words=self.max_words,
            min_confidence=self.reports.min_confidence,
        )

    async def produce(self, cluster: Cluster) -> Produced:
        try:
            articles = prepare_articles(cluster.articles)
        except Exception as exc:
            raise ClusterFailed.from_exception(exc, 0) from exc
        if isinstance(self.engine, LLMEngine):
            return await self._planned(self.engine, articles)
        return await self._opaque(articles)

    async def _planned(self, engine: LLMEngine, articles: list[Article]) -> Produced:
        """The llm engine's analysis: planned once, cached, its calls under the limiter."""
        try:
            plan = engine.plan(articles, max_words=self.max_words)
        except Exception as exc:  # a cluster that cannot be planned (too large, a bad server)
            raise ClusterFailed.from_exception(exc, 0) from exc
        key = self._key(articles, plan)
        if key is not None and self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return Produced(hit, cached=True, attempts=0)
        self.reports.start()  # a report worker gets ready while the first call is in flight
        started = time.perf_counter()
        self.calls += 1
        try:
            result = await engine.analyze_plan_async(articles, plan, gate=self.limiter)
            built = await self.reports.build(articles, result, started)
        except Exception as exc:
            raise ClusterFailed.from_exception(exc, _attempts(exc)) from exc
        prompt, completion, cost = built.prompt_tokens, built.completion_tokens, built.cost_usd
        if key is not None and self.cache is not None:
            self.cache.put(
                key,
                built.report_json,
                engine=self.engine_name,
                model=built.model,
                prompt_tokens=prompt,
                completion_tokens=completion,
                cost_usd=cost,
            )
        return Produced(built.report_json, False, prompt, completion, cost)

    async def _opaque(self, articles: list[Article]) -> Produced:
        """Another engine's analysis: a request of the limiter, retried whole under `policy`."""
        self.reports.start()
        self.calls += 1
        attempt = 0
        while True:
            await self.limiter.acquire()
            started = time.perf_counter()
            try:
                result = await self.engine.analyze_async(articles, max_words=self.max_words)
                built = await self.reports.build(articles, result, started)
                break
            except Exception as exc:
                if attempt >= self.policy.retries or not _retryable(exc):
                    raise ClusterFailed.from_exception(exc, attempt + 1) from exc
                wait = retry_after(exc)
                if wait is not None and is_rate_limit(exc):
                    self.limiter.pause(wait)
                await self._sleep(self.policy.delay(attempt, wait))
                attempt += 1
        prompt, completion, cost = built.prompt_tokens, built.completion_tokens, built.cost_usd
        return Produced(built.report_json, False, prompt, completion, cost, attempt + 1)

    async def aclose(self) -> None:
        """Close the llm engine's async HTTP client, on the loop its calls ran on."""
        if isinstance(self.engine, LLMEngine):
            await self.engine.aclose()

    def close(self) -> None:
        self.reports.close()


def _attempts(exc: BaseException) -> int:
    """How many times the failed model call was made, when the error says (else once)."""
    attempts = exc.attempts if isinstance(exc, ModelError) else None
    return attempts or 1


# --- worker processes for CPU-bound engines ---------------------------------------------------

_WORKER_ENGINE: Engine | None = None
_WORKER_ENGINE_NAME = ""


def _init_worker(engine_name: str, options: dict[str, Any]) -> None:
    global _WORKER_ENGINE, _WORKER_ENGINE_NAME  # noqa: PLW0603 - one engine per worker process
    from ..engines import get_engine

    exit_with_parent()

    _WORKER_ENGINE = get_engine(engine_name, **options)
    _WORKER_ENGINE_NAME = engine_name
    if engine_name == "offline":
        from ..annotate import warm_up

        warm_up()  # spaCy and the tagger, once per worker, before its first cluster


def _analyze_in_worker(
    articles: list[Article], max_words: int, min_confidence: float
) -> tuple[str, str, str]:
    """("ok", report_json, "") or ("error", type, message): plain strings always cross back."""
    assert _WORKER_ENGINE is not None
    started = time.perf_counter()
    try:
        prepared = prepare_articles(articles)
        result = _WORKER_ENGINE.analyze(prepared, max_words=max_words)
        report = report_for(prepared, result, _WORKER_ENGINE_NAME, started, min_confidence)
    except Exception as exc:
        return "error", type(exc).__name__, str(exc) or repr(exc)
    return "ok", report.model_dump_json(), ""


class PoolProducer:
    """Runs a CPU-bound engine in `workers` processes, each holding one engine instance."""

    def __init__(
        self,
        engine_name: str,
        engine_options: dict[str, Any],
        *,
        max_words: int,
        workers: int,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> None:
        import multiprocessing

        self.max_words = max_words
        self.min_confidence = min_confidence
        self.workers = workers
        # spawn: a clean interpreter per worker, safe whatever threads the parent has.
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(engine_name, engine_options),
        )

    async def produce(self, cluster: Cluster) -> Produced:
        loop = asyncio.get_running_loop()
        status, value, message = await loop.run_in_executor(
            self.pool, _analyze_in_worker, cluster.articles, self.max_words, self.min_confidence
        )
        if status != "ok":
            raise ClusterFailed(value, message, attempts=1, retryable=False)
        return Produced(value)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
