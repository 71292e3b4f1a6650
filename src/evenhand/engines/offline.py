"""The offline engine: deterministic, explainable analysis with no key and no network.

It aligns sentences across sources, finds contested claims from attribution and dispute cues and
from differing labels, marks loaded language with a curated lexicon, and writes an extractive
neutral summary from what the sources share. Every span it returns is a slice of its article.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..offline.align import align
from ..offline.claims import claim_summary_sentences, contested_claims
from ..offline.language import looks_english
from ..offline.loaded import loaded_terms
from ..offline.summary import neutral_summary
from ..schema import Article, Finding, Location
from .base import Draft


class OfflineEngine:
    """Rule- and statistics-based engine; the default."""

    name = "offline"

    def analyze(self, articles: Sequence[Article], *, max_words: int = 130) -> Draft:
        articles = list(articles)
        findings = _input_findings(articles)
        alignment = align(articles)
        claims = contested_claims(articles, alignment) if len(articles) > 1 else []
        extra = claim_summary_sentences(articles, alignment, claims, max_words=max_words // 2)
        summary = neutral_summary(alignment, max_words, extra)
        return Draft(
            summary=summary,
            contested_claims=claims,
            loaded_language=loaded_terms(articles),
            findings=findings,
        )

    async def analyze_async(self, articles: Sequence[Article], *, max_words: int = 130) -> Draft:
        return self.analyze(articles, max_words=max_words)


def _input_findings(articles: list[Article]) -> list[Finding]:
    findings: list[Finding] = []
    if len(articles) == 1:
        findings.append(
            Finding(
                check="single_source",
                severity="info",
                message=(
                    "only one article was given: the summary rests on one outlet and no "
                    "cross-source claims can be found; add articles from other outlets"
                ),
                location=Location(target="report"),
            )
        )
    for article in articles:
        if not looks_english(article.text):
            findings.append(
                Finding(
                    check="language",
                    severity="warning",
                    message=(
                        f"article {article.id!r} does not look like English: the loaded-language "
                        "lexicon and the cue lists are English-only, so results for it are "
                        "unreliable"
                    ),
                    location=Location(target="article", article_id=article.id),
                )
            )
    return findings
