"""The LLM engine tells an optional callback when its calls start and finish (and when it re-asks),
with the fake model answering; the callback knows nothing of how the engine is used."""

from __future__ import annotations

import pytest

from evenhand.engines.llm import LLMEngine
from evenhand.errors import ConfigError, ServiceError
from evenhand.llm.progress import ProgressEvent
from llm_fakes import FakeModel, Reply, completion
from test_llm_engine import GOOD, A, B, _long_articles, _responder


def test_a_single_call_is_announced_sent_and_done() -> None:
    events: list[ProgressEvent] = []
    fake = FakeModel([completion(GOOD)])
    engine = LLMEngine(client=fake.client(), on_progress=events.append)
    engine.analyze([A, B], max_words=60)
    plan = engine.plan([A, B], max_words=60)
    assert events == [
        ProgressEvent(
            "start", 0, 1, detail="gpt-4.1-mini", prompt_tokens=plan.calls[0].prompt_tokens
        ),
        ProgressEvent("analyze", 0, 1),
        ProgressEvent("analyze", 1, 1),
    ]
    assert plan.calls[0].prompt_tokens > 100


def _map_reduce_events(calls: int, tokens: int) -> list[ProgressEvent]:
    return [
        ProgressEvent("start", 0, calls + 1, detail="gpt-3.5-turbo", prompt_tokens=tokens),
        ProgressEvent("extract", 0, calls),
        *(ProgressEvent("extract", done, calls) for done in range(1, calls + 1)),
        ProgressEvent("merge", 0, 1),
        ProgressEvent("merge", 1, 1),
    ]


@pytest.mark.parametrize("clients", ["sync only (threads)", "async"])
def test_extract_and_merge_report_each_call(clients: str) -> None:
    articles = _long_articles()
    fake = FakeModel(responder=_responder(articles))
    events: list[ProgressEvent] = []
    async_client = fake.async_client() if clients == "async" else None
    engine = LLMEngine(
        model="gpt-3.5-turbo",
        client=fake.client(),
        async_client=async_client,
        on_progress=events.append,
    )
    plan = engine.plan(articles, max_words=80)
    assert plan.mode == "map_reduce"
    engine.analyze(articles, max_words=80)
    calls = len(plan.calls)
    assert calls >= 3
    tokens = engine.plan(articles, max_words=80).prompt_tokens
    assert events == _map_reduce_events(calls, tokens)
    assert len(fake.requests) == calls + 1  # one event pair per request really sent


async def test_analyze_async_reports_the_same_events() -> None:
    articles = _long_articles()
    fake = FakeModel(responder=_responder(articles))
    events: list[ProgressEvent] = []
    engine = LLMEngine(
        model="gpt-3.5-turbo", async_client=fake.async_client(), on_progress=events.append
    )
    await engine.analyze_async(articles, max_words=80)
    calls = len(engine.plan(articles, max_words=80).calls)
    tokens = engine.plan(articles, max_words=80).prompt_tokens
    assert events == _map_reduce_events(calls, tokens)


def test_a_reask_is_reported_between_send_and_done() -> None:
    events: list[ProgressEvent] = []
    fake = FakeModel([completion("not json at all"), completion(GOOD)])
    engine = LLMEngine(client=fake.client(), on_progress=events.append)
    engine.analyze([A, B], max_words=60)
    assert [e.stage for e in events] == ["start", "analyze", "reask", "analyze"]
    assert events[2] == ProgressEvent("reask", 1, 2, detail="analyze")
    assert events[3] == ProgressEvent("analyze", 1, 1)


def test_a_failed_call_is_never_reported_done() -> None:
    events: list[ProgressEvent] = []
    fake = FakeModel([Reply(503, {"error": {"message": "overloaded"}})])
    engine = LLMEngine(client=fake.client(), on_progress=events.append)
    with pytest.raises(ServiceError):
        engine.analyze([A, B], max_words=60)
    assert [(e.stage, e.done) for e in events] == [("start", 0), ("analyze", 0)]


def test_a_missing_key_fails_before_anything_is_announced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    events: list[ProgressEvent] = []
    with pytest.raises(ConfigError):
        LLMEngine(on_progress=events.append).analyze([A, B], max_words=60)
    assert events == []


def test_without_a_callback_nothing_changes() -> None:
    fake = FakeModel([completion(GOOD)])
    draft = LLMEngine(client=fake.client()).analyze([A, B], max_words=60)
    assert draft.summary[0].support[0].article_id == "a"
