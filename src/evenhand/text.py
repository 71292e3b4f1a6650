"""Sentences with character offsets, quoted-speech regions and word tokens.

Everything here is offsets into the original string, never into a normalised copy, so that any
span found in an article can be turned into a `Span` whose text equals the article's slice.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATION_WORDS = """
mr mrs ms dr prof sen rep gov gen col lt sgt capt adm st jr sr vs etc inc ltd co corp dept no nos
fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft pres rev hon u.s u.k u.n e.g i.e a.m
p.m approx est
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[\"“A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` ends an abbreviation or an initial ("J. Smith")."""
    # Walk back over the word before the dot (letters and inner dots, as in "U.S"); slicing the
    # whole prefix for a regex would make splitting quadratic in the article's length.
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    if start == dot:
        return False
    word = text[start:dot].lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # Single capital initials ("John F. Kennedy"), not a sentence ending in "I".
    return len(word) == 1 and text[dot - 1].isupper() and text[dot - 1] != "I"


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, or before a line that starts with
    a capital, a digit or a quotation mark."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with offsets into `text`; paragraphs always end a sentence."""
    sentences: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraph_bounds(text)):
        cursor = p_start
        paragraph = text[p_start:p_end]
        for m in _BOUNDARY.finditer(paragraph):
            end = p_start + m.end()
            dot = p_start + m.start()
            if text[dot] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, dot):
                continue
            s, e = _trim(text, cursor, end)
            if e > s:
                sentences.append(Sentence(s, e, text[s:e], p_index))
            cursor = end
        s, e = _trim(text, cursor, p_end)
        if e > s:
            sentences.append(Sentence(s, e, text[s:e], p_index))
    return sentences


def _straight_quote_opens(text: str, i: int) -> bool:
    """Guess whether a straight double quote opens (True) or closes (False) a quotation."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{:;—–-":
        return not after.isspace()
    return False


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted speech, quote marks included.

    Curly quotes carry their direction; straight quotes are read as opening or closing from the
    characters around them, with nesting, so `"He said: "Oh no..." Go,"` is one region. A
    quotation left open at the end of a paragraph ends there (the newspaper convention of
    reopening the quote in the next paragraph then starts a new region).
    """
    regions: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_bounds(text):
        depth = 0
        start = p_start
        for i in range(p_start, p_end):
            ch = text[i]
            if ch == "“" or (ch == '"' and _straight_quote_opens(text, i)):
                if depth == 0:
                    start = i
                depth += 1
            elif ch in '”"' and depth > 0:
                depth -= 1
                if depth == 0:
                    regions.append((start, i + 1))
        if depth > 0:
            _, end = _trim(text, start, p_end)
            regions.append((start, end))
    return regions


def quote_marks_balance(text: str) -> bool:
    """Whether every double quotation mark in `text` has its partner (curly, straight or mixed)."""
    depth = 0
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        if ch == "“" or (ch == '"' and (depth == 0 or before.isspace())):
            depth += 1
        elif ch in '”"':
            if depth == 0:
                return False
            depth -= 1
    return depth == 0


class QuoteIndex:
    """Answers "is this range inside quoted speech?" in O(log n)."""

    def __init__(self, text: str) -> None:
        self.regions = quote_regions(text)
        self._starts = [s for s, _ in self.regions]

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self.regions[i][0] <= start and end <= self.regions[i][1]

    def region_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.regions[i][0] <= pos < self.regions[i][1]:
            return self.regions[i]
        return None


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @cached_property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words (ASCII letters and digits, as the English lexicon spells them) of
    `text[start:end]`, with offsets into `text`."""
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def words(text: str) -> list[str]:
    """Lower-cased word tokens, for comparisons that do not need offsets."""
    return [m.group().lower().replace("’", "'") for m in _WORD.finditer(text)]
