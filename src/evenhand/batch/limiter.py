"""Token buckets for requests and tokens per minute, shared by every task of a run.

Each bucket refills continuously at `per_minute / 60` a second and holds at most `burst` (by
default one second's worth, at least 1), so a run starts smoothly instead of spending a whole
minute's allowance in its first instant. A request bigger than the bucket waits for a full
bucket and then takes it into debt, so one large prompt is never stuck forever. A 429 pauses
every task until the server's `retry-after` has passed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    def __init__(
        self,
        per_minute: float,
        *,
        burst: float | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.capacity = burst if burst is not None else max(1.0, self.rate)
        self._clock = clock
        self._level = self.capacity
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._level = min(self.capacity, self._level + (now - self._stamp) * self.rate)
        self._stamp = now

    def wait_time(self, amount: float) -> float:
        """Seconds until `amount` can be taken (0 when it can be taken now)."""
        self._refill()
        needed = min(amount, self.capacity)
        if self._level >= needed:
            return 0.0
        return (needed - self._level) / self.rate

    def take(self, amount: float) -> None:
        self._refill()
        self._level -= amount


class RateLimiter:
    """Requests-per-minute and tokens-per-minute limits, plus a shared pause after a 429."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self.requests = TokenBucket(rpm, clock=clock) if rpm else None
        # A tokens bucket holds one second's worth, but never less than a typical prompt.
        self.tokens = TokenBucket(tpm, burst=max(tpm / 60.0, 4096.0), clock=clock) if tpm else None
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self.waited = 0.0

    def pause(self, seconds: float) -> None:
        """Hold every acquire for `seconds` from now (a server asked us to back off)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def acquire(self, tokens: int = 0) -> None:
        """Wait until one request of `tokens` prompt tokens fits both limits, then take it.

        The lock makes waiters queue in arrival order, so a large request is not starved.
        """
        async with self._lock:
            while True:
                delay = max(0.0, self._paused_until - self._clock())
                if self.requests is not None:
                    delay = max(delay, self.requests.wait_time(1))
                if self.tokens is not None and tokens:
                    delay = max(delay, self.tokens.wait_time(tokens))
                if delay <= 0:
                    break
                self.waited += delay
                await self._sleep(delay)
            if self.requests is not None:
                self.requests.take(1)
            if self.tokens is not None and tokens:
                self.tokens.take(tokens)
