"""The sync path is the async re-ask loop made blocking: one call runs on the caller's thread with
no event loop of its own (so Ctrl-C stops it at once), and it works inside a running loop."""

from __future__ import annotations

import threading

import pytest

from evenhand.engines.llm import LLMEngine
from evenhand.llm.calling import run_blocking
from llm_fakes import COUNCIL_A, COUNCIL_ANSWER, COUNCIL_B, FakeModel, Scripted, Sent, completion
from test_llm_engine import _long_articles, _responder


def test_one_call_runs_on_the_callers_thread() -> None:
    threads: list[int] = []

    def reply(sent: Sent) -> Scripted:
        threads.append(threading.get_ident())
        return completion(COUNCIL_ANSWER)

    fake = FakeModel(responder=reply)
    LLMEngine(client=fake.client()).analyze([COUNCIL_A, COUNCIL_B], max_words=60)
    assert threads == [threading.get_ident()]


async def test_the_sync_engine_works_inside_a_running_event_loop() -> None:
    fake = FakeModel([completion(COUNCIL_ANSWER)])
    single = LLMEngine(client=fake.client()).analyze([COUNCIL_A, COUNCIL_B], max_words=60)
    assert single.summary
    articles = _long_articles()
    fake = FakeModel(responder=_responder(articles))
    engine = LLMEngine(model="gpt-3.5-turbo", async_client=fake.async_client())
    assert engine.analyze(articles, max_words=80).summary  # map-reduce, on a worker thread
    assert len(fake.requests) == engine.plan(articles, max_words=80).call_count


def test_run_blocking_refuses_what_needs_a_loop() -> None:
    import asyncio

    async def sleeps() -> int:
        await asyncio.sleep(0)
        return 1

    async def blocks() -> int:
        return 2

    assert run_blocking(blocks()) == 2
    with pytest.raises(RuntimeError, match="event loop"):
        run_blocking(sleeps())
