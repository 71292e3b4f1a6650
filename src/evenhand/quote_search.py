"""Locating quotes in articles: models quote, code finds the offsets.

A quote is searched for exactly, then with whitespace, quote marks, dashes and case normalised,
then fuzzily over word windows (accepted at or above `FUZZY_THRESHOLD`). Whatever matches becomes
a `Span` whose text is the article's own slice, so a span can never misquote its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .schema import Article, Span
from .text import word_spans

FUZZY_THRESHOLD = 0.88

Method = Literal["exact", "normalised", "fuzzy"]

_CHAR_MAP = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "—": "-",
        "–": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class Located:
    span: Span
    method: Method
    score: float


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the offset of the original character.

    Runs of whitespace become one space; curly quotes, dashes and ellipses become ASCII; case is
    folded. The map lets a match in the normalised text be turned back into original offsets.
    """
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not previous_space:
                out.append(" ")
                index.append(i)
            previous_space = True
            continue
        previous_space = False
        if ch == "…":
            for dot in "...":
                out.append(dot)
                index.append(i)
            continue
        mapped = ch.translate(_CHAR_MAP).lower()
        for c in mapped:
            out.append(c)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def normalise(text: str) -> str:
    return normalise_with_map(text)[0]


def make_span(article: Article, start: int, end: int) -> Span:
    return Span(article_id=article.id, start=start, end=end, text=article.text[start:end])


def _strip_outer_quotes(quote: str) -> str:
    q = quote.strip()
    while len(q) >= 2 and q[0] in "\"“'‘" and q[-1] in "\"”'’":
        q = q[1:-1].strip()
    return q


class ArticleIndex:
    """An article prepared for repeated quote look-ups (normalised text and word tokens)."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.norm, self.norm_map = normalise_with_map(article.text)
        self.tokens = word_spans(article.text)
        self.words = [t.lower for t in self.tokens]

    def locate(self, quote: str, threshold: float = FUZZY_THRESHOLD) -> Located | None:
        text = self.article.text
        q = _strip_outer_quotes(quote)
        if not q:
            return None
        pos = text.find(q)
        if pos >= 0:
            return Located(make_span(self.article, pos, pos + len(q)), "exact", 1.0)
        nq = normalise(q)
        npos = self.norm.find(nq)
        if npos >= 0 and nq:
            start = self.norm_map[npos]
            end = self.norm_map[npos + len(nq) - 1] + 1
            return Located(make_span(self.article, start, end), "normalised", 1.0)
        return self._fuzzy(q, threshold)

    def _fuzzy(self, quote: str, threshold: float) -> Located | None:
        q_words = [t.lower for t in word_spans(quote)]
        n = len(q_words)
        if n < 3 or not self.words:
            return None
        best: tuple[float, int, int] | None = None
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(q_words)
        first_words = set(q_words[:3]) | set(q_words[-3:])
        for size in {max(1, n - 2), n - 1, n, n + 1, n + 2}:
            for i in range(0, max(1, len(self.words) - size + 1)):
                window = self.words[i : i + size]
                # Cheap filter: a close match shares an edge word with the quote.
                if window[0] not in first_words and window[-1] not in first_words:
                    continue
                matcher.set_seq1(window)
                if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                    continue
                score = matcher.ratio()
                if best is None or score > best[0]:
                    best = (score, i, i + len(window))
        if best is None or best[0] < threshold:
            return None
        score, i, j = best
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        return Located(make_span(self.article, start, end), "fuzzy", round(score, 3))


def locate(
    quote: str,
    articles: Iterable[Article],
    article_id: str | None = None,
    threshold: float = FUZZY_THRESHOLD,
) -> Located | None:
    """Find `quote` in the named article, or else in any of `articles` (best match wins)."""
    pool = list(articles)
    if article_id is not None:
        named = [a for a in pool if a.id == article_id]
        if named:
            found = ArticleIndex(named[0]).locate(quote, threshold)
            if found is not None:
                return found
    best: Located | None = None
    for article in pool:
        if article.id == article_id:
            continue
        found = ArticleIndex(article).locate(quote, threshold)
        if found is not None and (best is None or found.score > best.score):
            best = found
    return best
