"""The one-way flow: sources -> articles -> engine result -> checks -> Report."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .annotate.loaded import DEFAULT_MIN_CONFIDENCE, is_listed
from .engines import Engine, EngineResult, get_engine
from .errors import UsageError
from .input_findings import input_findings
from .loop import off_the_loop
from .report_checks import verify_report
from .schema import Article, LoadedTerm, Provenance, Report
from .sources import load_articles

Source = str | Path | Article


def check_max_words(max_words: int) -> None:
    """A `UsageError` unless `max_words` is at least 20."""
    if max_words < 20:
        raise UsageError(f"max_words must be at least 20 (got {max_words})", option="max_words")


def check_min_confidence(min_confidence: float) -> None:
    """A `UsageError` unless `min_confidence` is a number from 0 to 1."""
    number = isinstance(min_confidence, int | float) and not isinstance(min_confidence, bool)
    if not number or not 0 <= min_confidence <= 1:
        raise UsageError(
            f"min_confidence must be between 0 and 1 (got {min_confidence!r})",
            option="min_confidence",
        )


def confident_terms(terms: Iterable[LoadedTerm], min_confidence: float) -> list[LoadedTerm]:
    """The loaded terms a report lists, in their order: the curated lexicon's, and the others at
    or above `min_confidence` (`annotate.loaded.is_listed`)."""
    return [t for t in terms if is_listed(t.confidence, t.origin, min_confidence)]


def build_report(
    articles: list[Article],
    result: EngineResult,
    engine: str,
    started: float,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> Report:
    """Verify an engine's result and wrap it, with provenance, in a `Report`.

    Engines return every loaded-term candidate with its confidence; only those at or above
    `min_confidence` are verified and reported.
    """
    check_min_confidence(min_confidence)
    result = replace(
        result, loaded_language=confident_terms(result.loaded_language, min_confidence)
    )
    findings = input_findings(articles) + list(result.findings) + verify_report(articles, result)
    return Report(
        articles=articles,
        summary=result.summary,
        contested_claims=result.contested_claims,
        loaded_language=result.loaded_language,
        findings=findings,
        provenance=Provenance(
            engine=engine,
            model=result.model,
            prompt_version=result.prompt_version,
            prompt_hash=result.prompt_hash,
            token_usage=result.token_usage,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            created_at=datetime.now(UTC),
        ),
    )


def _engine(engine: str | Engine, options: dict[str, Any]) -> Engine:
    if isinstance(engine, str):
        return get_engine(engine, **options)
    if options:
        name = sorted(options)[0]
        raise UsageError(
            f"{name!r} is an option of a named engine; configure the engine object instead",
            option=name,
        )
    return engine


def analyze(
    sources: Iterable[Source],
    engine: str | Engine = "offline",
    *,
    max_words: int = 130,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    outlets: Mapping[str, str] | None = None,
    allow_private: bool = False,
    **engine_options: Any,
) -> Report:
    """Analyse articles about one event and return a verified `Report`.

    `sources` are paths, URLs, article texts or `Article`s. `engine` is "offline", "llm" or an
    object following the `Engine` protocol. `min_confidence` (0-1) is the lowest confidence of a
    loaded term the report lists: lower finds more, with more false alarms. `engine_options` go
    to a named engine (for `llm`: model, base_url, api_key, temperature, seed, timeout, client,
    ...).

    Called inside a running event loop (a notebook cell), it runs on a worker thread and blocks
    until done; asyncio code should await `analyze_async` instead.
    """

    def run() -> Report:
        started, articles, chosen = _prepare(
            sources, engine, max_words, min_confidence, outlets, allow_private, engine_options
        )
        result = chosen.analyze(articles, max_words=max_words)
        return build_report(articles, result, chosen.name, started, min_confidence=min_confidence)

    return off_the_loop(run)


def _prepare(  # noqa: PLR0917 (the public API's arguments, in its order)
    sources: Iterable[Source],
    engine: str | Engine,
    max_words: int,
    min_confidence: float,
    outlets: Mapping[str, str] | None,
    allow_private: bool,
    engine_options: dict[str, Any],
) -> tuple[float, list[Article], Engine]:
    """What `analyze` and `analyze_async` do before the engine runs: the start time, the
    arguments checked, the articles loaded, the engine chosen."""
    started = time.perf_counter()
    check_max_words(max_words)
    check_min_confidence(min_confidence)
    articles = load_articles(sources, outlets=outlets, allow_private=allow_private)
    return started, articles, _engine(engine, engine_options)


async def analyze_async(
    sources: Iterable[Source],
    engine: str | Engine = "offline",
    *,
    max_words: int = 130,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    outlets: Mapping[str, str] | None = None,
    allow_private: bool = False,
    **engine_options: Any,
) -> Report:
    """`analyze` for asyncio code: the same arguments and report; the LLM engine's calls run
    concurrently on the async client. Reading the sources and the offline work run on the
    calling loop's thread."""
    started, articles, chosen = _prepare(
        sources, engine, max_words, min_confidence, outlets, allow_private, engine_options
    )
    result = await chosen.analyze_async(articles, max_words=max_words)
    return build_report(articles, result, chosen.name, started, min_confidence=min_confidence)
