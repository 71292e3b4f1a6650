"""The offline engine: deterministic, explainable analysis with no key and no network.

It aligns sentences across sources, finds contested claims from attribution and dispute cues and
from differing labels, marks loaded language with a curated lexicon, and writes an extractive
neutral summary from what the sources share. Every span it returns is a slice of its article.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..offline.align import align
from ..offline.claims import claim_summary_sentences, contested_claims
from ..offline.length import target_words
from ..offline.loaded import loaded_terms
from ..offline.summary import empty_summary_reason, neutral_summary
from ..schema import Article, Finding, Location
from .base import EngineResult


class OfflineEngine:
    """Rule- and statistics-based engine; the default."""

    name = "offline"

    def analyze(self, articles: Sequence[Article], *, max_words: int = 130) -> EngineResult:
        articles = list(articles)
        alignment = align(articles)
        claims = contested_claims(articles, alignment) if len(articles) > 1 else []
        target = target_words(articles, max_words)
        extra = claim_summary_sentences(articles, alignment, claims, max_words=target // 2)
        summary = neutral_summary(alignment, max_words, extra, target=target)
        findings: list[Finding] = []
        if not summary:
            reason = empty_summary_reason(alignment)
            findings.append(
                Finding(
                    check="empty_summary",
                    severity="warning",
                    message=f"{reason}; read the articles, or add articles from other outlets",
                    location=Location(target="summary"),
                )
            )
        return EngineResult(
            summary=summary,
            contested_claims=claims,
            loaded_language=loaded_terms(articles),
            findings=findings,
        )

    async def analyze_async(
        self, articles: Sequence[Article], *, max_words: int = 130
    ) -> EngineResult:
        return self.analyze(articles, max_words=max_words)
