"""What the model is asked to return: strict-compatible pydantic models.

Strict structured output needs every field required, nullable instead of optional, and no
free-form dictionaries; these models keep to that, so `openai`'s strict schema converter can send
them with `strict: true`. The model returns verbatim quotes, never offsets; grounding turns the
quotes into `Span`s. The fields carry no descriptions: the prompt files explain them, once, and
the schema stays small. A copy of the strict schema is committed under `schema/` and compared in
a test.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

# The report's values (`evenhand.schema`), spelled out here so the model's schema stands alone.
Stance = Literal["asserts", "disputes", "reports", "omits"]
ActorStance = Literal["asserts", "disputes"]
ActorKind = Literal["person", "organisation", "government", "group", "outlet", "other"]
ModelClaimKind = Literal["disputed", "framing", "one_sided"]
NoteStance = Literal["asserts", "disputes", "reports"]  # one article's notes: it carries the claim


def _drop_titles(schema: dict[str, Any]) -> None:
    # Titles repeat the field names: dropping them saves prompt tokens on every call.
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        if isinstance(prop, dict):
            prop.pop("title", None)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_titles)


class Quote(_Strict):
    article_id: str
    quote: str


class SummaryItem(_Strict):
    text: str
    quotes: list[Quote]


class PositionItem(_Strict):
    article_id: str
    stance: Stance
    quotes: list[str]


class ActorItem(_Strict):
    actor: str
    kind: ActorKind
    stance: ActorStance
    quotes: list[Quote]


class ClaimItem(_Strict):
    claim: str
    kind: ModelClaimKind
    actors: list[ActorItem]
    positions: list[PositionItem]
    note: str


class LoadedItem(_Strict):
    article_id: str
    term: str
    category: str
    neutral_alternative: str | None
    explanation: str


class ModelAnswer(_Strict):
    """The answer of the `analyze` and `merge` prompts."""

    # The schema name models see, in prompts/*.toml and in every recorded request: kept from an
    # earlier class name so that the recorded real-model cassettes still replay byte for byte.
    model_config = ConfigDict(title="LLMDraft")

    summary: list[SummaryItem]
    contested_claims: list[ClaimItem]
    loaded_language: list[LoadedItem]


class ExtractFact(_Strict):
    statement: str
    quote: str


class ExtractActor(_Strict):
    actor: str
    kind: ActorKind
    stance: ActorStance
    quote: str


class ExtractClaim(_Strict):
    claim: str
    stance: NoteStance
    actors: list[ExtractActor]
    quote: str


class ExtractLoaded(_Strict):
    term: str
    category: str
    neutral_alternative: str | None
    explanation: str


class ExtractAnswer(_Strict):
    """The answer of the `extract` prompt: notes on one article (or one part of it)."""

    model_config = ConfigDict(title="ExtractDraft")  # the schema name models see (see above)

    article_id: str
    facts: list[ExtractFact]
    claims: list[ExtractClaim]
    loaded_language: list[ExtractLoaded]


def schema_name(model: type[BaseModel]) -> str:
    """The name a response model goes by in prompts and requests: its schema title."""
    return str(model.model_config.get("title") or model.__name__)


RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    schema_name(model): model for model in (ModelAnswer, ExtractAnswer)
}


def is_empty(answer: BaseModel) -> bool:
    """Whether a schema-valid answer says nothing at all (every list empty): no analysis of any
    cluster or article is empty, so such an answer is treated as invalid, not as a clean report."""
    lists = [v for v in answer.__dict__.values() if isinstance(v, list)]
    return bool(lists) and not any(lists)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema the `openai` client sends for `model` with `strict: true` (a fresh copy)."""
    return json.loads(_strict_schema_text(model))  # type: ignore[no-any-return]


@cache
def _strict_schema_text(model: type[BaseModel]) -> str:
    # openai's own converter, so the committed copy matches what `parse` really sends. It is
    # reached through the public `pydantic_function_tool`, whose parameters are that same strict
    # schema (the tool's name is the class name and is not used: see `schema_name`).
    import openai

    return json.dumps(openai.pydantic_function_tool(model)["function"]["parameters"])


def response_format(model: type[BaseModel], structured: str) -> dict[str, Any] | None:
    """The `response_format` request field for `model` in a `--structured` mode (see
    `evenhand.llm.config.Structured`): for `strict`, what `chat.completions.parse` builds;
    None for `plain`, where the schema is in the prompt instead."""
    if structured == "plain":
        return None
    if structured == "json_object":
        return {"type": "json_object", "schema": strict_schema(model)}
    return {
        "type": "json_schema",
        "json_schema": {
            "schema": strict_schema(model),
            "name": schema_name(model),
            "strict": structured == "strict",
        },
    }
