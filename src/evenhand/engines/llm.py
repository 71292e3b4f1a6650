"""The LLM engine: any OpenAI-compatible model, held to the same contract as the offline engine.

    engine = LLMEngine(model="gpt-4.1-mini")            # key from OPENAI_API_KEY
    engine = LLMEngine(base_url="http://localhost:11434/v1", model="llama3.1", structured="json")
    result = engine.analyze(articles, max_words=130)

    plan = engine.plan(articles, max_words=130)          # measured, nothing sent (see llm.plan)
    result = await engine.analyze_plan_async(articles, plan)

One call when the cluster fits the model's prompt budget; otherwise extract (one call per article,
concurrently) and merge. A caller that needs the plan itself (a batch run: its cache key, its
prompt tokens) makes it once with `plan` and passes it to `analyze_plan`/`analyze_plan_async`.
`on_progress` (optional) is told when calls start and finish: see `evenhand.llm.progress`.
`term_confidence` (optional) scores each located loaded term; by default the annotation layer's
calibrated confidence (see `evenhand.llm.locate_answer`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from ..errors import InvalidModelOutput, UsageError
from ..llm.answer_models import ExtractAnswer, ModelAnswer
from ..llm.calling import (
    CallResult,
    InvalidAnswer,
    Usage,
    call_async,
    call_sync,
    interpret,
    run_blocking,
    total_usage,
    usage_of,
)
from ..llm.config import LLMSettings, resolve_settings
from ..llm.locate_answer import TermConfidence, ground_answer, term_confidence
from ..llm.plan import CallSpec, Plan, merge_call, plan_calls
from ..llm.progress import Progress, ProgressCallback, ProgressEvent
from ..llm.retries import CallGate
from ..llm.server import ServerLimits, read_limits
from ..loop import off_the_loop
from ..schema import Article
from .base import EngineResult

if TYPE_CHECKING:
    import openai

# Per-article extract calls in flight at once.
MAX_CONCURRENT_CALLS = 8

# One model call made, however (sync client on a thread, async client, under a gate).
Call = Callable[[CallSpec, Progress], Awaitable[CallResult]]


class LLMEngine:
    name = "llm"

    def __init__(  # noqa: PLR0917  (the agreed signature in INTERFACES.md)
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float | None = None,
        seed: int | None = None,
        timeout: float = 60.0,
        structured: Literal["strict", "json"] = "strict",
        reasks: int | None = None,  # None: $EVENHAND_REASKS, else 2
        http_retries: int = 2,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        *,
        context_tokens: int | None = None,
        max_output_tokens: int | None = None,
        read_server_limits: bool = True,
        on_progress: ProgressCallback | None = None,
        term_confidence: TermConfidence = term_confidence,
    ) -> None:
        self.settings: LLMSettings = resolve_settings(
            model=model,
            base_url=base_url,
            api_key=api_key,
            temperature=temperature,
            seed=seed,
            timeout=timeout,
            structured=structured,
            reasks=reasks,
            http_retries=http_retries,
            context_tokens=context_tokens,
            max_output_tokens=max_output_tokens,
        )
        # A server other than OpenAI's is asked for its context size (unless given) and its
        # slots, once, before the first plan: see `evenhand.llm.server`.
        self._read_server = read_server_limits and not self.settings.is_openai
        self._server: ServerLimits | None = None
        self._server_lock = threading.Lock()
        self._client = client
        self._async_client = async_client
        self._owns_clients = client is None and async_client is None
        self._on_progress = on_progress
        self._term_confidence = term_confidence

    def __repr__(self) -> str:
        return f"LLMEngine({self.settings!r})"

    # --- clients ------------------------------------------------------------------------------

    def _client_options(self) -> dict[str, Any]:
        # Retries are the engine's (see `evenhand.llm.calling`), counted from `max_retries`.
        return {
            "api_key": self.settings.key_for_client(),
            "base_url": self.settings.base_url,
            "timeout": self.settings.timeout,
            "max_retries": self.settings.http_retries,
        }

    def client(self) -> openai.OpenAI:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(**self._client_options())
        return self._client

    def async_client(self) -> openai.AsyncOpenAI:
        if self._async_client is None:
            import openai

            self._async_client = openai.AsyncOpenAI(**self._client_options())
        return self._async_client

    def close(self) -> None:
        """Close the HTTP clients this engine made (not ones it was given); outside an event
        loop. An engine used for one run and dropped should be closed, so no socket lingers."""
        client, async_client = self._client, self._async_client
        self._client = self._async_client = None
        if client is not None and self._owns_clients:
            client.close()
        if async_client is not None and self._owns_clients:
            asyncio.run(async_client.close())

    async def aclose(self) -> None:
        """`close` for the async client, on the event loop it ran on (a batch run ends so)."""
        if self._async_client is not None and self._owns_clients:
            async_client, self._async_client = self._async_client, None
            await async_client.close()

    # --- the server -------------------------------------------------------------------------

    def server_limits(self) -> ServerLimits:
        """What the server says of its context per slot and its slots (read once; nothing for
        OpenAI, or with `read_server_limits=False`). A context it reports becomes the planning
        budget unless `context_tokens` was given."""
        with self._server_lock:
            if self._server is None:
                self._server = ServerLimits()
                if self._read_server:
                    assert self.settings.base_url is not None
                    self._server = read_limits(
                        self.client(), self.settings.base_url, self.settings.model
                    )
                read = self._server.context_tokens
                if read is not None and self.settings.context_tokens is None:
                    self.settings = replace(self.settings, context_tokens=read)
            return self._server

    # --- planning (no call made) --------------------------------------------------------------

    def plan(self, articles: Sequence[Article], *, max_words: int) -> Plan:
        """The measured calls for this cluster under this engine's settings (a local server is
        asked for its context size first, once): see `evenhand.llm.plan.Plan`."""
        if not articles:
            raise UsageError("the llm engine needs at least one article")
        if self.settings.context_tokens is None:
            self.server_limits()
        return plan_calls(articles, max_words, self.settings)

    # --- analysing ----------------------------------------------------------------------------

    def analyze(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        return self.analyze_plan(articles, self.plan(articles, max_words=max_words))

    async def analyze_async(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        return await self.analyze_plan_async(articles, self.plan(articles, max_words=max_words))

    def analyze_plan(self, articles: Sequence[Article], plan: Plan) -> EngineResult:
        """`analyze_plan_async` for sync callers, also inside a running event loop. One call is
        made on the sync client, on this thread; the calls of a map-reduce plan on the async
        client, or on threads when only a sync client was given."""
        self._check(plan)
        if plan.mode == "single":
            client = self.client()  # a missing key fails here, before anything is announced

            async def here(spec: CallSpec, progress: Progress) -> CallResult:
                return call_sync(client, spec, self.settings, progress=progress)

            return run_blocking(self._run(articles, plan, here))
        if self._client is not None and self._async_client is None:
            client = self.client()

            def on_thread(spec: CallSpec, progress: Progress) -> Awaitable[CallResult]:
                return asyncio.to_thread(call_sync, client, spec, self.settings, progress=progress)

            return off_the_loop(lambda: asyncio.run(self._run(articles, plan, on_thread)))
        return off_the_loop(lambda: asyncio.run(self.analyze_plan_async(articles, plan)))

    async def analyze_plan_async(
        self, articles: Sequence[Article], plan: Plan, *, gate: CallGate | None = None
    ) -> EngineResult:
        """Make `plan`'s calls on the async client and ground the answer. Every call is retried
        and re-asked by itself (a failed merge does not repeat the extracts); under `gate`, each
        request waits for it first (see `evenhand.llm.retries.CallGate`)."""
        self._check(plan)
        client = self.async_client()

        def call(spec: CallSpec, progress: Progress) -> Awaitable[CallResult]:
            return call_async(client, spec, self.settings, progress=progress, gate=gate)

        return await self._run(articles, plan, call)

    def _check(self, plan: Plan) -> None:
        if plan.settings != self.settings:
            raise UsageError("the plan was made under other settings: plan it with this engine")

    async def _run(self, articles: Sequence[Article], plan: Plan, call: Call) -> EngineResult:
        """The plan's calls made with `call` (one, or the extracts at most
        `MAX_CONCURRENT_CALLS` at once and then the merge), and the answer grounded."""
        progress = self._progress(plan)
        if plan.mode == "single":
            progress.begin("analyze", 1)
            result = await call(plan.calls[0], progress)
            progress.finished("analyze", 1)
            return self._ground(articles, result.parsed, plan, result.usages)
        limit = asyncio.Semaphore(MAX_CONCURRENT_CALLS)
        total = len(plan.calls)

        async def extract(spec: CallSpec) -> CallResult:
            async with limit:
                result = await call(spec, progress)
            progress.finished("extract", total)
            return result

        progress.begin("extract", total)
        results = await asyncio.gather(*(extract(spec) for spec in plan.calls))
        notes = [r.parsed for r in results if isinstance(r.parsed, ExtractAnswer)]
        merge = merge_call(notes, len(articles), plan.max_words, self.settings)
        progress.begin("merge", 1)
        merged = await call(merge, progress)
        progress.finished("merge", 1)
        usages = [u for r in results for u in r.usages] + merged.usages
        return self._ground(articles, merged.parsed, plan, usages)

    def result_from_completion(
        self, articles: Sequence[Article], completion: dict[str, Any], plan: Plan
    ) -> EngineResult:
        """A raw `/chat/completions` body for `plan`'s one call (e.g. from the Batch API) -> a
        grounded result."""
        usage = usage_of(completion)
        try:
            answer = interpret(completion, ModelAnswer)
        except InvalidAnswer as bad:
            raise InvalidModelOutput(
                f"the completion does not hold a valid analysis ({bad.errors[:300]})",
                last_output=bad.text,
                usages=[usage],
            ) from None
        return self._ground(articles, answer, plan, [usage])

    def _ground(
        self, articles: Sequence[Article], answer: object, plan: Plan, usages: list[Usage]
    ) -> EngineResult:
        assert isinstance(answer, ModelAnswer)
        return ground_answer(
            articles,
            answer,
            model=self.settings.model,
            prompt_version=plan.prompt_version,
            prompt_hash=plan.prompt_hash,
            token_usage=total_usage(usages, self.settings),
            confidence=self._term_confidence,
        )

    def _progress(self, plan: Plan) -> Progress:
        """A fresh count of this analysis's calls, announced with the whole plan."""
        progress = Progress(self._on_progress)
        progress.emit(
            ProgressEvent(
                "start",
                0,
                plan.call_count,
                detail=self.settings.model,
                prompt_tokens=plan.prompt_tokens,
            )
        )
        return progress
