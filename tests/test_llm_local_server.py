"""The LLM engine against local OpenAI-compatible servers (llama.cpp's llama-server,
llama-cpp-python's server, vLLM, Ollama), as the fake model plays them: their errors, their
limits, the structured-output modes each wants, and the answers a small model gives.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from evenhand.cli.dry_run import dry_run
from evenhand.cli.errors import cli_message
from evenhand.engines.llm import LLMEngine
from evenhand.errors import InvalidModelOutput, ModelError, ServiceError, UsageError
from evenhand.llm.answer_models import ModelAnswer, strict_schema
from evenhand.llm.calling import EMPTY_ANSWER
from evenhand.llm.server import context_of, server_root
from evenhand.schema import Article
from llm_fakes import COUNCIL_A, COUNCIL_ANSWER, COUNCIL_B, FakeModel, Reply, completion

LOCAL = "http://127.0.0.1:8080/v1"
A, B, GOOD = COUNCIL_A, COUNCIL_B, COUNCIL_ANSWER
EMPTY: dict[str, Any] = {"summary": [], "contested_claims": [], "loaded_language": []}
# What llama.cpp's llama-server answers under /v1/models and /props (trimmed).
LLAMA_MODELS = {
    "object": "list",
    "data": [
        {"id": "gemma-3-270m", "object": "model", "meta": {"n_ctx": 2048, "n_ctx_train": 32768}}
    ],
}
LLAMA_PROPS = {"total_slots": 1, "default_generation_settings": {"n_ctx": 2048}}


def _local(fake: FakeModel, **options: Any) -> LLMEngine:
    return LLMEngine(
        base_url=LOCAL,
        model=options.pop("model", "gemma-3-270m"),
        client=fake.client(base_url=LOCAL),
        http_retries=0,
        **options,
    )


def _error(status: int, message: str, kind: str = "server_error") -> Reply:
    return Reply(status, {"error": {"code": status, "message": message, "type": kind}})


# --- 1, 2: the server's own reason, and a hint that fits it ------------------------------------


def test_a_5xx_keeps_the_servers_reason() -> None:
    # llama-cpp-python's server refusing a json_schema response_format.
    reason = "1 validation error: response_format.type: Input should be 'text' or 'json_object'"
    with pytest.raises(ServiceError) as caught:
        _local(FakeModel([_error(500, reason)])).analyze([A, B], max_words=60)
    message = str(caught.value)
    assert "HTTP 500" in message
    assert "Input should be 'text' or 'json_object'" in message
    assert "try structured='json_object'" in message  # the reason is about the format
    assert "--" not in message  # the library's terms; the CLI says --structured json_object
    assert "try --structured json_object" in cli_message(caught.value)
    assert "\n" not in message


def test_a_5xx_without_a_format_reason_says_try_again() -> None:
    with pytest.raises(ServiceError, match=r"HTTP 503\): loading model; try again later"):
        _local(FakeModel([_error(503, "loading model")])).analyze([A, B], max_words=60)


def test_a_context_overflow_400_points_at_the_context_not_the_structured_mode() -> None:
    reason = (
        "request (5120 tokens) exceeds the available context size (4096 tokens), try increasing it"
    )
    fake = FakeModel([_error(400, reason, "exceed_context_size_error")])
    with pytest.raises(ModelError) as caught:
        _local(fake).analyze([A, B], max_words=60)
    message = str(caught.value)
    assert "exceeds the available context size" in message
    assert "`context_tokens`" in message
    assert "structured=" not in message
    assert "give its size with --context-tokens" in cli_message(caught.value)


def test_a_400_about_the_schema_suggests_another_structured_mode() -> None:
    fake = FakeModel([_error(400, "Invalid schema for response_format 'LLMDraft'", "invalid")])
    with pytest.raises(ModelError) as caught:
        _local(fake).analyze([A, B], max_words=60)
    tries = "structured='json', structured='json_object' or structured='plain'"
    assert f"try {tries} (see" in str(caught.value)
    cli = "try --structured json, --structured json_object or --structured plain"
    assert cli in cli_message(caught.value)


def test_a_400_about_something_else_gets_no_structured_hint() -> None:
    fake = FakeModel([_error(400, "temperature must be at most 2", "invalid")])
    with pytest.raises(ModelError) as caught:
        _local(fake).analyze([A, B], max_words=60)
    assert "structured" not in str(caught.value)
    assert "context_tokens" not in str(caught.value)


# --- 3: the context window and the output cap -------------------------------------------------


def test_the_context_size_a_llama_server_reports_is_the_planning_budget() -> None:
    article = Article(id="long", text=" ".join([A.text] * 120))
    fake = FakeModel(server={"/v1/models": LLAMA_MODELS, "/props": LLAMA_PROPS})
    engine = _local(fake, max_output_tokens=256)
    plan = engine.plan([article, B], max_words=60)
    assert engine.settings.info.context_window == 2048
    assert engine.server_limits().slots == 1
    assert plan.mode == "map_reduce"  # 32,768 tokens assumed before: one call
    assert fake.reads == ["/v1/models", "/props"]
    engine.plan([A, B], max_words=60)
    assert len(fake.reads) == 2  # read once


def test_a_given_context_wins_over_the_servers_and_the_output_cap_is_sent() -> None:
    fake = FakeModel([completion(GOOD)], server={"/v1/models": LLAMA_MODELS})
    engine = _local(fake, context_tokens=8192, max_output_tokens=300)
    engine.analyze([A, B], max_words=60)
    assert engine.settings.info.context_window == 8192
    assert fake.requests[0].body["max_tokens"] == 300


def test_a_server_that_says_nothing_keeps_the_table_and_costs_no_model_call() -> None:
    fake = FakeModel([completion(GOOD)])  # every GET is a 404
    engine = _local(fake)
    engine.analyze([A, B], max_words=60)
    assert engine.settings.info.context_window == 32768
    assert len(fake.requests) == 1


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENHAND_CONTEXT_TOKENS", "4096")
    monkeypatch.setenv("EVENHAND_MAX_OUTPUT_TOKENS", "512")
    info = LLMEngine(base_url=LOCAL, read_server_limits=False).settings.info
    assert (info.context_window, info.max_output) == (4096, 512)
    monkeypatch.setenv("EVENHAND_CONTEXT_TOKENS", "lots")
    with pytest.raises(UsageError, match="EVENHAND_CONTEXT_TOKENS"):
        LLMEngine(base_url=LOCAL)


def test_limits_are_checked() -> None:
    with pytest.raises(UsageError, match="context_tokens must be at least") as caught:
        LLMEngine(base_url=LOCAL, context_tokens=10)
    assert caught.value.option == "context_tokens"  # the CLI says --context-tokens
    with pytest.raises(UsageError, match="max_output_tokens must be at least"):
        LLMEngine(base_url=LOCAL, max_output_tokens=1)


def test_dry_run_says_where_the_context_size_came_from() -> None:
    text = dry_run([A, B], max_words=60, base_url=LOCAL, context_tokens=4096)
    assert "context window 4,096 tokens (given)" in text


def test_server_answers_are_read_leniently() -> None:
    assert context_of(LLAMA_MODELS, "anything") == 2048  # one model served, under its own name
    assert context_of({"data": [{"id": "x"}, {"id": "y"}]}, "z") is None
    assert context_of("<html>", "x") is None
    assert server_root("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080"
    assert server_root("http://host/proxy/v1/") == "http://host/proxy"


# --- 4: an empty answer is not a clean report -------------------------------------------------


def test_an_empty_answer_is_reasked_then_reported_as_invalid() -> None:
    fake = FakeModel([completion(EMPTY), completion(EMPTY)])
    with pytest.raises(InvalidModelOutput) as caught:
        _local(fake, reasks=1).analyze([A, B], max_words=60)
    assert len(fake.requests) == 2
    assert "the answer was empty" in str(caught.value)
    assert caught.value.exit_code == 1
    assert EMPTY_ANSWER in fake.requests[1].messages[-1]["content"]


def test_re_asks_come_from_the_environment_for_a_slow_local_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVENHAND_REASKS", "0")
    fake = FakeModel([completion(EMPTY)])
    with pytest.raises(InvalidModelOutput, match="after 0 re-asks") as caught:
        _local(fake).analyze([A, B], max_words=60)
    assert len(fake.requests) == 1
    assert "structured='strict'" not in str(caught.value)  # it is the mode already
    assert _local(fake, reasks=3).settings.reasks == 3  # an argument wins


def test_an_empty_answer_then_a_real_one_gives_the_report() -> None:
    fake = FakeModel([completion(EMPTY), completion(GOOD)])
    draft = _local(fake).analyze([A, B], max_words=60)
    assert draft.summary


# --- structured-output modes ------------------------------------------------------------------


def test_json_object_mode_sends_the_schema_in_a_json_object_format() -> None:
    fake = FakeModel([completion(GOOD)])
    _local(fake, structured="json_object").analyze([A, B], max_words=60)
    shape = fake.requests[0].body["response_format"]
    assert shape == {"type": "json_object", "schema": strict_schema(ModelAnswer)}


def test_plain_mode_puts_the_schema_in_the_prompt_and_reasks_on_invalid_json() -> None:
    fake = FakeModel([completion("Sure! Here is the summary."), completion(GOOD)])
    draft = _local(fake, structured="plain").analyze([A, B], max_words=60)
    assert draft.summary
    first = fake.requests[0].body
    assert "response_format" not in first
    assert (
        json.dumps(strict_schema(ModelAnswer), separators=(",", ":"))
        in first["messages"][-1]["content"]
    )
    assert len(fake.requests) == 2
    assert fake.requests[1].messages[-2]["content"] == "Sure! Here is the summary."


def test_an_unknown_structured_mode_names_the_four() -> None:
    with pytest.raises(UsageError, match="strict, json, json_object or plain"):
        LLMEngine(base_url=LOCAL, structured="grammar")  # type: ignore[arg-type]


# --- 9: a timeout is not multiplied by retries ------------------------------------------------


def test_a_timeout_is_not_retried_and_says_what_to_change() -> None:
    fake = FakeModel([httpx2.ReadTimeout("read timed out"), completion(GOOD)])
    engine = LLMEngine(
        base_url=LOCAL,
        client=fake.client(max_retries=2, base_url=LOCAL),
        http_retries=2,
        timeout=60,
    )
    with pytest.raises(ServiceError) as caught:
        engine.analyze([A, B], max_words=60)
    assert len(fake.requests) == 1
    message = str(caught.value)
    assert "did not answer within 60 s" in message
    assert "slots" in message
