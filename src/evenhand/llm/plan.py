"""What will be sent: rendered messages, request bodies and the call plan, measured before sending.

A cluster that fits the model's prompt budget is one `analyze` call. One that does not goes
through map-reduce: an `extract` call per article (per part, for an article too long on its own),
then a `merge` call over the notes. Every call is measured with tiktoken before it is made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from ..errors import BudgetError
from ..prompts import Prompt, load_prompt, prompt_hash
from ..schema import Article
from ..token_count import chunk_text, count_messages, count_tokens, output_cap, prompt_budget
from .answer_models import RESPONSE_MODELS, ExtractAnswer, schema_name, strict_schema
from .config import LLMSettings

Step = Literal["analyze", "extract", "merge"]

# Output caps per step: enough for a full analysis (or one article's notes) with room to spare.
OUTPUT_TOKENS: dict[Step, int] = {"analyze": 6000, "extract": 2500, "merge": 6000}


@dataclass(frozen=True)
class CallSpec:
    """One planned call: its messages, the model it must answer with and its measured size."""

    step: Step
    prompt: Prompt
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    max_output: int
    prompt_tokens: int
    article_ids: tuple[str, ...]

    def payload(self, settings: LLMSettings) -> dict[str, Any]:
        """What identifies this request: model, settings, messages, schema name and output cap.
        Not the endpoint: the same request to another host or port is the same prompt (a cache
        key adds the endpoint itself), so recorded responses replay whatever `--base-url` is."""
        shaping = {k: v for k, v in settings.public().items() if k != "endpoint"}
        return {
            **shaping,
            "step": self.step,
            "prompt": self.prompt.label,
            "schema": schema_name(self.response_model),
            "max_output": self.max_output,
            "messages": self.messages,
        }


@dataclass(frozen=True)
class Plan:
    """The calls one cluster needs, measured before any is made: a value made once
    (`plan_calls`, or `LLMEngine.plan`) and passed along, to name the answer in a cache
    (`cache_identity`), to count its prompt tokens against a limit, to be sent as Batch API lines
    (`batch_lines`) and to be analysed (`LLMEngine.analyze_plan`)."""

    mode: Literal["single", "map_reduce"]
    calls: list[CallSpec]  # single: [analyze]; map_reduce: the extract calls (merge comes after)
    merge_prompt_tokens: int  # map_reduce: the merge call's size at most (notes at their cap)
    prompt_version: str
    prompt_hash: str
    settings: LLMSettings
    max_words: int

    @property
    def call_count(self) -> int:
        return len(self.calls) + (1 if self.mode == "map_reduce" else 0)

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens of every planned call (the merge at its largest), before sending."""
        return sum(c.prompt_tokens for c in self.calls) + self.merge_prompt_tokens

    def cache_identity(self) -> dict[str, str]:
        """What determines the answer: model, endpoint, prompt version and hash, settings."""
        public = self.settings.public()
        return {
            "engine": "llm",
            **{k: "" if v is None else str(v) for k, v in public.items()},
            "max_words": str(self.max_words),
            "prompt_version": self.prompt_version,
            "prompt_hash": self.prompt_hash,
        }

    def batch_lines(self, custom_id: str) -> list[dict[str, Any]] | None:
        """Batch API JSONL lines when the cluster fits one call; None when it needs map-reduce
        (a merge cannot be chained after its extracts inside the Batch API)."""
        if self.mode != "single":
            return None
        body = request_body(self.calls[0], self.settings)
        return [
            {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}
        ]


def boundary_code(articles: Sequence[Article]) -> str:
    """A delimiter code derived from the articles themselves.

    An article cannot contain the code that closes it: the code is a hash of its own text, so
    a forged END ARTICLE line would need a hash of a text that contains that hash.
    """
    digest = hashlib.sha256()
    for a in articles:
        digest.update(a.id.encode("utf-8") + b"\0" + a.text.encode("utf-8") + b"\0")
    return digest.hexdigest()[:12]


def _header(article: Article) -> str:
    fields = [f"id={json.dumps(article.id, ensure_ascii=False)}"]
    if article.outlet:
        fields.append(f"outlet={json.dumps(article.outlet, ensure_ascii=False)}")
    if article.title:
        fields.append(f"title={json.dumps(article.title, ensure_ascii=False)}")
    return " ".join(fields)


def render_articles(
    articles: Sequence[Article], boundary: str, texts: Sequence[str] | None = None
) -> str:
    blocks = []
    for i, article in enumerate(articles):
        text = texts[i] if texts is not None else article.text
        blocks.append(
            f"BEGIN ARTICLE {boundary} {_header(article)}\n{text}\nEND ARTICLE {boundary}"
        )
    return "\n\n".join(blocks)


def render_notes(notes: Sequence[ExtractAnswer], boundary: str) -> str:
    blocks = []
    for note in notes:
        body = note.model_dump_json()
        blocks.append(
            f"BEGIN NOTES {boundary} id={json.dumps(note.article_id, ensure_ascii=False)}\n"
            f"{body}\nEND NOTES {boundary}"
        )
    return "\n\n".join(blocks)


@cache
def _schema_tokens(model: type[BaseModel], encoding: str) -> int:
    # How a service renders the schema for the model is not public; compact JSON is a close,
    # slightly high stand-in, and SAFETY_MARGIN covers the rest.
    return count_tokens(json.dumps(strict_schema(model), separators=(",", ":")), encoding)


def _with_schema(
    messages: list[dict[str, str]], response_model: type[BaseModel]
) -> list[dict[str, str]]:
    """`messages` with the schema prompt (`prompts/schema.toml`) added to the last message."""
    schema = json.dumps(strict_schema(response_model), separators=(",", ":"))
    last = messages[-1]
    added = load_prompt("schema").render_user(schema=schema)
    return [*messages[:-1], {**last, "content": f"{last['content']}\n\n{added}"}]


def _spec(
    step: Step,
    messages: list[dict[str, str]],
    settings: LLMSettings,
    article_ids: tuple[str, ...],
) -> CallSpec:
    prompt = load_prompt(step)
    response_model = RESPONSE_MODELS[prompt.schema]
    encoding = settings.info.encoding
    if settings.structured == "plain":
        # No response_format carries the schema: the prompt does.
        messages = _with_schema(messages, response_model)
        tokens = count_messages(messages, encoding)
    else:
        tokens = count_messages(messages, encoding) + _schema_tokens(response_model, encoding)
    return CallSpec(
        step=step,
        prompt=prompt,
        messages=messages,
        response_model=response_model,
        max_output=output_cap(settings.info, OUTPUT_TOKENS[step]),
        prompt_tokens=tokens,
        article_ids=article_ids,
    )


def analyze_call(articles: Sequence[Article], max_words: int, settings: LLMSettings) -> CallSpec:
    boundary = boundary_code(articles)
    messages = load_prompt("analyze").render(
        max_words=max_words,
        count=len(articles),
        boundary=boundary,
        articles=render_articles(articles, boundary),
    )
    return _spec("analyze", messages, settings, tuple(a.id for a in articles))


def _extract_messages(article: Article, text: str, part: int, parts: int) -> list[dict[str, str]]:
    boundary = boundary_code([article])
    return load_prompt("extract").render(
        part=part,
        parts=parts,
        boundary=boundary,
        articles=render_articles([article], boundary, [text]),
    )


def extract_calls(article: Article, settings: LLMSettings) -> list[CallSpec]:
    """The extract calls for one article: one, or one per part when it is too long on its own."""
    whole = _spec(
        "extract", _extract_messages(article, article.text, 1, 1), settings, (article.id,)
    )
    budget = prompt_budget(settings.info, whole.max_output)
    if whole.prompt_tokens <= budget:
        return [whole]
    overhead = whole.prompt_tokens - count_tokens(article.text, settings.info.encoding)
    room = budget - overhead
    if room < 200:
        raise BudgetError(
            f"the {settings.model} context window ({settings.info.context_window} tokens) is too "
            "small for the extract prompt: choose a model with a larger context window"
        )
    ranges = chunk_text(article.text, room, settings.info.encoding)
    parts = len(ranges)
    return [
        _spec(
            "extract",
            _extract_messages(article, article.text[s:e], i + 1, parts),
            settings,
            (article.id,),
        )
        for i, (s, e) in enumerate(ranges)
    ]


def merge_call(
    notes: Sequence[ExtractAnswer], article_count: int, max_words: int, settings: LLMSettings
) -> CallSpec:
    boundary = hashlib.sha256(
        "".join(n.model_dump_json() for n in notes).encode("utf-8")
    ).hexdigest()[:12]
    messages = load_prompt("merge").render(
        max_words=max_words,
        count=article_count,
        boundary=boundary,
        notes=render_notes(notes, boundary),
    )
    spec = _spec("merge", messages, settings, tuple(dict.fromkeys(n.article_id for n in notes)))
    budget = prompt_budget(settings.info, spec.max_output)
    if spec.prompt_tokens > budget:
        raise BudgetError(
            f"the notes on {article_count} articles ({spec.prompt_tokens} tokens) do not fit the "
            f"{settings.model} prompt budget ({budget} tokens): analyse fewer articles at once or "
            "choose a model with a larger context window"
        )
    return spec


def plan_calls(articles: Sequence[Article], max_words: int, settings: LLMSettings) -> Plan:
    """The calls a cluster needs under `settings`, each measured; nothing is sent."""
    single = analyze_call(articles, max_words, settings)
    budget = prompt_budget(settings.info, single.max_output)
    if single.prompt_tokens <= budget:
        return Plan(
            mode="single",
            calls=[single],
            merge_prompt_tokens=0,
            prompt_version=single.prompt.label,
            prompt_hash=prompt_hash([single.payload(settings)]),
            settings=settings,
            max_words=max_words,
        )
    calls = [spec for article in articles for spec in extract_calls(article, settings)]
    merge = load_prompt("merge")
    encoding = settings.info.encoding
    merge_tokens = (
        count_messages(
            merge.render(max_words=max_words, count=len(articles), boundary="", notes=""), encoding
        )
        + _schema_tokens(RESPONSE_MODELS[merge.schema], encoding)
        + sum(c.max_output + 20 for c in calls)
    )
    payloads: list[object] = [c.payload(settings) for c in calls]
    payloads.append({"merge": merge.label, "system": merge.system, "user": merge.user})
    return Plan(
        mode="map_reduce",
        calls=calls,
        merge_prompt_tokens=merge_tokens,
        prompt_version=f"{calls[0].prompt.label}+{merge.label}",
        prompt_hash=prompt_hash(payloads),
        settings=settings,
        max_words=max_words,
    )


def request_body(
    spec: CallSpec, settings: LLMSettings, messages: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The `/chat/completions` body for `spec` (as sent by the client, and for Batch API lines);
    `messages` replaces the planned ones (a re-ask)."""
    from .answer_models import response_format

    body: dict[str, Any] = {
        "model": settings.model,
        "messages": spec.messages if messages is None else messages,
        **output_limit(spec, settings),
    }
    shape = response_format(spec.response_model, settings.structured)
    if shape is not None:
        body["response_format"] = shape
    if settings.temperature is not None:
        body["temperature"] = settings.temperature
    if settings.seed is not None:
        body["seed"] = settings.seed
    return body


def output_limit(spec: CallSpec, settings: LLMSettings) -> dict[str, int]:
    # OpenAI's current models take `max_completion_tokens`; many compatible servers only know
    # the older `max_tokens`.
    key = "max_completion_tokens" if settings.is_openai else "max_tokens"
    return {key: spec.max_output}
