"""`check`: an editor's draft against its sources.

The draft goes through the same checks as every engine's summary (see `evenhand.checks`). What a
report found in the sources (contested claims, loaded terms) sharpens two of them; when no report
is given, one is made with `analyze` on the same articles (offline engine unless told otherwise).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import Article, CheckReport, Finding, Location, Provenance, Report


def check(
    draft: str,
    sources: Iterable[str | Path | Article],
    *,
    report: Report | None = None,
    min_confidence: float | None = None,
    **analyze_options: Any,
) -> CheckReport:
    """Check `draft` against `sources`; findings carry character offsets in the draft.

    `sources` are paths, URLs, article texts or `Article`s (as for `analyze`). `report` is an
    analysis of the same sources to reuse; without one, `analyze(articles, **analyze_options)`
    makes it. `min_confidence` (0-1) is the lowest confidence of a loaded term from the sources
    that the checks use: by default `analyze`'s default, or all of a given `report`'s terms.
    Like `analyze`, it works inside a running event loop; asyncio code can await `check_async`.
    """
    from .pipeline import analyze

    started = time.perf_counter()
    articles = _articles(draft, sources, report, min_confidence, analyze_options)
    if report is None:
        report = analyze(articles, **analyze_options)
    return _check_report(draft, articles, report, min_confidence, started)


async def check_async(
    draft: str,
    sources: Iterable[str | Path | Article],
    *,
    report: Report | None = None,
    min_confidence: float | None = None,
    **analyze_options: Any,
) -> CheckReport:
    """`check` for asyncio code: the same arguments and result; the analysis the checks need,
    when no `report` is given, is made with `analyze_async`."""
    from .pipeline import analyze_async

    started = time.perf_counter()
    articles = _articles(draft, sources, report, min_confidence, analyze_options)
    if report is None:
        report = await analyze_async(articles, **analyze_options)
    return _check_report(draft, articles, report, min_confidence, started)


def _articles(
    draft: str,
    sources: Iterable[str | Path | Article],
    report: Report | None,
    min_confidence: float | None,
    analyze_options: dict[str, Any],
) -> list[Article]:
    """The checked arguments' articles (a given report's, or the sources loaded); a
    `min_confidence` given goes into `analyze_options`."""
    from .article_text import MAX_ARTICLE_BYTES, format_size
    from .pipeline import check_min_confidence
    from .sources import load_articles

    if min_confidence is not None:
        check_min_confidence(min_confidence)
        analyze_options["min_confidence"] = min_confidence
    if not isinstance(draft, str):
        raise InputError(f"the draft must be text (a str), not {type(draft).__name__}")
    if not draft.strip():
        raise InputError("the draft is empty: give the text to check")
    if "\x00" in draft:
        raise InputError("the draft looks like a binary file (it contains NUL bytes), not text")
    size = len(draft.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:
        raise InputError(
            f"the draft is {format_size(size)}; the limit is {format_size(MAX_ARTICLE_BYTES)} "
            "of text (check it in parts)"
        )
    articles = report.articles if report is not None else load_articles(sources)
    if not articles:
        raise InputError("no sources: give at least one article to check the draft against")
    return articles


def _check_report(
    draft: str,
    articles: list[Article],
    report: Report,
    min_confidence: float | None,
    started: float,
) -> CheckReport:
    from .checks import CheckedText, run_checks
    from .pipeline import confident_terms

    loaded = report.loaded_language
    if min_confidence is not None:
        loaded = confident_terms(loaded, min_confidence)
    findings = _language_findings(draft) + run_checks(
        CheckedText.from_draft(draft),
        articles,
        contested=report.contested_claims,
        loaded=loaded,
    )
    return CheckReport(
        draft=draft,
        articles=articles,
        findings=findings,
        provenance=Provenance(
            engine=report.provenance.engine,
            model=report.provenance.model,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            created_at=datetime.now(UTC),
        ),
    )


def _language_findings(draft: str) -> list[Finding]:
    """The finding articles get when they do not look like English, for the draft."""
    from .offline.language import looks_english

    if looks_english(draft):
        return []
    return [
        Finding(
            check="language",
            severity="warning",
            message=(
                "the draft does not look like English: the loaded-language lexicon, the cue "
                "lists and the name check are English-only, so results for it are unreliable"
            ),
            location=Location(target="draft"),
        )
    ]
