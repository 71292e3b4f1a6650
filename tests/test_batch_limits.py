"""Token buckets, the shared pause after a 429, retry decisions and `retry-after` parsing."""

from __future__ import annotations

import random
from email.utils import formatdate

import httpx2
import openai
import pytest

from evenhand.batch.limiter import RateLimiter, TokenBucket
from evenhand.batch.retry import (
    RetryPolicy,
    is_rate_limit,
    is_retryable,
    parse_retry_after,
    retry_after,
)
from evenhand.errors import (
    AuthenticationError,
    InvalidModelOutput,
    RateLimitError,
    ServiceError,
)


class FakeTime:
    """A clock that only moves when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_bucket_refills_at_its_rate_and_caps_at_its_burst() -> None:
    t = FakeTime()
    bucket = TokenBucket(120, clock=t.clock)  # 2 a second, burst 2
    assert bucket.capacity == 2
    assert bucket.wait_time(1) == 0
    bucket.take(1)
    bucket.take(1)
    assert bucket.wait_time(1) == pytest.approx(0.5)
    t.now += 10
    assert bucket.wait_time(2) == 0
    bucket.take(2)
    assert bucket.wait_time(1) == pytest.approx(0.5)


def test_a_request_bigger_than_the_bucket_waits_for_a_full_bucket_then_goes_into_debt() -> None:
    t = FakeTime()
    bucket = TokenBucket(600, burst=10, clock=t.clock)  # 10 a second
    assert bucket.wait_time(50) == 0  # full: 50 > 10 may start now
    bucket.take(50)
    assert bucket.wait_time(1) == pytest.approx(4.1)  # debt of 40, then one token


async def test_requests_per_minute_spread_requests_out() -> None:
    t = FakeTime()
    limiter = RateLimiter(rpm=60, clock=t.clock, sleep=t.sleep)  # one a second
    for _ in range(5):
        await limiter.acquire()
    assert t.now == pytest.approx(104.0)  # the first is free, then one a second
    assert limiter.waited == pytest.approx(4.0)


async def test_tokens_per_minute_hold_back_large_prompts() -> None:
    t = FakeTime()
    limiter = RateLimiter(tpm=600_000, clock=t.clock, sleep=t.sleep)  # 10,000 a second
    await limiter.acquire(10_000)
    await limiter.acquire(10_000)
    assert t.now == pytest.approx(101.0)
    await limiter.acquire(0)  # a cache-free planning call with no tokens never waits
    assert t.now == pytest.approx(101.0)


async def test_a_pause_holds_every_acquire() -> None:
    t = FakeTime()
    limiter = RateLimiter(clock=t.clock, sleep=t.sleep)
    await limiter.acquire()
    limiter.pause(3.0)
    limiter.pause(1.0)  # a shorter pause never shortens a longer one
    await limiter.acquire()
    assert t.now == pytest.approx(103.0)


def _status_error(status: int, headers: dict[str, str]) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    cls: type[openai.APIStatusError] = openai.BadRequestError
    if status == 429:
        cls = openai.RateLimitError
    elif status >= 500:
        cls = openai.InternalServerError
    return cls("boom", response=response, body=None)


def _wrapped(inner: Exception, outer: Exception) -> Exception:
    """What the LLM engine does: raise its own error while handling the client's."""
    try:
        try:
            raise inner
        except Exception:
            raise outer from None
    except Exception as exc:
        return exc


def test_rate_limits_and_service_faults_are_retried_the_rest_is_not() -> None:
    limited = _wrapped(_status_error(429, {"retry-after": "7"}), RateLimitError("429"))
    assert is_retryable(limited)
    assert is_rate_limit(limited)
    assert retry_after(limited) == 7.0
    assert is_retryable(ServiceError("timed out"))
    assert is_retryable(_status_error(503, {}))
    assert is_retryable(openai.APITimeoutError(request=httpx2.Request("GET", "http://x")))
    assert not is_retryable(AuthenticationError("bad key"))
    assert not is_retryable(InvalidModelOutput("invalid", "", []))
    assert not is_retryable(_status_error(400, {}))
    assert not is_retryable(ValueError("a bug"))
    assert not is_rate_limit(ServiceError("500"))


def test_retry_after_forms() -> None:
    assert parse_retry_after("1500", "9") == 1.5
    assert parse_retry_after(None, "2") == 2.0
    assert parse_retry_after(None, "soon") is None
    assert parse_retry_after(None, None) is None
    when = formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(None, when, now=1_000_000) == pytest.approx(30.0)
    assert retry_after(_status_error(429, {"retry-after-ms": "250"})) == 0.25
    assert retry_after(ServiceError("no headers")) is None


def test_backoff_is_jittered_within_its_cap_and_retry_after_is_a_floor() -> None:
    policy = RetryPolicy(base=0.5, cap=4.0, rng=random.Random(1))
    waits = [policy.delay(attempt, None) for attempt in range(8) for _ in range(20)]
    assert all(0 <= w <= 4.0 for w in waits)
    assert len({round(w, 6) for w in waits}) > 100  # spread, not a fixed schedule
    assert all(3.0 <= policy.delay(0, 3.0) <= 4.0 for _ in range(50))
    assert policy.delay(0, 10_000) <= policy.longest_retry_after + 1
