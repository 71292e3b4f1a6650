"""Faults of the model service and of the model's answers, each with its expected behaviour.

The real `openai` client runs over the fake model's in-memory transport; client retries are off
unless a test is about them. Every fault ends in a retry that succeeds or in an `EvenhandError`
with the exit code the CLI uses (2: the user can fix it; 1: the service or the model failed).
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from evenhand.cli.errors import cli_message
from evenhand.engines.llm import LLMEngine
from evenhand.errors import (
    AuthenticationError,
    ConfigError,
    EvenhandError,
    InvalidModelOutput,
    ModelError,
    ModelRefusal,
    OutputTruncated,
    RateLimitError,
    ServiceError,
)
from llm_fakes import COUNCIL_A, COUNCIL_ANSWER, COUNCIL_B, DUMMY_KEY, FakeModel, Reply, completion

A, B, GOOD = COUNCIL_A, COUNCIL_B, COUNCIL_ANSWER


def _engine(fake: FakeModel, *, retries: int = 0, **options: Any) -> LLMEngine:
    return LLMEngine(client=fake.client(max_retries=retries), http_retries=retries, **options)


def _error(status: int, message: str, **headers: str) -> Reply:
    body = {"error": {"message": message, "type": "error", "param": None, "code": None}}
    return Reply(status, body, headers)


def _analyze(engine: LLMEngine) -> Any:
    return engine.analyze([A, B], max_words=60)


def test_401_is_an_authentication_error_that_never_repeats_the_key() -> None:
    fake = FakeModel([_error(401, f"Incorrect API key provided: {DUMMY_KEY}.")])
    with pytest.raises(AuthenticationError) as caught:
        _analyze(_engine(fake))
    assert caught.value.exit_code == 2
    assert DUMMY_KEY not in str(caught.value)
    assert "OPENAI_API_KEY" in str(caught.value)


def test_429_with_retry_after_is_retried_and_succeeds() -> None:
    fake = FakeModel(
        [_error(429, "Rate limit reached", **{"retry-after": "0.01"}), completion(GOOD)]
    )
    draft = _analyze(_engine(fake, retries=1))
    assert len(fake.requests) == 2
    assert fake.requests[1].headers["x-stainless-retry-count"] == "1"
    assert draft.summary[0].support[0].text == "The council approved the budget on Monday"


def test_429_after_every_retry_is_a_rate_limit_error() -> None:
    fake = FakeModel([_error(429, "quota", **{"retry-after": "0.01"})] * 2)
    with pytest.raises(RateLimitError) as caught:
        _analyze(_engine(fake, retries=1))
    assert caught.value.exit_code == 1
    assert len(fake.requests) == 2


def test_500_is_retried_and_succeeds() -> None:
    fake = FakeModel([_error(500, "server error", **{"retry-after-ms": "1"}), completion(GOOD)])
    assert _analyze(_engine(fake, retries=1)).summary
    assert len(fake.requests) == 2


def test_500_without_retries_is_a_service_error() -> None:
    fake = FakeModel([_error(500, "server error")])
    with pytest.raises(ServiceError, match="HTTP 500") as caught:
        _analyze(_engine(fake))
    assert caught.value.exit_code == 1


def test_timeout_is_a_service_error_naming_the_timeout() -> None:
    fake = FakeModel([httpx2.ReadTimeout("read timed out")])
    with pytest.raises(ServiceError, match="did not answer within 7 s"):
        _analyze(_engine(fake, timeout=7))


def test_connection_reset_is_retried_then_reported() -> None:
    reset = httpx2.ReadError("[Errno 104] Connection reset by peer")
    fake = FakeModel([reset, completion(GOOD)])
    assert _analyze(_engine(fake, retries=1)).summary
    fake = FakeModel([reset])
    with pytest.raises(ServiceError, match="could not reach"):
        _analyze(_engine(fake))


def test_a_body_that_is_not_json_is_a_model_error_pointing_at_the_base_url() -> None:
    page = Reply(200, b"<html><body>Welcome to nginx</body></html>", {"content-type": "text/html"})
    fake = FakeModel([page])
    with pytest.raises(ModelError, match="not JSON") as caught:
        _analyze(_engine(fake))
    assert "`base_url`" in str(caught.value)
    assert caught.value.option == "base_url"
    assert "check that --base-url points at" in cli_message(caught.value)
    assert caught.value.exit_code == 1


def test_invalid_json_is_reasked_with_the_errors_and_usage_is_summed() -> None:
    bad = completion({"summary": "one sentence"}, prompt_tokens=900, completion_tokens=10)
    fake = FakeModel([bad, completion(GOOD, prompt_tokens=1000, completion_tokens=40)])
    draft = _analyze(_engine(fake))
    assert len(fake.requests) == 2
    retry = fake.requests[1].messages
    assert retry[:2] == fake.requests[0].messages
    assert retry[2] == {"role": "assistant", "content": json.dumps({"summary": "one sentence"})}
    assert retry[3]["role"] == "user"
    assert "summary: Input should be a valid array" in retry[3]["content"]
    assert "contested_claims: Field required" in retry[3]["content"]
    usage = draft.token_usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (1900, 50, 2)


def test_json_failing_every_time_carries_last_output_and_every_usage() -> None:
    fake = FakeModel([completion("not json at all", completion_tokens=5 + i) for i in range(3)])
    with pytest.raises(InvalidModelOutput) as caught:
        _analyze(_engine(fake, reasks=2))
    assert len(fake.requests) == 3
    assert caught.value.last_output == "not json at all"
    assert [u.completion_tokens for u in caught.value.usages] == [5, 6, 7]
    assert caught.value.exit_code == 1


def test_length_finish_is_output_truncated_with_the_partial_text() -> None:
    fake = FakeModel([completion('{"summary": [{"text": "The coun', finish_reason="length")])
    with pytest.raises(OutputTruncated) as caught:
        _analyze(_engine(fake))
    assert caught.value.partial_text == '{"summary": [{"text": "The coun'
    assert len(fake.requests) == 1


def test_refusal_is_a_model_refusal() -> None:
    fake = FakeModel([completion(None, refusal="I can't help with that request.")])
    with pytest.raises(ModelRefusal) as caught:
        _analyze(_engine(fake))
    assert caught.value.refusal == "I can't help with that request."
    assert len(fake.requests) == 1


def test_empty_choices_are_reasked_then_succeed_or_fail_clearly() -> None:
    fake = FakeModel([completion(None, choices=False), completion(GOOD)])
    assert _analyze(_engine(fake)).summary
    fake = FakeModel([completion(None, choices=False)] * 2)
    with pytest.raises(InvalidModelOutput, match="no choices"):
        _analyze(_engine(fake, reasks=1))


def test_missing_key_for_openai_names_both_fixes() -> None:
    with pytest.raises(ConfigError) as caught:
        _analyze(LLMEngine())
    message = str(caught.value)
    assert "OPENAI_API_KEY" in message
    assert "`base_url`" in message
    assert "--base-url" in cli_message(caught.value)
    assert caught.value.exit_code == 2


def test_every_fault_is_an_evenhand_error() -> None:
    for error in (AuthenticationError, RateLimitError, ServiceError, ModelRefusal, OutputTruncated):
        assert issubclass(error, EvenhandError)
