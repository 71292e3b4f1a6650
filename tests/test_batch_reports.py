"""Reports built in the batch's report worker are the reports built in process: the same JSON
(but for the timing fields), the same failures, and a fallback when the worker cannot be used."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from evenhand.batch import BatchOptions
from evenhand.batch.inputs import Cluster
from evenhand.batch.limiter import RateLimiter
from evenhand.batch.producers import ClusterFailed, EngineProducer
from evenhand.batch.reports import ReportBuilder
from evenhand.batch.retry import RetryPolicy
from evenhand.batch.runner import REPORT_WORKER_MIN_CLUSTERS, _report_workers
from evenhand.data import example_paths
from evenhand.engines.base import EngineResult
from evenhand.engines.offline import OfflineEngine
from evenhand.schema import Article, Span, SummarySentence
from evenhand.sources import load_articles


def _timeless(report_json: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(report_json)
    del report["provenance"]["duration_ms"], report["provenance"]["created_at"]
    return report


def _example() -> tuple[list[Article], EngineResult]:
    articles = load_articles(example_paths())
    return articles, OfflineEngine().analyze(articles, max_words=130)


@dataclass
class _Unpicklable(EngineResult):
    # A lambda cannot be pickled, so this draft cannot be sent to the worker.
    hook: Any = field(default=lambda: None)


class _FixedEngine:
    """Returns one given draft for every cluster."""

    name = "fixed"

    def __init__(self, draft: EngineResult) -> None:
        self.draft = draft

    def analyze(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        return self.draft

    async def analyze_async(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        return self.draft


async def test_worker_reports_equal_in_process_reports_and_survive_a_dead_worker() -> None:
    articles, draft = _example()
    inline = await ReportBuilder("offline").build(articles, draft, 0.0)
    builder = ReportBuilder("offline", workers=1)
    try:
        in_worker = await builder.build(articles, draft, 0.0)
        assert builder.in_worker == 1
        assert _timeless(in_worker.report_json) == _timeless(inline.report_json)
        assert (in_worker.model, in_worker.prompt_tokens, in_worker.cost_usd) == (
            inline.model,
            inline.prompt_tokens,
            inline.cost_usd,
        )
        # A draft that cannot cross to the worker is built here.
        odd = _Unpicklable(draft.summary, draft.contested_claims, draft.loaded_language)
        built = await builder.build(articles, odd, 0.0)
        assert _timeless(built.report_json) == _timeless(inline.report_json)
        assert builder.in_worker == 1
        # A worker killed mid-run: the builder goes on in this process.
        pool: Any = builder._pool
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGKILL)
        again = await builder.build(articles, draft, 0.0)
        assert _timeless(again.report_json) == _timeless(inline.report_json)
        assert builder._pool is None
        assert builder.in_worker == 1
    finally:
        builder.close()


@pytest.mark.parametrize("workers", [0, 1])
async def test_a_report_that_cannot_be_built_fails_the_same_way(workers: int) -> None:
    articles = [Article(id="a", text="The council met on Monday.")]
    # Support that points at an article the cluster does not have: the Report rejects it.
    stray = Span(article_id="zz", start=0, end=3, text="The")
    draft = EngineResult(
        summary=[SummarySentence(text="The council met.", support=[stray])],
        contested_claims=[],
        loaded_language=[],
    )
    builder = ReportBuilder("fixed", workers=workers)
    producer = EngineProducer(
        _FixedEngine(draft),
        "fixed",
        max_words=130,
        limiter=RateLimiter(),
        policy=RetryPolicy(retries=2),
        reports=builder,
    )
    try:
        with pytest.raises(ClusterFailed) as failed:
            await producer.produce(Cluster("c0", articles, 1))
    finally:
        producer.close()
    assert failed.value.kind == "ValidationError"
    assert "zz" in failed.value.message
    assert (failed.value.attempts, failed.value.retryable) == (1, False)


def test_the_report_worker_is_used_only_where_it_pays(tmp_path: Path) -> None:
    many = REPORT_WORKER_MIN_CLUSTERS
    llm = BatchOptions(engine="llm", concurrency=16)
    assert _report_workers(llm, many) == (1 if (os.cpu_count() or 1) >= 2 else 0)
    assert _report_workers(llm, many - 1) == 0
    assert _report_workers(BatchOptions(engine="llm", concurrency=1), many) == 0
    assert _report_workers(BatchOptions(engine="offline", concurrency=16, workers=0), many) == 0
    assert _report_workers(BatchOptions(engine="llm", report_workers=0), many) == 0
    assert _report_workers(BatchOptions(engine="llm", report_workers=1), 1) == 1


_SPAWN_AND_WAIT = """
import sys, time
from evenhand.batch.producers import PoolProducer
from evenhand.batch.reports import ReportBuilder

if __name__ == "__main__":
    builder = ReportBuilder("llm", workers=1)
    builder.start()
    pool = PoolProducer("offline", {}, max_words=130, workers=1)
    pool.pool.submit(int, "1").result(timeout=60)
    builder._pool.submit(int, "1").result(timeout=60)
    pids = [*builder._pool._processes, *pool.pool._processes]
    print(" ".join(str(p) for p in pids), flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if status.parent.parent.is_dir():
        try:
            state = next(x for x in status.read_text().splitlines() if x.startswith("State:"))
        except (OSError, StopIteration):
            return False
        return "zombie" not in state
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_worker_processes_end_when_the_batch_process_is_killed(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    script = tmp_path / "spawn_and_wait.py"
    script.write_text(_SPAWN_AND_WAIT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert process.stdout is not None
        pids = [int(p) for p in process.stdout.readline().split()]
        assert len(pids) == 2
        assert all(_alive(p) for p in pids)
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids), "a worker outlived the killed batch process"
