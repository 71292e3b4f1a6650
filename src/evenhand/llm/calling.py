"""Making one planned call: send, read the raw completion, validate, re-ask on invalid output.

The raw response body is read (`with_raw_response`) so that the usage of every attempt is known,
even of attempts whose content fails validation. `interpret` turns one completion body into the
response model or a precise error; it also serves completions that come back from the Batch API.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from ..errors import InvalidModelOutput, ModelRefusal, OutputTruncated
from ..prompts import load_prompt
from ..schema import TokenUsage
from ..token_count import estimate_cost
from .answer_models import is_empty
from .config import LLMSettings
from .plan import CallSpec, request_body
from .progress import NO_PROGRESS, Progress, ProgressEvent
from .retries import CallGate, NotJSON, Retries

if TYPE_CHECKING:
    import openai

MAX_ERRORS_SHOWN = 8
EMPTY_ANSWER = (
    "the answer was empty (every list in it was empty): the articles always support at least "
    "one summary sentence"
)
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


# The two halves of one request, as the sync or the async client makes them.
Send = Callable[..., Awaitable[Any]]
Sleep = Callable[[float], Awaitable[None]]


async def _send(
    send: Send, kwargs: dict[str, Any], spec: CallSpec, retries: Retries, sleep: Sleep
) -> object:
    """One request made (and retried, see `Retries`) until the service answers: its JSON body."""
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
                raise NotJSON(kind) from None
        except (openai.OpenAIError, NotJSON) as exc:
            wait = retries.wait_after(exc)
        await sleep(wait)


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
    retries: Retries,
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
    # Retries are made here (see `Retries`), not by the client: their waits are bounded and said.
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
    retries = Retries(settings, allowed=client.max_retries, gate=gate)
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

    retries = Retries(settings, allowed=client.max_retries)
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
