"""The plan is a value: `LLMEngine.plan` measures a cluster's calls once, and that one value names
the answer (cache identity), counts its prompt tokens, becomes Batch API lines and is analysed,
with nothing planned again on the way."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from evenhand.data import example_paths
from evenhand.engines.llm import LLMEngine
from evenhand.llm import plan as planning
from evenhand.llm.plan import Plan, plan_calls
from evenhand.schema import Article
from evenhand.sources import load_articles
from llm_fakes import COUNCIL_A, COUNCIL_ANSWER, COUNCIL_B, FakeModel, completion

KEY = "sk-test-dummy-key-0000"


def _fields(plan: Plan) -> tuple[object, ...]:
    calls = [(c.step, c.messages, c.prompt_tokens, c.max_output, c.article_ids) for c in plan.calls]
    return (plan.mode, plan.prompt_version, plan.prompt_hash, plan.merge_prompt_tokens, calls)


def test_the_engine_plan_is_what_planning_gives_and_carries_what_batch_needs() -> None:
    engine = LLMEngine(api_key=KEY)
    articles = load_articles(example_paths())
    plan = engine.plan(articles, max_words=130)
    assert _fields(plan) == _fields(plan_calls(articles, 130, engine.settings))
    assert plan.prompt_tokens == sum(c.prompt_tokens for c in plan.calls)
    identity = plan.cache_identity()
    assert (identity["engine"], identity["max_words"]) == ("llm", "130")
    assert (identity["prompt_version"], identity["prompt_hash"]) == (
        plan.prompt_version,
        plan.prompt_hash,
    )
    (line,) = plan.batch_lines("c1") or []
    assert line["custom_id"] == "c1"
    assert line["body"]["messages"] == plan.calls[0].messages


def test_anything_that_shapes_the_prompt_changes_the_plan() -> None:
    engine = LLMEngine(api_key=KEY)
    articles = load_articles(example_paths())
    plan = engine.plan(articles, max_words=130)
    assert engine.plan(articles, max_words=90).prompt_hash != plan.prompt_hash
    renamed = [articles[0].model_copy(update={"outlet": "Another outlet"}), *articles[1:]]
    assert engine.plan(renamed, max_words=130).prompt_hash != plan.prompt_hash
    articles[0].text = articles[0].text + " One more sentence."
    assert engine.plan(articles, max_words=130).prompt_hash != plan.prompt_hash
    other = LLMEngine(api_key=KEY, temperature=0.5)
    assert other.plan(articles, max_words=130).prompt_hash != plan.prompt_hash


def test_analysing_a_plan_does_not_plan_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeModel([completion(COUNCIL_ANSWER)])
    engine = LLMEngine(client=fake.client(), async_client=fake.async_client())
    articles = [COUNCIL_A, COUNCIL_B]
    plan = engine.plan(articles, max_words=60)
    planned: list[int] = []

    def counted(found: Sequence[Article], max_words: int, settings: object) -> Plan:
        planned.append(max_words)
        raise AssertionError("planned again")

    monkeypatch.setattr(planning, "plan_calls", counted)
    monkeypatch.setattr("evenhand.engines.llm.plan_calls", counted)
    assert engine.analyze_plan(articles, plan).prompt_hash == plan.prompt_hash
    assert planned == []
    assert len(fake.requests) == 1
