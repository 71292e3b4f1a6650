"""The LLM engine: any OpenAI-compatible model, held to the same contract as the offline engine.

    engine = LLMEngine(model="gpt-4.1-mini")            # key from OPENAI_API_KEY
    engine = LLMEngine(base_url="http://localhost:11434/v1", model="llama3.1", structured="json")
    result = engine.analyze(articles, max_words=130)

One call when the cluster fits the model's prompt budget; otherwise extract (one call per article,
concurrently on the async client) and merge. Every call is measured before it is made.
`on_progress` (optional) is told when calls start and finish: see `evenhand.llm.progress`.
`term_confidence` (optional) scores each located loaded term; by default the annotation layer's
calibrated confidence (see `evenhand.llm.locate_answer`).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError
from ..llm.answer_models import ExtractAnswer, ModelAnswer
from ..llm.calling import (
    CallResult,
    InvalidAnswer,
    Usage,
    call_async,
    call_sync,
    interpret,
    total_usage,
    usage_of,
)
from ..llm.config import LLMSettings, resolve_settings
from ..llm.locate_answer import TermConfidence, ground_answer, term_confidence
from ..llm.plan import Plan, merge_call, plan_calls, request_body
from ..llm.progress import Progress, ProgressCallback, ProgressEvent
from ..llm.server import ServerLimits, read_limits
from ..schema import Article
from ..token_count import estimate_cost, prices_checked
from .base import EngineResult

if TYPE_CHECKING:
    import openai

# Per-article extract calls in flight at once.
MAX_CONCURRENT_CALLS = 8
# Plans remembered per engine: a batch asks for a cluster's plan up to three times (cache key,
# token estimate, the call itself), with other clusters planned in between.
PLAN_MEMO_SIZE = 64


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
        self._plans: OrderedDict[Hashable, Plan] = OrderedDict()
        self._plans_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LLMEngine({self.settings!r})"

    # --- clients ------------------------------------------------------------------------------

    def client(self) -> openai.OpenAI:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self.settings.key_for_client(),
                base_url=self.settings.base_url,
                timeout=self.settings.timeout,
                max_retries=self.settings.http_retries,
            )
        return self._client

    def async_client(self) -> openai.AsyncOpenAI:
        if self._async_client is None:
            import openai

            self._async_client = openai.AsyncOpenAI(
                api_key=self.settings.key_for_client(),
                base_url=self.settings.base_url,
                timeout=self.settings.timeout,
                max_retries=self.settings.http_retries,
            )
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
        """The measured calls for this cluster; planned once, then remembered (the same value
        for the same settings, word limit and article fields)."""
        if not articles:
            raise UsageError("the llm engine needs at least one article")
        if self.settings.context_tokens is None:
            self.server_limits()
        key = (
            self.settings,
            max_words,
            tuple(tuple(getattr(a, name) for name in type(a).model_fields) for a in articles),
        )
        with self._plans_lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                return plan
        plan = plan_calls(articles, max_words, self.settings)
        with self._plans_lock:
            self._plans[key] = plan
            while len(self._plans) > PLAN_MEMO_SIZE:
                self._plans.popitem(last=False)
        return plan

    def cache_identity(self, articles: Sequence[Article], *, max_words: int) -> dict[str, str]:
        """What determines the answer: model, endpoint, prompt version and hash, settings."""
        plan = self.plan(articles, max_words=max_words)
        public = self.settings.public()
        return {
            "engine": self.name,
            **{k: "" if v is None else str(v) for k, v in public.items()},
            "max_words": str(max_words),
            "prompt_version": plan.prompt_version,
            "prompt_hash": plan.prompt_hash,
        }

    def estimate_prompt_tokens(self, articles: Sequence[Article], *, max_words: int) -> int:
        """Prompt tokens of every planned call (the merge at its largest), before sending."""
        plan = self.plan(articles, max_words=max_words)
        return sum(c.prompt_tokens for c in plan.calls) + plan.merge_prompt_tokens

    def batch_requests(
        self, articles: Sequence[Article], *, max_words: int, custom_id: str
    ) -> list[dict[str, Any]] | None:
        """Batch-API JSONL lines when the cluster fits one call; None when it needs map-reduce."""
        plan = self.plan(articles, max_words=max_words)
        if plan.mode != "single":
            return None
        return [
            {
                "custom_id": custom_id,
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": request_body(plan.calls[0], self.settings),
            }
        ]

    def result_from_completion(
        self, articles: Sequence[Article], completion: dict[str, Any], *, max_words: int
    ) -> EngineResult:
        """A raw `/chat/completions` body (e.g. from the Batch API) -> a grounded result."""
        plan = self.plan(articles, max_words=max_words)
        usage = usage_of(completion)
        try:
            answer = interpret(completion, ModelAnswer)
        except InvalidAnswer as bad:
            from ..errors import InvalidModelOutput

            raise InvalidModelOutput(
                f"the completion does not hold a valid analysis ({bad.errors[:300]})",
                last_output=bad.text,
                usages=[usage],
            ) from None
        return self._ground(articles, answer, plan, [usage])

    # --- analysing ----------------------------------------------------------------------------

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
                prompt_tokens=sum(c.prompt_tokens for c in plan.calls) + plan.merge_prompt_tokens,
            )
        )
        return progress

    def analyze(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        plan = self.plan(articles, max_words=max_words)
        if plan.mode == "single":
            client = self.client()  # a missing key fails here, before anything is announced
            progress = self._progress(plan)
            progress.begin("analyze", 1)
            result = call_sync(client, plan.calls[0], self.settings, progress=progress)
            progress.finished("analyze", 1)
            return self._ground(articles, result.parsed, plan, result.usages)
        if self._client is not None and self._async_client is None:
            # Only a sync client was given: run the extract calls on threads.
            progress = self._progress(plan)
            total = len(plan.calls)

            def extract(spec: Any) -> CallResult:
                result = call_sync(self.client(), spec, self.settings, progress=progress)
                progress.finished("extract", total)
                return result

            progress.begin("extract", total)
            with ThreadPoolExecutor(max_workers=MAX_CONCURRENT_CALLS) as pool:
                results = list(pool.map(extract, plan.calls))
            return self._merge_sync(articles, plan, results, max_words, progress)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.analyze_async(articles, max_words=max_words))
        raise UsageError(
            "this cluster needs several model calls: use analyze_async inside an event loop"
        )

    def _merge_sync(
        self,
        articles: Sequence[Article],
        plan: Plan,
        results: list[CallResult],
        max_words: int,
        progress: Progress,
    ) -> EngineResult:
        notes = [r.parsed for r in results]
        merge = merge_call(_notes(notes), len(articles), max_words, self.settings)
        progress.begin("merge", 1)
        merged = call_sync(self.client(), merge, self.settings, progress=progress)
        progress.finished("merge", 1)
        usages = [u for r in results for u in r.usages] + merged.usages
        return self._ground(articles, merged.parsed, plan, usages)

    async def analyze_async(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        plan = self.plan(articles, max_words=max_words)
        client = self.async_client()
        progress = self._progress(plan)
        if plan.mode == "single":
            progress.begin("analyze", 1)
            result = await call_async(client, plan.calls[0], self.settings, progress=progress)
            progress.finished("analyze", 1)
            return self._ground(articles, result.parsed, plan, result.usages)
        limit = asyncio.Semaphore(MAX_CONCURRENT_CALLS)
        total = len(plan.calls)

        async def bounded(spec: Any) -> CallResult:
            async with limit:
                result = await call_async(client, spec, self.settings, progress=progress)
            progress.finished("extract", total)
            return result

        progress.begin("extract", total)
        results = await asyncio.gather(*(bounded(spec) for spec in plan.calls))
        merge = merge_call(
            _notes([r.parsed for r in results]), len(articles), max_words, self.settings
        )
        progress.begin("merge", 1)
        merged = await call_async(client, merge, self.settings, progress=progress)
        progress.finished("merge", 1)
        usages = [u for r in results for u in r.usages] + merged.usages
        return self._ground(articles, merged.parsed, plan, usages)


def _notes(parsed: Sequence[object]) -> list[ExtractAnswer]:
    return [p for p in parsed if isinstance(p, ExtractAnswer)]


# --- dry run -------------------------------------------------------------------------------------


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


def dry_run(articles: Sequence[Article], *, max_words: int, **llm_options: Any) -> str:
    """The calls `analyze` would make, each measured, with the output cap and estimated cost.

    Makes no model call and needs no key (a local server is asked for its context size).
    """
    engine = LLMEngine(**llm_options)
    given = engine.settings.context_tokens is not None
    plan = engine.plan(list(articles), max_words=max_words)
    settings = engine.settings
    info = settings.info
    context_source = (
        "given"
        if given
        else "read from the server"
        if settings.context_tokens is not None
        else "the model table's"
    )
    price_note = (
        f"prices from the model table dated {prices_checked()}: check current prices"
        if info.known
        else "no price known for this model: cost not estimated"
    )
    lines = [
        f"Dry run, no call made: model {settings.model} at {settings.endpoint} ({price_note}).",
        f"{len(articles)} articles; context window {info.context_window:,} tokens "
        f"({context_source}), "
        f"encoding {info.encoding}; {plan.mode.replace('_', '-')}, {plan.call_count} "
        f"call{'s' if plan.call_count != 1 else ''}.",
        "",
        f"{'call':<5} {'step':<8} {'articles':<32} {'prompt tokens':>14} "
        f"{'output cap':>11} {'max cost':>10}",
    ]
    rows: list[tuple[str, str, int, int, bool]] = [
        (c.step, ", ".join(c.article_ids), c.prompt_tokens, c.max_output, False) for c in plan.calls
    ]
    if plan.mode == "map_reduce":
        from ..llm.plan import OUTPUT_TOKENS
        from ..token_count import output_cap

        rows.append(
            (
                "merge",
                "all (notes)",
                plan.merge_prompt_tokens,
                output_cap(info, OUTPUT_TOKENS["merge"]),
                True,
            )
        )
    total_cost: float | None = 0.0
    for i, (step, ids, prompt, cap, bound) in enumerate(rows, 1):
        cost = estimate_cost(info, prompt, cap)
        total_cost = None if cost is None or total_cost is None else total_cost + cost
        ids_text = ids if len(ids) <= 32 else ids[:29] + "..."
        tokens = f"{'<=' if bound else ''}{prompt:,}"
        lines.append(f"{i:<5} {step:<8} {ids_text:<32} {tokens:>14} {cap:>11,} {_money(cost):>10}")
    total_prompt = sum(r[2] for r in rows)
    total_cap = sum(r[3] for r in rows)
    lines += [
        "",
        f"total: {len(rows)} call{'s' if len(rows) != 1 else ''}, {total_prompt:,} prompt tokens, "
        f"up to {total_cap:,} output tokens, at most {_money(total_cost)} "
        f"(re-asks, if any, cost more).",
        f"prompt {plan.prompt_version}, hash {plan.prompt_hash}",
    ]
    return "\n".join(lines)
