"""Loaded language in articles: lexicon matches, marked as quoted speech or outlet voice."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..grounding import make_span
from ..lexicon import LexiconMatch, find_loaded
from ..schema import Article, LoadedTerm
from ..text import QuoteIndex

# "rejected as baseless", "branded him a thug", "called it a sham": the judgement belongs to the
# subject of the verb, not to the outlet, so the term is reported speech even without quote marks.
_ATTRIBUTING = re.compile(
    r"(?<![\w-])(?:rejected|rejects|reject|dismissed|dismisses|dismiss|denounced|denounces|called|calls|"
    r"branded|brands|labelled|labeled|described|describes|termed|decried|condemned)\b"
    r"(?:\s+\w+){0,3}?\s+(?:as\s+)?(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_ATTRIBUTION_WINDOW = 60


def is_attributed(text: str, match: LexiconMatch) -> bool:
    """True when the term is the complement of a verb of judging ("rejected ... as baseless")."""
    before = text[max(0, match.start - _ATTRIBUTION_WINDOW) : match.start]
    return _ATTRIBUTING.search(before) is not None


def article_terms(article: Article, quotes: QuoteIndex | None = None) -> list[LoadedTerm]:
    """Every lexicon match in one article, in text order."""
    quotes = quotes or QuoteIndex(article.text)
    found: list[LoadedTerm] = []
    for m in find_loaded(article.text):
        in_quote = quotes.contains(m.start, m.end)
        explanation = m.entry.explanation
        if not in_quote and is_attributed(article.text, m):
            in_quote = True
            explanation += " Here the judgement is attributed to the speaker, not the outlet."
        found.append(
            LoadedTerm(
                span=make_span(article, m.start, m.end),
                category=m.entry.category,
                in_quote=in_quote,
                neutral_alternative=m.entry.neutral_alternative,
                explanation=explanation,
            )
        )
    return found


def loaded_terms(articles: Sequence[Article]) -> list[LoadedTerm]:
    """Loaded-language terms of every article, article by article."""
    return [term for article in articles for term in article_terms(article)]
