"""Request and response bodies of the web API (the reports themselves are `evenhand.schema`)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..schema import Report

EngineChoice = Literal["offline", "llm"]

MinConfidence = Annotated[
    float,
    Field(
        ge=0,
        le=1,
        allow_inf_nan=False,
        strict=True,  # a number, as the schema says: not `false`, not "0.5"
        description="List loaded terms at or above this calibrated confidence (0-1); lower "
        "finds more, with more false alarms.",
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _unicode_text(value: str | None) -> str | None:
    """Refuse a lone surrogate (a JSON `\\ud800` escape): no character, so never UTF-8."""
    from ..article_text import surrogate_problem

    problem = None if value is None else surrogate_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _number_as_text(value: object) -> object:
    # As in the CLI's JSON input and in batch: a numeric id is the same id written as text.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


# Text or a URL, not blank: declared in the schema as well as checked (`_text_or_url`).
_VISIBLE = re.compile(r"\S")
_TEXT_OR_URL: dict[str, Any] = {
    "anyOf": [
        {"required": ["text"], "properties": {"text": {"type": "string", "pattern": r"\S"}}},
        {"required": ["url"], "properties": {"url": {"type": "string", "pattern": r"\S"}}},
    ]
}


class SourceIn(_Body):
    """One article, in the shape the CLI's JSON input and batch read (`id`, `text`, `outlet`,
    `title`, `url`), plus `filename` for an upload. With `text`, `url` is only the article's
    address; without it, `url` is fetched."""

    id: Annotated[str | None, BeforeValidator(_number_as_text)] = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The article's id in the report (default: the file name's stem, else the "
        "outlet, else source-N). Ids must be unique.",
    )
    text: str | None = Field(default=None, description="The article's text, pasted or uploaded.")
    url: str | None = Field(
        default=None,
        description="The article's address. Without `text`: an http(s) URL to fetch (loopback, "
        "private and link-local hosts are refused).",
    )
    filename: str | None = Field(
        default=None,
        max_length=255,
        description="The uploaded file's name: names the article, and `.html` text is extracted.",
    )
    outlet: str | None = Field(default=None, max_length=200, description="The publishing outlet.")
    title: str | None = Field(default=None, max_length=500)

    model_config = ConfigDict(extra="forbid", json_schema_extra=_TEXT_OR_URL)

    _unicode = field_validator("id", "text", "url", "filename", "outlet", "title")(_unicode_text)

    @model_validator(mode="after")
    def _text_or_url(self) -> SourceIn:
        has_text = self.text is not None and _VISIBLE.search(self.text) is not None
        has_url = self.url is not None and _VISIBLE.search(self.url) is not None
        if not (has_text or has_url):
            raise ValueError("give the article's text or its URL (to fetch it)")
        return self


def _unique_ids(sources: list[SourceIn]) -> list[SourceIn]:
    seen: set[str] = set()
    for source in sources:
        if source.id is not None:
            if source.id in seen:
                raise ValueError(f"two sources have the id {source.id!r}; ids must be unique")
            seen.add(source.id)
    return sources


class AnalyzeRequest(_Body):
    sources: list[SourceIn] = Field(
        min_length=1,
        description="The articles about one event (at most the server's `max_articles`, "
        "`/api/config`).",
    )

    _ids = field_validator("sources")(_unique_ids)
    engine: EngineChoice = "offline"
    max_words: int = Field(default=130, ge=20, le=2000, description="Longest summary, in words.")
    min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE


# Sources or a report, not both: declared in the schema as well as checked (`_sources_or_report`).
_SOURCES_OR_REPORT: dict[str, Any] = {
    "oneOf": [
        {
            "required": ["sources"],
            "properties": {"sources": {"minItems": 1}, "report": {"type": "null"}},
        },
        {
            "required": ["report"],
            "properties": {"sources": {"maxItems": 0}, "report": {"type": "object"}},
        },
    ]
}


class CheckRequest(_Body):
    """An editor's draft and the sources to check it against.

    With `report` (a report from `/api/analyze` on the same sources), the sources are its articles
    and the analysis is not run again; `sources` is then left out or empty. `min_confidence`
    chooses the sources' loaded terms that the checks use (of a given report: those at or above
    it).
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_SOURCES_OR_REPORT)

    draft: str = Field(min_length=1, description="The editor's draft.")
    sources: list[SourceIn] = Field(default_factory=list)
    report: Report | None = None

    _ids = field_validator("sources")(_unique_ids)
    engine: EngineChoice = "offline"
    max_words: int = Field(default=130, ge=20, le=2000)
    min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE

    _unicode = field_validator("draft")(_unicode_text)

    @model_validator(mode="after")
    def _sources_or_report(self) -> CheckRequest:
        if self.report is None and not self.sources:
            raise ValueError("give the sources to check the draft against, or a report on them")
        if self.report is not None and self.sources:
            raise ValueError("give either the sources or a report, not both")
        return self


class EngineInfo(_Body):
    name: EngineChoice
    available: bool
    label: str
    detail: str


class Limits(_Body):
    max_request_bytes: int
    max_articles: int
    request_timeout_seconds: float


class ServerConfig(_Body):
    version: str
    schema_version: str
    default_min_confidence: float = Field(description="The default of `min_confidence`.")
    engines: list[EngineInfo]
    limits: Limits


class ExampleSources(_Body):
    name: str
    sources: list[SourceIn]


class Health(_Body):
    status: Literal["ok"]
    version: str


class ErrorBody(_Body):
    error: str = Field(description="Machine-readable kind, e.g. `too_large`, `timeout`.")
    message: str = Field(description="What went wrong and what to do about it.")


RenderFormat = Literal["json", "markdown", "text", "html"]
