"""When a model call fails: which faults are worth another try, how long to wait, and the
evenhand error that says what to do when no try is left.

A call's retries (`Retries`) are as many as its client allows, waiting the service's
`retry-after` or a jittered back-off; a `CallGate` (a batch run's limiter) is waited for before
every request and paused by a 429. The errors name the keyword arguments to change (`timeout`,
`base_url`, structured='json'); the CLI spells them as flags.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import (
    AuthenticationError,
    ConfigError,
    EvenhandError,
    ModelError,
    RateLimitError,
    ServiceError,
)
from .config import STRUCTURED_MODES, LLMSettings

# Waits before a retry, without a `retry-after`: exponential back-off, jittered, at most this.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
_RETRY_STATUS = frozenset({408, 409, 429})
# A wait this long or longer is announced (a warning on the `evenhand.llm` logger).
NOTICE_SECONDS = 1.0

log = logging.getLogger("evenhand.llm")


def _retries(count: int) -> str:
    return f"{count} retr{'y' if count == 1 else 'ies'}"


def service_error(
    exc: Exception, settings: LLMSettings, retries: int | None = None
) -> EvenhandError:
    """An `openai` exception as the evenhand error that says what to do.

    `retries` is how many retries were made before it (default: all that the settings allow);
    with none allowed, the message does not count them. The error's `attempts` counts the tries.
    """
    import openai

    where = settings.endpoint
    count = settings.http_retries if retries is None else retries
    after = f" after {_retries(count)}" if count or settings.http_retries else ""
    attempts = count + 1
    if isinstance(exc, NotJSON):
        # Usually a wrong base URL (a web page or a proxy's error page), not a model's answer.
        return ModelError(
            f"the service at {where} answered with something that is not JSON "
            f"({exc.content_type}){after}: check that `base_url` points at an OpenAI-compatible "
            "API (usually ending /v1)",
            attempts=attempts,
            option="base_url",
        )
    if isinstance(exc, openai.APITimeoutError):
        # Retried only under a gate (see `_worth_retrying`): otherwise no count of retries.
        tried = f" (after {_retries(count)})" if retries else ""
        return ServiceError(
            f"the model service at {where} did not answer within {settings.timeout:g} s{tried}: "
            "raise `timeout` (the time a request waits in a local server's queue counts too: "
            "send at most as many requests at once as the server has slots)",
            attempts=attempts,
            option="timeout",
        )
    if isinstance(exc, openai.APIConnectionError):
        return ServiceError(
            f"could not reach the model service at {where}{after}: check the network or `base_url`",
            attempts=attempts,
            option="base_url",
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        # The service's own message may echo part of the key: never repeat it.
        return AuthenticationError(
            f"the model service at {where} rejected the API key (HTTP {exc.status_code}): "
            "check OPENAI_API_KEY, or `base_url`",
            status_code=exc.status_code,
        )
    if isinstance(exc, openai.RateLimitError):
        return RateLimitError(
            f"the model service at {where} refused with 429 (rate limit or quota){after}: "
            "wait and try again, or check the account's quota",
            status_code=429,
            attempts=attempts,
        )
    if isinstance(exc, openai.NotFoundError):
        return ConfigError(
            f"the model service at {where} does not know model {settings.model!r} (HTTP 404): "
            "check `model` or $EVENHAND_MODEL",
            option="model",
        )
    if isinstance(exc, openai.APIStatusError):
        detail = settings.scrub(_status_detail(exc))
        if exc.status_code >= 500:
            hint = _structured_hint(detail, settings) or "; try again later"
            return ServiceError(
                f"the model service at {where} failed (HTTP {exc.status_code}){after}: "
                f"{detail}{hint}",
                status_code=exc.status_code,
                attempts=attempts,
            )
        return ModelError(
            f"the model service rejected the request (HTTP {exc.status_code}): {detail}"
            f"{_structured_hint(detail, settings)}",
            status_code=exc.status_code,
        )
    return ModelError(f"the model call failed: {settings.scrub(str(exc))[:300]}")


# What a server says when a request is too long for it, and when it cannot take the way the
# answer's shape was asked for (llama.cpp, OpenAI, vLLM and llama-cpp-python wordings).
_CONTEXT_WORDS = re.compile(r"context (?:size|length|window)|too many tokens|maximum.*tokens", re.I)
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|schema|grammar|strict", re.I)


def _structured_hint(detail: str, settings: LLMSettings) -> str:
    """What to try after a rejected request, judged from the server's own reason: a smaller
    context than assumed, or a `structured` mode the server does not take."""
    if _CONTEXT_WORDS.search(detail):
        return (
            f"; the request is larger than the server's context: give its size with "
            f"`context_tokens` (assumed {settings.info.context_window:,} tokens), or start the "
            "server with a larger context"
        )
    if _FORMAT_WORDS.search(detail):
        others = [m for m in STRUCTURED_MODES if m != settings.structured]
        if "json_object" in detail and settings.structured != "json_object":
            others = ["json_object"]  # llama-cpp-python's server names the one it takes
        tries = [f"structured={mode!r}" for mode in others]
        choice = tries[0] if len(tries) == 1 else f"{', '.join(tries[:-1])} or {tries[-1]}"
        return (
            f"; the server may not take structured={settings.structured!r}: try {choice} "
            "(see 'Local models' in the README)"
        )
    return ""


def parse_retry_after(
    ms: str | None, value: str | None, *, now: float | None = None
) -> float | None:
    """`retry-after-ms: 1500` -> 1.5; `retry-after: 2` -> 2.0; an HTTP date -> seconds until it."""
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _worth_retrying(exc: Exception, *, patient: bool = False) -> tuple[bool, float | None]:
    """Whether `exc` is a fault worth another try (429, 408, 409, 5xx, a dropped connection;
    when `patient`, also a timeout and a body that is not JSON), and the wait the service asked
    for, if it gave one."""
    import openai

    if isinstance(exc, openai.APITimeoutError | NotJSON):
        # A slow answer is as slow again, and the server may still be working on the first
        # request: a retry would multiply --timeout, not help one analysis. A batch run, which
        # has many calls in flight and nobody watching, tries again.
        return patient, None
    if isinstance(exc, openai.APIConnectionError):
        return True, None
    if not isinstance(exc, openai.APIStatusError):
        return False, None
    headers = exc.response.headers
    should = headers.get("x-should-retry")
    if should == "false":
        return False, None
    if should != "true" and exc.status_code not in _RETRY_STATUS and exc.status_code < 500:
        return False, None
    return True, parse_retry_after(headers.get("retry-after-ms"), headers.get("retry-after"))


def _what_failed(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    if status == 429:
        return "answered HTTP 429 (rate limit)"
    if isinstance(status, int):
        return f"answered HTTP {status}"
    return "did not answer"


class CallGate(Protocol):
    """What many calls of one run share (a batch run's `--rpm`/`--tpm` limiter, which fits this
    as it is): every request, retries and re-asks included, first waits in `acquire` with its
    planned prompt tokens, and a 429 `pause`s every call for the wait the service asked for.

    Calls under a gate are patient, as an unattended run should be: they also retry a timeout and
    a body that is not JSON (cut off or garbled on the way), and each wait is bounded by
    `LONGEST_GATED_WAIT` instead of all of them together by `settings.timeout`."""

    async def acquire(self, tokens: int = 0) -> None: ...

    def pause(self, seconds: float) -> None: ...


# Under a gate, the longest single wait before a retry, whatever the service's `retry-after`.
LONGEST_GATED_WAIT = 120.0


class NotJSON(Exception):
    """A response body that is not JSON: usually a wrong base URL (a web page, a proxy's error
    page); under a gate, a body garbled on the way, worth another try."""

    def __init__(self, content_type: str) -> None:
        super().__init__(content_type)
        self.content_type = content_type


@dataclass
class Retries:
    """The retries of one call: as many as the client allows (the engine builds its client with
    `settings.http_retries`), and at most `settings.timeout` seconds of waiting between them in
    all, so a long `retry-after` cannot stall a run unseen (under a `CallGate`: see there). A
    wait of `NOTICE_SECONDS` or more is logged as a warning (logger `evenhand.llm`), which the
    CLI shows on stderr."""

    settings: LLMSettings
    allowed: int
    gate: CallGate | None = None
    taken: int = 0
    waited: float = 0.0

    def headers(self) -> dict[str, str]:
        # What the openai client sends when it retries by itself; ours are made here instead.
        return {"x-stainless-retry-count": str(self.taken)}

    def wait_after(self, exc: Exception) -> float:
        """Seconds to wait before trying again after `exc`; raises the evenhand error for `exc`
        when it is not worth a retry, none is left, or the wait would pass the time allowed.
        Call it while handling `exc`, so that the error keeps `exc` as its context."""
        settings = self.settings
        retry, asked = _worth_retrying(exc, patient=self.gate is not None)
        if not retry or self.taken >= self.allowed:
            raise service_error(exc, settings, self.taken) from None
        wait = asked
        if wait is None:
            wait = min(BACKOFF_CAP, BACKOFF_BASE * 2**self.taken) * (1 - 0.25 * random.random())
        if self.gate is not None:
            wait = min(wait, LONGEST_GATED_WAIT)
            if getattr(exc, "status_code", None) == 429:
                self.gate.pause(wait)  # every call of the run holds back, not only this one
        elif wait > (left := settings.timeout - self.waited):
            cls = RateLimitError if getattr(exc, "status_code", None) == 429 else ServiceError
            raise cls(
                f"the model service at {settings.endpoint} {_what_failed(exc)} and asked to "
                f"wait {wait:g} s before a retry, longer than the {max(left, 0):g} s of waiting "
                f"that `timeout` ({settings.timeout:g} s) leaves for this call (after "
                f"{_retries(self.taken)}): try again later, or raise `timeout`",
                status_code=getattr(exc, "status_code", None),
                attempts=self.taken + 1,
                option="timeout",
            ) from None
        self.taken += 1
        self.waited += wait
        log.log(
            logging.WARNING if wait >= NOTICE_SECONDS else logging.DEBUG,
            "the model service at %s %s; waiting %s s before retry %d of %d",
            settings.endpoint.split("://", 1)[-1],
            _what_failed(exc),
            f"{wait:.3g}",
            self.taken,
            self.allowed,
        )
        return wait


def _status_detail(exc: Any) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        message = inner.get("message") if isinstance(inner, dict) else None
        if isinstance(message, str):
            return message[:300]
    return str(exc.message)[:300]
