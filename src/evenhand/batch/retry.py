"""Retries of a whole cluster, for engines other than the llm engine (whose every model call is
retried by itself: see `evenhand.llm.calling`): which failures are worth another try, and how long
to wait. `is_retryable` also tells the errors file whether a rerun may succeed.

Rate limits and service faults (429, 5xx, timeouts, dropped connections, a response body that is
not JSON) are retried; anything
else (a bad key, output that fails the schema after the engine's own re-asks, bad input) is not.
The wait honours the server's `retry-after` when it gives one, otherwise it is exponential
back-off with full jitter, so many tasks that failed together do not retry together.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from ..errors import RateLimitError, ServiceError
from ..llm.retries import parse_retry_after as parse_retry_after  # noqa: PLC0414 (re-export)

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    retries: int = 4
    base: float = 0.5
    cap: float = 30.0
    longest_retry_after: float = 120.0
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return self.rng.uniform(0.0, min(self.cap, self.base * 2**attempt))

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            # At least what the server asked, plus a little jitter to spread the herd.
            wait = min(retry_after, self.longest_retry_after)
            return wait + self.rng.uniform(0.0, min(1.0, 0.1 * wait + 0.05))
        return self.backoff(attempt)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_retryable(exc: BaseException) -> bool:
    """True for rate limits and transient service faults, wherever they sit in the cause chain."""
    import openai

    for item in _chain(exc):
        if isinstance(item, RateLimitError | ServiceError):
            return True
        status = _status(item)
        if status is not None:
            return status in RETRYABLE_STATUS
        # APIConnectionError includes APITimeoutError. A response body that is not JSON at all
        # (cut off or garbled on the way) is a transport fault too; a model's own text that
        # fails the schema is not (it surfaces as a pydantic ValidationError).
        if isinstance(
            item,
            openai.APIConnectionError | TimeoutError | ConnectionError | json.JSONDecodeError,
        ):
            return True
    return False


def is_rate_limit(exc: BaseException) -> bool:
    return any(isinstance(i, RateLimitError) or _status(i) == 429 for i in _chain(exc))


def retry_after(exc: BaseException, *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, from `retry-after-ms` / `retry-after`, if any."""
    for item in _chain(exc):
        value = getattr(item, "retry_after", None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        response: Any = getattr(item, "response", None)
        headers: Any = getattr(response, "headers", None)
        if headers is None:
            continue
        parsed = parse_retry_after(
            headers.get("retry-after-ms"), headers.get("retry-after"), now=now
        )
        if parsed is not None:
            return parsed
    return None
