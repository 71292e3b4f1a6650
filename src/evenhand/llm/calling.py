"""Making one planned call: send, read the raw completion, validate, re-ask on invalid output.

The raw response body is read (`with_raw_response`) so that the usage of every attempt is known,
even of attempts whose content fails validation. `interpret` turns one completion body into the
response model or a precise error; it also serves completions that come back from the Batch API.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from pydantic import BaseModel, ValidationError

from ..errors import (
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
from ..prompts import load_prompt
from ..schema import TokenUsage
from ..token_count import estimate_cost
from .answer_models import is_empty
from .config import STRUCTURED_MODES, LLMSettings
from .plan import CallSpec, request_body
from .progress import NO_PROGRESS, Progress, ProgressEvent

if TYPE_CHECKING:
    import openai

MAX_ERRORS_SHOWN = 8
EMPTY_ANSWER = (
    "the answer was empty (every list in it was empty): the articles always support at least "
    "one summary sentence"
)
# Waits before a retry, without a `retry-after`: exponential back-off, jittered, at most this.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
_RETRY_STATUS = frozenset({408, 409, 429})
# A wait this long or longer is announced (a warning on the `evenhand.llm` logger).
NOTICE_SECONDS = 1.0

log = logging.getLogger("evenhand.llm")
T = TypeVar("T")


@dataclass
class Usage:
    """Tokens of one attempt, as the service reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


@dataclass
class CallResult:
    parsed: BaseModel
    usages: list[Usage] = field(default_factory=list)


class InvalidAnswer(Exception):
    """An answer that can be re-asked: empty, not JSON, or failing the schema."""

    def __init__(self, text: str, errors: str) -> None:
        super().__init__(errors)
        self.text = text
        self.errors = errors


def usage_of(body: object) -> Usage:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return Usage()
    details = usage.get("prompt_tokens_details")
    cached = details.get("cached_tokens") if isinstance(details, dict) else 0
    return Usage(
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
        cached_tokens=int(cached or 0),
    )


def total_usage(usages: list[Usage], settings: LLMSettings) -> TokenUsage:
    """Usage summed over attempts, with the estimated cost (None when the price is unknown)."""
    prompt = sum(u.prompt_tokens for u in usages)
    completion = sum(u.completion_tokens for u in usages)
    cached = sum(u.cached_tokens for u in usages)
    return TokenUsage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        cached_tokens=cached,
        calls=len(usages),
        estimated_cost_usd=estimate_cost(settings.info, prompt, completion, cached),
    )


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)


def _validation_summary(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:MAX_ERRORS_SHOWN]:
        where = ".".join(str(p) for p in error["loc"]) or "(the whole answer)"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - MAX_ERRORS_SHOWN
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def interpret(body: object, response_model: type[BaseModel]) -> BaseModel:
    """One completion body -> the validated answer, or the error that fits.

    Raises `ModelRefusal` (refusal or content filter) and `OutputTruncated` (`length` finish),
    which are final, and `InvalidAnswer` (no choices, empty, not JSON, schema errors), which may be
    re-asked.
    """
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise InvalidAnswer("", "the response contained no answer (no choices)")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    assert isinstance(message, dict)
    raw_content = message.get("content")
    content = raw_content if isinstance(raw_content, str) else ""
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal:
        raise ModelRefusal(f"the model refused to answer: {refusal[:200]}", refusal)
    finish = choice.get("finish_reason")
    if finish == "length":
        raise OutputTruncated(
            "the model stopped at its output limit before finishing its answer; "
            "analyse fewer or shorter articles, or use a model with a larger output limit",
            partial_text=content,
        )
    if finish == "content_filter":
        raise ModelRefusal(
            "the model service's content filter stopped the answer", refusal="content_filter"
        )
    if not content.strip():
        raise InvalidAnswer("", "the answer was empty")
    fenced = _FENCE.match(content)
    text = fenced.group(1) if fenced else content
    try:
        parsed = response_model.model_validate_json(text)
    except ValidationError as exc:
        raise InvalidAnswer(content, _validation_summary(exc)) from exc
    if is_empty(parsed):
        raise InvalidAnswer(content, EMPTY_ANSWER)
    return parsed


def _reask_messages(messages: list[dict[str, str]], bad: InvalidAnswer) -> list[dict[str, str]]:
    follow_up = load_prompt("reask").render_user(errors=bad.errors)
    added = [{"role": "assistant", "content": bad.text}] if bad.text else []
    return [*messages, *added, {"role": "user", "content": follow_up}]


def _send_kwargs(
    spec: CallSpec, messages: list[dict[str, str]], settings: LLMSettings
) -> dict[str, Any]:
    # The ready-made `response_format` is exactly what `parse` builds from the class (the same
    # converter, cached): `parse` sends a dict as is instead of rebuilding the schema every call.
    # A `json_object` format with a schema is not a type the client knows: it goes as extra body.
    kwargs = request_body(spec, settings, messages)
    response_format = kwargs.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_object":
        kwargs["extra_body"] = {"response_format": kwargs.pop("response_format")}
    return kwargs


def _retries(count: int) -> str:
    return f"{count} retr{'y' if count == 1 else 'ies'}"


def service_error(
    exc: Exception, settings: LLMSettings, retries: int | None = None
) -> EvenhandError:
    """An `openai` exception as the evenhand error that says what to do.

    `retries` is how many retries were made before it (default: all that the settings allow);
    with none allowed (a batch run retries by itself and counts its own attempts), the message
    does not count them.
    """
    import openai

    where = settings.endpoint
    count = settings.http_retries if retries is None else retries
    after = f" after {_retries(count)}" if count or settings.http_retries else ""
    attempts = count + 1
    if isinstance(exc, _NotJSON):
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

    if isinstance(exc, openai.APITimeoutError | _NotJSON):
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


class _NotJSON(Exception):
    """A response body that is not JSON: usually a wrong base URL (a web page, a proxy's error
    page); under a gate, a body garbled on the way, worth another try."""

    def __init__(self, content_type: str) -> None:
        super().__init__(content_type)
        self.content_type = content_type


@dataclass
class _Retries:
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


# The two halves of one request, as the sync or the async client makes them.
Send = Callable[..., Awaitable[Any]]
Sleep = Callable[[float], Awaitable[None]]


async def _send(
    send: Send, kwargs: dict[str, Any], spec: CallSpec, retries: _Retries, sleep: Sleep
) -> object:
    """One request made (and retried, see `_Retries`) until the service answers: its JSON body."""
    import openai

    while True:
        if retries.gate is not None:
            await retries.gate.acquire(spec.prompt_tokens)
        try:
            raw = await send(**kwargs, extra_headers=retries.headers())
            try:
                return raw.http_response.json()
            except (ValueError, UnicodeDecodeError):
                kind = raw.http_response.headers.get("content-type", "no content type")
                raise _NotJSON(kind) from None
        except (openai.OpenAIError, _NotJSON) as exc:
            wait = retries.wait_after(exc)
        await sleep(wait)


def _status_detail(exc: Any) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        message = inner.get("message") if isinstance(inner, dict) else None
        if isinstance(message, str):
            return message[:300]
    return str(exc.message)[:300]


def _exhausted(
    spec: CallSpec, settings: LLMSettings, last: InvalidAnswer, usages: list[Usage]
) -> InvalidModelOutput:
    fix = "try another model" + (
        " or structured='strict'" if settings.structured != "strict" else " (a larger one)"
    )
    return InvalidModelOutput(
        f"the model's {spec.step} answer was still invalid after {settings.reasks} "
        f"re-ask{'' if settings.reasks == 1 else 's'} "
        f"({last.errors[:300]}); {fix}",
        last_output=last.text,
        usages=usages,
    )


def _reasking(attempt: int, spec: CallSpec, settings: LLMSettings, progress: Progress) -> None:
    if attempt:
        progress.emit(ProgressEvent("reask", attempt, settings.reasks, spec.step))


async def _call(
    send: Send,
    sleep: Sleep,
    spec: CallSpec,
    settings: LLMSettings,
    retries: _Retries,
    *,
    progress: Progress,
) -> CallResult:
    """Make `spec`'s call, re-asking up to `settings.reasks` times: the one loop behind
    `call_async` and `call_sync`."""
    messages = list(spec.messages)
    usages: list[Usage] = []
    last = InvalidAnswer("", "no attempt made")
    for attempt in range(settings.reasks + 1):
        _reasking(attempt, spec, settings, progress)
        body = await _send(send, _send_kwargs(spec, messages, settings), spec, retries, sleep)
        usages.append(usage_of(body))
        try:
            return CallResult(interpret(body, spec.response_model), usages)
        except InvalidAnswer as bad:
            last = bad
            messages = _reask_messages(messages, bad)
    raise _exhausted(spec, settings, last, usages)


def _sender(client: openai.OpenAI | openai.AsyncOpenAI, settings: LLMSettings) -> Any:
    # Retries are made here (see `_Retries`), not by the client: their waits are bounded and said.
    raw = client.with_options(max_retries=0).chat.completions.with_raw_response
    return raw.parse if settings.structured == "strict" else raw.create


async def call_async(
    client: openai.AsyncOpenAI,
    spec: CallSpec,
    settings: LLMSettings,
    *,
    progress: Progress = NO_PROGRESS,
    gate: CallGate | None = None,
) -> CallResult:
    """Make `spec`'s call on the async client, re-asking up to `settings.reasks` times and
    retrying a failed request up to the client's `max_retries`; under `gate`, see `CallGate`."""
    retries = _Retries(settings, allowed=client.max_retries, gate=gate)
    return await _call(
        _sender(client, settings), asyncio.sleep, spec, settings, retries, progress=progress
    )


def call_sync(
    client: openai.OpenAI,
    spec: CallSpec,
    settings: LLMSettings,
    *,
    progress: Progress = NO_PROGRESS,
) -> CallResult:
    """`call_async` on the sync client: the same loop, its requests and waits made blocking, on
    this thread (also inside a running event loop, which it never touches)."""
    send = _sender(client, settings)

    async def send_now(**kwargs: Any) -> Any:
        return send(**kwargs)

    async def sleep_now(seconds: float) -> None:
        time.sleep(seconds)

    retries = _Retries(settings, allowed=client.max_retries)
    return run_blocking(_call(send_now, sleep_now, spec, settings, retries, progress=progress))


def run_blocking(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine whose every await is blocking work underneath (never a real suspension:
    the sync client's requests, `time.sleep`) to its end, here and now, with no event loop.

    This is how one async body serves sync callers without an event loop of their own: nothing
    waits on a loop, so Ctrl-C stops a request at once and a caller's running loop (a notebook)
    is neither needed nor disturbed."""
    try:
        work.send(None)
    except StopIteration as done:
        return cast("T", done.value)
    work.close()
    raise RuntimeError("a blocking call awaited something that needs an event loop")
