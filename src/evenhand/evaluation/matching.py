"""Text matching used by the metrics: phrase containment, loaded terms in a text's own voice,
claim similarity and the one-to-one matching of two claim sets."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from ..quote_search import normalise
from ..schema import ContestedClaim, Span
from ..text import QuoteIndex, words


def norm(text: str) -> str:
    """Case, whitespace, quote marks and dashes folded, as for quote grounding."""
    return normalise(text)


def contains_phrase(text: str, phrase: str) -> bool:
    """True when `text` contains `phrase` or one of its `|`-separated alternatives (normalised)."""
    haystack = norm(text)
    return any(alt and norm(alt) in haystack for alt in (a.strip() for a in phrase.split("|")))


def _fold(text: str) -> str:
    """Lower case with curly apostrophes straightened; keeps every offset in place."""
    return text.lower().replace("’", "'")


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(_fold(term.strip())) + r"(?![\w-])")


def own_voice_hits(text: str, terms: Sequence[str]) -> list[str]:
    """The `terms` that occur in `text` as whole words outside quotation marks."""
    folded = _fold(text)
    found = [t for t in terms if t.strip() and _term_pattern(t).search(folded)]
    if not found:
        return []  # the common case, decided without building the quote index
    quotes = QuoteIndex(text)
    return [
        t
        for t in found
        if any(not quotes.contains(m.start(), m.end()) for m in _term_pattern(t).finditer(folded))
    ]


def overlaps(a_article: str, a_start: int, a_end: int, b: Span) -> bool:
    return a_article == b.article_id and a_start < b.end and b.start < a_end


def token_jaccard(a: str, b: str) -> float:
    """Word-set overlap of two texts (0 when both are empty)."""
    sa, sb = set(words(a)), set(words(b))
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def claim_text(claim: ContestedClaim) -> str:
    """Everything a claim says: its wording, its note and the evidence it quotes."""
    parts = [claim.claim, claim.note]
    parts += [s.text for p in claim.positions for s in p.evidence]
    return " ".join(parts)


def _evidence(claim: ContestedClaim) -> list[Span]:
    return [s for p in claim.positions for s in p.evidence]


T = TypeVar("T")

CLAIM_MATCH_THRESHOLD = 0.35


def claim_similarity(a: ContestedClaim, b: ContestedClaim) -> float:
    """How likely two claims are the same claim: 1 when they quote overlapping evidence,
    else the word overlap of their wording."""
    for sa in _evidence(a):
        if any(overlaps(sa.article_id, sa.start, sa.end, sb) for sb in _evidence(b)):
            return 1.0
    return token_jaccard(a.claim, b.claim)


def match_pairs(
    left: Sequence[T],
    right: Sequence[T],
    similarity: Callable[[T, T], float],
    threshold: float,
) -> list[tuple[int, int, float]]:
    """A one-to-one matching, greedy by similarity: pairs (i, j, score) with score >= threshold."""
    scored = [(similarity(x, y), i, j) for i, x in enumerate(left) for j, y in enumerate(right)]
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for score, i, j in scored:
        if score < threshold or i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j, score))
    return sorted(pairs)


def set_agreement(n_left: int, n_right: int, matched: int) -> float | None:
    """Dice agreement of two matched sets: 2*matched / (|A| + |B|); None when both are empty."""
    if n_left + n_right == 0:
        return None
    return 2 * matched / (n_left + n_right)
