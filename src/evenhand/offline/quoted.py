"""Whole quotations: which run of source sentences a quoted passage needs to be read on its own.

Sentence splitting cuts a quotation of several sentences ("“A… B… C,” he added.") into pieces, and
a piece lifted out of its article has a quote mark with no partner and no one to say it. Reasoning
on the article's quote regions (not on the marks left in a piece), a sentence is either whole as it
is, or belongs to a passage of consecutive sentences that holds every quotation it touches from its
opening mark to its closing one, or cannot be used at all (a quotation left open at the end of its
paragraph, a quote mark that belongs to no quotation).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..annotate import Sentence
from ..annotate.cues import cue_kinds
from ..text import QuoteIndex

_MARKS = frozenset('"“”')
_CLOSING = frozenset('"”')
_SPEECH = r"(?:said|says|added|adds|told|tells|continued|explained|noted|wrote|writes|insisted)"
# "“...,” he added." / "“...,” added she." / "He said: “...”": the quotation's only speaker is a
# pronoun, whose referent stays behind in the article.
_PRONOUN_AFTER = re.compile(
    rf"^[\s,]*(?:(?:he|she|they)\s+{_SPEECH}|{_SPEECH}\s+(?:he|she|they))\b", re.IGNORECASE
)
_PRONOUN_BEFORE = re.compile(rf"(?:^|[.;,]\s*)(?:he|she|they)\s+{_SPEECH}[\s,:]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """Sentences `first..last` (inclusive) of an article, `start:end` in its text."""

    first: int
    last: int
    start: int
    end: int

    @property
    def whole_sentence(self) -> bool:
        return self.first == self.last


class Quotations:
    """The quoted passages of one article, for lifting whole sentences out of it."""

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self.text = text
        self.sentences = sentences
        self.index = QuoteIndex(text)
        self._starts = [s.start for s in sentences]
        self._passages: dict[int, Passage | None] = {}

    def _sentence_at(self, pos: int) -> int:
        return max(0, bisect_right(self._starts, pos) - 1)

    def _overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.index.regions if s < end and e > start]

    def passage(self, i: int) -> Passage | None:
        """The passage sentence `i` belongs to, or None when no run of sentences holds its
        quotations whole."""
        if i not in self._passages:
            self._passages[i] = self._passage(i)
        return self._passages[i]

    def passage_of(self, start: int, end: int) -> Passage | None:
        """The passage holding the sentences that `start:end` covers."""
        first, last = self._sentence_at(start), self._sentence_at(max(start, end - 1))
        passages = {self.passage(i) for i in range(first, last + 1)}
        if None in passages or len(passages) != 1:
            return None
        return passages.pop()

    def whole(self, start: int, end: int, max_words: int) -> Passage | None:
        """`start:end` widened to whole quotations, or None when that is no usable sentence.

        A widened range must say who spoke and stay within `max_words`, so that it still reads
        as one sentence; a range that needs no widening is returned as it is.
        """
        passage = self.passage_of(start, end)
        if passage is None or (passage.start, passage.end) == (start, end):
            return passage
        if len(self.text[passage.start : passage.end].split()) > max_words:
            return None
        return passage if self.attributed(passage) else None

    def _passage(self, i: int) -> Passage | None:
        first = last = i
        while True:
            start, end = self.sentences[first].start, self.sentences[last].end
            regions = self._overlapping(start, end)
            lo = min([start] + [s for s, _ in regions])
            hi = max([end] + [e for _, e in regions])
            if lo == start and hi == end:
                break
            first, last = self._sentence_at(lo), self._sentence_at(hi - 1)
        for s, e in regions:
            # A quotation the paragraph leaves open has no closing mark to end the passage with.
            if e - s < 2 or self.text[e - 1] not in _CLOSING:
                return None
        for pos in range(start, end):
            if self.text[pos] in _MARKS and self.index.region_at(pos) is None:
                return None  # a mark that opens or closes nothing the reader can see
        return Passage(first, last, start, end)

    def outside(self, passage: Passage) -> str:
        """The passage's text with its quotations blanked (same length): the narrator's words."""
        chars = list(self.text[passage.start : passage.end])
        for s, e in self._overlapping(passage.start, passage.end):
            for pos in range(max(s, passage.start), min(e, passage.end)):
                chars[pos - passage.start] = " "
        return "".join(chars)

    def attributed(self, passage: Passage) -> bool:
        """Whether the narrator's words in the passage say who speaks ("said", "alleged")."""
        return bool(cue_kinds(self.outside(passage)) & {"report", "allegation"})

    def pronoun_speaker(self, passage: Passage) -> bool:
        """Whether a quotation in the passage is given only to "he", "she" or "they"."""
        for s, e in self._overlapping(passage.start, passage.end):
            after = self.text[e : passage.end]
            before = self.text[passage.start : s]
            if _PRONOUN_AFTER.search(after) or _PRONOUN_BEFORE.search(before):
                return True
        return False
