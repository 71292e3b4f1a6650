"""The JSON API: analyse, check a draft, render a report, and what the page needs to start."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from .._version import __version__
from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..schema import SCHEMA_VERSION, CheckReport, Report
from .errors import ApiError
from .jobs import Output, analyze_job, check_job, render_job
from .limits import check_article_count, check_word_count, count_words
from .models import (
    AnalyzeRequest,
    CheckRequest,
    EngineChoice,
    EngineInfo,
    ErrorBody,
    ExampleSources,
    Health,
    Limits,
    RenderFormat,
    ServerConfig,
    SourceIn,
)
from .runner import Runner
from .settings import WebSettings

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "The LLM engine was asked for but this server is not configured for it."),
        (413, "The request is larger than the server's limit."),
        (422, "Invalid request or unusable sources (too many, empty, unreachable URL...)."),
        (502, "The model service failed or rejected the key."),
        (503, "The model service is rate-limiting or not configured."),
        (504, "The analysis took longer than the server's limit per request."),
    )
}

_MEDIA = {
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}

FormatQuery = Annotated[
    RenderFormat,
    Query(
        alias="format",
        description="json: the report itself. markdown, text, html: rendered by evenhand.render.",
    ),
]

router = APIRouter()


def _settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def _runner(request: Request) -> Runner:
    runner: Runner = request.app.state.runner
    return runner


def _engine_options(settings: WebSettings, engine: EngineChoice) -> dict[str, Any]:
    if engine == "offline":
        return {}
    if not settings.llm_available:
        raise ApiError(
            400,
            "engine_not_available",
            "the LLM engine is not configured on this server: start `evenhand serve` with "
            "OPENAI_API_KEY set, or with --base-url pointing at an OpenAI-compatible server; "
            "or choose the offline engine",
        )
    return dict(settings.llm_options)


def _response(output: Output, fmt: RenderFormat) -> Response:
    if isinstance(output, dict):
        return JSONResponse(output)
    return PlainTextResponse(output, media_type=_MEDIA[fmt])


@router.get("/healthz", response_model=Health, tags=["server"])
async def healthz() -> Health:
    """Liveness: the app is up and answering."""
    return Health(status="ok", version=__version__)


@router.get("/api/config", response_model=ServerConfig, tags=["server"])
async def config(request: Request) -> ServerConfig:
    """The engines this server offers and its limits, for the page to set itself up."""
    settings = _settings(request)
    model = settings.llm_model or "the default model"
    where = settings.llm_base_url or "the OpenAI API"
    return ServerConfig(
        version=__version__,
        schema_version=SCHEMA_VERSION,
        default_min_confidence=DEFAULT_MIN_CONFIDENCE,
        engines=[
            EngineInfo(
                name="offline",
                available=True,
                label="Offline",
                detail="Deterministic, on this server; no model and no network.",
            ),
            EngineInfo(
                name="llm",
                available=settings.llm_available,
                label="Language model",
                detail=(
                    f"{model} at {where}."
                    if settings.llm_available
                    else "Not configured: start the server with OPENAI_API_KEY or --base-url."
                ),
            ),
        ],
        limits=Limits(
            max_request_bytes=settings.max_request_bytes,
            max_articles=settings.max_articles,
            request_timeout_seconds=settings.request_timeout,
        ),
    )


@router.get("/api/schema", tags=["reports"])
async def schema(
    model: Annotated[
        str, Query(pattern="^(report|check)$", description="report or check (a CheckReport)")
    ] = "report",
) -> dict[str, Any]:
    """The JSON Schema of the report (`Report`), or of a draft check (`CheckReport`)."""
    return (CheckReport if model == "check" else Report).model_json_schema()


@router.get("/api/example", response_model=ExampleSources, tags=["reports"])
async def example() -> ExampleSources:
    """The bundled example's articles, ready to post to `/api/analyze`."""
    from ..data import EXAMPLE, example_paths

    sources = [
        SourceIn(text=path.read_text(encoding="utf-8"), filename=path.name)
        for path in example_paths()
    ]
    return ExampleSources(name=EXAMPLE, sources=sources)


@router.post(
    "/api/analyze",
    response_model=Report,
    responses={**_ERRORS, 200: {"content": {m: {} for m in _MEDIA.values()}}},
    tags=["reports"],
)
async def analyze(
    request: Request, body: Annotated[AnalyzeRequest, Body()], fmt: FormatQuery = "json"
) -> Response:
    """Analyse articles about one event: neutral summary, contested claims, loaded language."""
    settings = _settings(request)
    check_article_count(len(body.sources), settings.max_articles)
    words = count_words(source.text for source in body.sources)
    check_word_count(words, settings.max_source_words)
    options = _engine_options(settings, body.engine)
    output = await _runner(request).run(
        settings.request_timeout, body.engine == "offline", analyze_job, body, options, fmt
    )
    return _response(output, fmt)


@router.post(
    "/api/check",
    response_model=CheckReport,
    responses={**_ERRORS, 200: {"content": {m: {} for m in _MEDIA.values()}}},
    tags=["reports"],
)
async def check(
    request: Request, body: Annotated[CheckRequest, Body()], fmt: FormatQuery = "json"
) -> Response:
    """Check an editor's draft against the sources: findings at character offsets in the draft."""
    settings = _settings(request)
    count = len(body.report.articles) if body.report is not None else len(body.sources)
    check_article_count(count, settings.max_articles)
    for article in body.report.articles if body.report is not None else []:
        if not article.text.strip():
            raise ApiError(
                422,
                "input_error",
                f"article {article.id!r} of the report has no text: send the report as "
                "/api/analyze returned it, or the sources themselves",
            )
    texts = (
        [a.text for a in body.report.articles] if body.report else [s.text for s in body.sources]
    )
    check_word_count(count_words([body.draft, *texts]), settings.max_source_words)
    options = _engine_options(settings, body.engine)
    output = await _runner(request).run(
        settings.request_timeout, body.engine == "offline", check_job, body, options, fmt
    )
    return _response(output, fmt)


@router.post(
    "/api/render",
    responses={
        413: _ERRORS[413],
        422: _ERRORS[422],
        200: {"content": {m: {} for m in _MEDIA.values()}},
    },
    tags=["reports"],
)
async def render_report(
    request: Request,
    body: Annotated[Report | CheckReport, Body(description="A Report or a CheckReport.")],
    fmt: FormatQuery = "markdown",
) -> Response:
    """Render a report the page already holds (for export), with the same renderer as the CLI."""
    settings = _settings(request)
    # Rendering a large report is CPU work: off the event loop, in a thread (no pickling).
    output = await _runner(request).run(settings.request_timeout, False, render_job, body, fmt)
    return _response(output, fmt)
