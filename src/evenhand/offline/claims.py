"""Contested claims (placeholder while the detectors are written)."""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Article, ContestedClaim, SummarySentence
from .align import Alignment


def contested_claims(articles: Sequence[Article], alignment: Alignment) -> list[ContestedClaim]:
    return []


def claim_summary_sentences(
    articles: Sequence[Article],
    alignment: Alignment,
    claims: list[ContestedClaim],
    *,
    max_words: int,
) -> list[SummarySentence]:
    return []
