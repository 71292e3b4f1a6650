"""A batch run's unit of work is the model call: each call of a cluster is retried by itself (a
failed merge does not re-pay the extracts before it) and each request, retries included, is one
request of the `--rpm` limiter."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from evenhand.batch import BatchOptions, run_batch
from evenhand.batch.inputs import Cluster
from evenhand.batch.limiter import RateLimiter
from evenhand.batch.producers import EngineProducer
from evenhand.batch.retry import RetryPolicy
from evenhand.engines.llm import LLMEngine
from evenhand.schema import Article
from llm_fakes import FakeModel, Reply, Scripted, Sent
from test_llm_engine import _long_articles, _responder


def _is_merge(sent: Sent) -> bool:
    return "BEGIN NOTES" in sent.messages[-1]["content"]


def _merge_fails_once(articles: list[Article]) -> FakeModel:
    answer: Callable[[Sent], Scripted] = _responder(articles)
    failed: list[Sent] = []

    def reply(sent: Sent) -> Scripted:
        if _is_merge(sent) and not failed:
            failed.append(sent)
            return Reply(500, {"error": {"message": "boom"}}, {"retry-after-ms": "1"})
        return answer(sent)

    return FakeModel(responder=reply)


def _engine(fake: FakeModel, retries: int) -> LLMEngine:
    # gpt-3.5-turbo's 16k context: the three long articles need extract calls and a merge.
    return LLMEngine(
        model="gpt-3.5-turbo",
        client=fake.client(max_retries=retries),
        async_client=fake.async_client(max_retries=retries),
        http_retries=retries,
    )


def test_a_failed_merge_is_retried_alone_without_repeating_the_extracts(tmp_path: Path) -> None:
    articles = _long_articles()
    fake = _merge_fails_once(articles)
    engine = _engine(fake, retries=2)
    extracts = len(engine.plan(articles, max_words=80).calls)
    source = tmp_path / "in.jsonl"
    line = {"id": "c1", "articles": [a.model_dump(exclude_none=True) for a in articles]}
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    options = BatchOptions(engine="llm", max_words=80, retries=2, use_cache=False, progress=False)
    summary = run_batch(source, tmp_path / "out.jsonl", options, engine=engine, notify=print)
    assert (summary.done, summary.failed) == (1, 0)
    merges = [r for r in fake.requests if _is_merge(r)]
    assert len(merges) == 2  # the merge, failed once, then made again
    assert len(fake.requests) - len(merges) == extracts >= 3  # each extract made once


async def test_the_limiter_takes_one_request_per_model_call() -> None:
    articles = _long_articles()
    fake = _merge_fails_once(articles)
    engine = _engine(fake, retries=1)
    plan = engine.plan(articles, max_words=80)
    now = [0.0]  # a clock that only the limiter's sleeps move

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    acquired: list[int] = []

    class Counting(RateLimiter):
        async def acquire(self, tokens: int = 0) -> None:
            acquired.append(tokens)
            await super().acquire(tokens)

    limiter = Counting(rpm=60, tpm=6_000_000, clock=lambda: now[0], sleep=sleep)  # one a second
    producer = EngineProducer(
        engine, "llm", max_words=80, limiter=limiter, policy=RetryPolicy(retries=0)
    )
    cluster = Cluster("c1", articles, 1)
    produced = await producer.produce(cluster)
    await producer.aclose()
    assert not produced.cached
    # Every request waited its turn: the extracts, the merge and the merge's retry.
    assert len(acquired) == len(fake.requests) == plan.call_count + 1
    assert sorted(acquired[: len(plan.calls)]) == sorted(c.prompt_tokens for c in plan.calls)
    assert limiter.waited == len(acquired) - 1  # a second each, after the first
