"""The neutral summary: shared facts first, lightly cleaned source sentences, every one supported.

Sentences are extractive, so each can be backed by its own source span and by its counterparts in
the other articles. Candidates are scored by how widely their content is shared across sources, with
a bonus for leads and for attributed statements; near-duplicates are skipped; loaded terms in the
outlet's voice are replaced or removed; the result respects the word budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..grounding import make_span
from ..schema import Span, SummarySentence
from ..text import QuoteIndex, words
from .align import Alignment, SentenceRef
from .clean import has_unquoted_loaded, neutralise
from .cues import has_attribution

MIN_SENTENCES = 3
MAX_SENTENCES = 6
_MIN_WORDS = 6
_MAX_WORDS = 55
_REDUNDANT = 0.45
_ENDINGS = frozenset('."”!')
_SPREAD = 0.25


@dataclass(frozen=True)
class Candidate:
    ref: SentenceRef
    text: str
    score: float
    support: tuple[Span, ...]


_PRONOUN_START = re.compile(r"^(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its)\b")


def _n_words(text: str) -> int:
    """Words as a reader counts them (the larger of whitespace and word-token counts)."""
    return max(len(text.split()), len(words(text)))


def _quote_share(quotes: QuoteIndex, start: int, end: int) -> float:
    """Share of the characters in start:end that lie inside quoted speech."""
    quoted = 0
    for s, e in quotes.regions:
        if e > start and s < end:
            quoted += min(e, end) - max(s, start)
    return quoted / max(1, end - start)


def _support(alignment: Alignment, ref: SentenceRef) -> tuple[Span, ...]:
    spans: list[Span] = []
    refs = [ref] + [m.ref for m in alignment.counterparts(ref)]
    for r in refs:
        sentence = alignment.sentence(r)
        spans.append(make_span(alignment.articles[r.article_index], sentence.start, sentence.end))
    return tuple(spans)


def candidates(alignment: Alignment, *, relaxed: bool = False) -> list[Candidate]:
    """Every usable sentence, cleaned, with its score and support, best first.

    `relaxed` admits shorter and longer sentences, unfinished ones and mostly quoted ones: the
    fallback when short articles leave too few candidates for a three-sentence summary.
    """
    found: list[Candidate] = []
    quote_indexes = [QuoteIndex(a.text) for a in alignment.articles]
    min_words = _MIN_WORDS - 2 if relaxed else _MIN_WORDS
    max_words = _MAX_WORDS * 2 if relaxed else _MAX_WORDS
    for ref in alignment.refs():
        sentence = alignment.sentence(ref)
        n_words = _n_words(sentence.text)
        if n_words < min_words or n_words > max_words or sentence.text.rstrip().endswith("?"):
            continue
        if not relaxed and sentence.text.rstrip()[-1:] not in _ENDINGS:
            continue
        attributed = has_attribution(sentence.text)
        quote_share = _quote_share(quote_indexes[ref.article_index], sentence.start, sentence.end)
        if quote_share > 0.5 and not attributed and not relaxed:
            continue
        text = neutralise(sentence.text)
        if has_unquoted_loaded(text) or _n_words(text) < min_words:
            continue
        score = alignment.support(ref)
        score += 0.3 if ref.sentence_index == 0 else 0.15 if ref.sentence_index < 3 else 0.0
        score += 0.1 if attributed else 0.0
        score -= 0.3 * quote_share
        score -= 0.3 if _PRONOUN_START.match(text) else 0.0
        found.append(Candidate(ref, text, score, _support(alignment, ref)))
    found.sort(key=lambda c: (-c.score, c.ref.article_index, c.ref.sentence_index))
    return found


def _refs_of(alignment: Alignment, spans: list[Span]) -> list[SentenceRef]:
    """The aligned sentences that the given spans start in."""
    index = {a.id: i for i, a in enumerate(alignment.articles)}
    refs: list[SentenceRef] = []
    for span in spans:
        a = index.get(span.article_id)
        if a is None:
            continue
        for i, sentence in enumerate(alignment.sentences[a]):
            if sentence.start <= span.start < sentence.end:
                refs.append(SentenceRef(a, i))
                break
    return refs


def _too_close(alignment: Alignment, ref: SentenceRef, chosen: list[Candidate]) -> bool:
    return any(alignment.similarity(ref, c.ref) >= _REDUNDANT for c in chosen)


def neutral_summary(
    alignment: Alignment,
    max_words: int,
    extra: list[SummarySentence] | None = None,
) -> list[SummarySentence]:
    """Up to six supported sentences within `max_words`; `extra` sentences (contested points,
    already attributed and supported) are placed after the shared facts that fit before them."""
    extra = list(extra or [])
    extra_refs = _refs_of(alignment, [span for s in extra for span in s.support])
    budget = max_words - sum(_n_words(s.text) for s in extra)
    room = MAX_SENTENCES - len(extra)
    chosen: list[Candidate] = []
    used = 0
    skip = {s.text for s in extra}
    for relaxed in (False, True):
        if relaxed and len(chosen) + len(extra) >= MIN_SENTENCES:
            break
        taken = {c.ref for c in chosen}
        pool = [c for c in candidates(alignment, relaxed=relaxed) if c.ref not in taken]
        while len(chosen) < room and pool:
            # Each pick lowers the other sentences of the same article a little, so that the
            # summary draws on every source rather than on whichever wrote the longest piece.
            per_article = [
                sum(c.ref.article_index == a for c in chosen)
                for a in range(len(alignment.articles))
            ]
            best = max(
                pool,
                key=lambda c: (
                    c.score - _SPREAD * per_article[c.ref.article_index],
                    -c.ref.article_index,
                    -c.ref.sentence_index,
                ),
            )
            pool.remove(best)
            n = _n_words(best.text)
            if (
                used + n > budget
                or best.text in skip
                or _too_close(alignment, best.ref, chosen)
                or any(alignment.similarity(best.ref, r) >= _REDUNDANT for r in extra_refs)
            ):
                continue
            chosen.append(best)
            used += n
    chosen.sort(key=lambda c: (c.ref.sentence_index, c.ref.article_index))
    summary = [SummarySentence(text=c.text, support=list(c.support)) for c in chosen]
    return summary + extra


def word_count(sentences: list[SummarySentence]) -> int:
    return sum(_n_words(s.text) for s in sentences)
