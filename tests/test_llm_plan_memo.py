"""`LLMEngine.plan` plans a cluster once and then remembers it; what it returns is what planning
afresh returns, and anything that changes the prompt is planned again."""

from __future__ import annotations

from evenhand.data import example_paths
from evenhand.engines.llm import PLAN_MEMO_SIZE, LLMEngine
from evenhand.llm.plan import Plan, plan_calls
from evenhand.schema import Article
from evenhand.sources import load_articles

KEY = "sk-test-dummy-key-0000"


def _fields(plan: Plan) -> tuple[object, ...]:
    calls = [(c.step, c.messages, c.prompt_tokens, c.max_output, c.article_ids) for c in plan.calls]
    return (plan.mode, plan.prompt_version, plan.prompt_hash, plan.merge_prompt_tokens, calls)


def _same(a: Plan, b: Plan) -> None:
    assert _fields(a) == _fields(b)


def test_a_cluster_is_planned_once_and_the_plan_is_what_planning_afresh_gives() -> None:
    engine = LLMEngine(api_key=KEY)
    articles = load_articles(example_paths())
    first = engine.plan(articles, max_words=130)
    # The batch runner asks three times: cache identity, token estimate, the call.
    engine.cache_identity(articles, max_words=130)
    engine.estimate_prompt_tokens(articles, max_words=130)
    again = engine.plan([a.model_copy() for a in articles], max_words=130)
    assert again is first
    _same(first, plan_calls(articles, 130, engine.settings))


def test_map_reduce_plans_are_remembered_unchanged() -> None:
    engine = LLMEngine(model="gpt-3.5-turbo", api_key=KEY)
    # Each article fits one extract call; the three together do not fit one analyze call.
    articles = [
        Article(
            id=f"long-{n}",
            text=" ".join(f"Council {n} met on day {i} and approved item {i}." for i in range(300)),
        )
        for n in range(3)
    ]
    plan = engine.plan(articles, max_words=80)
    assert plan.mode == "map_reduce"
    assert len(plan.calls) == 3
    assert engine.plan(articles, max_words=80) is plan
    _same(plan, plan_calls(articles, 80, engine.settings))


def test_anything_that_shapes_the_prompt_is_planned_again() -> None:
    engine = LLMEngine(api_key=KEY)
    articles = load_articles(example_paths())
    plan = engine.plan(articles, max_words=130)
    assert engine.plan(articles, max_words=90).prompt_hash != plan.prompt_hash
    renamed = [articles[0].model_copy(update={"outlet": "Another outlet"}), *articles[1:]]
    assert engine.plan(renamed, max_words=130).prompt_hash != plan.prompt_hash
    # An article changed in place is a different cluster.
    articles[0].text = articles[0].text + " One more sentence."
    changed = engine.plan(articles, max_words=130)
    assert changed.prompt_hash != plan.prompt_hash
    _same(changed, plan_calls(articles, 130, engine.settings))
    other = LLMEngine(api_key=KEY, temperature=0.5)
    assert other.plan(articles, max_words=130).prompt_hash != changed.prompt_hash


def test_the_memo_is_bounded() -> None:
    engine = LLMEngine(api_key=KEY)
    clusters = [
        [Article(id="a", text=f"The council met on day {i}."), Article(id="b", text="It rained.")]
        for i in range(PLAN_MEMO_SIZE + 1)
    ]
    first = engine.plan(clusters[0], max_words=60)
    for cluster in clusters[1:]:
        engine.plan(cluster, max_words=60)
    replanned = engine.plan(clusters[0], max_words=60)
    assert replanned is not first
    _same(replanned, first)
