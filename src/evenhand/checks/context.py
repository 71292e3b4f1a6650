"""The checked text and its sources, prepared once and shared by every check.

A checked text is either an editor's draft (one string; no claimed support, so support is found
by comparing its sentences with the sources) or an engine's summary (a list of sentences, each
with the spans the engine claims back it). Both become a `CheckedText`: one string with sentence
units, so that every check works on offsets in one text and `location()` turns them into the
`Location` of the right target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..annotate import AnnotatedDoc, Sentence, annotate, annotate_all
from ..quote_search import ArticleIndex
from ..schema import Article, ContestedClaim, LoadedTerm, Location, Span, SummarySentence
from ..text import QuoteIndex
from .states import label_states
from .words import content_words, numbers_in, script_word_spans, stem

Target = Literal["draft", "summary"]

# A checked sentence counts as backed when this share of its content words is found in at most
# three source sentences; a source backs a sentence when it alone reaches this share.
SUPPORTED = 0.5
CREDIT_MARGIN = 0.12
# The longest part of a source's name a draft's name is matched against, in words.
_NAME_PART = 6


@dataclass(frozen=True)
class Unit:
    """One sentence of the checked text, with the support its author claims for it (if any)."""

    index: int
    start: int
    end: int
    text: str
    claimed: tuple[Span, ...] = ()


@dataclass
class CheckedText:
    text: str
    target: Target
    units: list[Unit]

    @classmethod
    def from_draft(cls, draft: str) -> CheckedText:
        """A draft's units are the sentences of its annotated document."""
        doc = annotate(draft)
        units = [Unit(i, s.start, s.end, s.text) for i, s in enumerate(doc.sentences)]
        return cls(draft, "draft", units)

    @classmethod
    def from_summary(cls, summary: Sequence[SummarySentence]) -> CheckedText:
        """The summary's sentences joined by single spaces; each keeps its claimed support."""
        parts: list[str] = []
        units: list[Unit] = []
        pos = 0
        for i, sentence in enumerate(summary):
            units.append(
                Unit(i, pos, pos + len(sentence.text), sentence.text, tuple(sentence.support))
            )
            parts.append(sentence.text)
            pos += len(sentence.text) + 1
        return cls(" ".join(parts), "summary", units)

    @cached_property
    def quotes(self) -> QuoteIndex:
        return QuoteIndex(self.text)

    def unit_at(self, pos: int) -> Unit | None:
        for unit in self.units:
            if unit.start <= pos < unit.end:
                return unit
        return None

    def location(self, start: int, end: int) -> Location:
        """Where `text[start:end]` is: draft offsets, or a summary sentence and offsets in it."""
        unit = self.unit_at(start)
        if self.target == "draft":
            return Location(
                target="draft", index=unit.index if unit else None, start=start, end=end
            )
        if unit is None:
            return Location(target="summary")
        return Location(
            target="summary",
            index=unit.index,
            start=start - unit.start,
            end=min(end, unit.end) - unit.start,
        )

    def unit_location(self, unit: Unit) -> Location:
        return self.location(unit.start, unit.end)


@dataclass(frozen=True)
class SourceSentence:
    number: int  # position in SourceIndex.sentences
    article_id: str
    start: int
    end: int
    text: str
    words: frozenset[str]


@dataclass
class Support:
    """What backs one checked sentence: its best source sentences and each article's share."""

    coverage: float  # share of its content words found in its best (at most three) source sentences
    sentences: list[SourceSentence]
    by_article: dict[str, float]  # article id -> share found in that article's best two sentences
    words: frozenset[str]

    @property
    def supported(self) -> bool:
        return not self.words or self.coverage >= SUPPORTED

    def credited(self) -> list[str]:
        """Articles the sentence rests on: those within a small margin of the best one."""
        if not self.by_article or not self.words:
            return []
        best = max(self.by_article.values())
        if best < SUPPORTED:
            return []
        return [a for a, v in self.by_article.items() if v >= best - CREDIT_MARGIN]


class SourceIndex:
    """The articles' annotated documents, their sentences and an inverted index of content words."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self.sentences: list[SourceSentence] = []
        self.by_article: dict[str, list[SourceSentence]] = {}
        self._postings: dict[str, list[int]] = {}
        self.docs: dict[str, AnnotatedDoc] = {}
        self.split: dict[str, list[Sentence]] = {}
        # One spaCy batch for every article (each text is parsed once per process).
        docs = annotate_all(a.text for a in self.articles)
        for article, doc in zip(self.articles, docs, strict=True):
            own: list[SourceSentence] = []
            self.docs[article.id] = doc
            self.split[article.id] = doc.sentences
            for s in self.split[article.id]:
                words = frozenset(content_words(s.text))
                sentence = SourceSentence(
                    len(self.sentences), article.id, s.start, s.end, s.text, words
                )
                for w in words:
                    self._postings.setdefault(w, []).append(sentence.number)
                self.sentences.append(sentence)
                own.append(sentence)
            self.by_article[article.id] = own
        self._indexes: dict[str, ArticleIndex] = {}
        self._quotes: dict[str, QuoteIndex] = {}

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def label(self, article_id: str) -> str:
        """How to name an article in a message: its outlet, else its id."""
        try:
            article = self.article(article_id)
        except KeyError:
            return article_id
        return article.outlet or article.id

    def quotes(self, article_id: str) -> QuoteIndex:
        """Quoted-speech regions of an article, over its whole text (quotes span sentences)."""
        if article_id not in self._quotes:
            self._quotes[article_id] = QuoteIndex(self.article(article_id).text)
        return self._quotes[article_id]

    def index(self, article: Article) -> ArticleIndex:
        if article.id not in self._indexes:
            self._indexes[article.id] = ArticleIndex(article)
        return self._indexes[article.id]

    @cached_property
    def all_text(self) -> str:
        parts = []
        for a in self.articles:
            parts += [a.title or "", a.outlet or "", a.text]
        return "\n".join(parts)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of every source, lower-cased, with hyphenated words also split."""
        vocab: set[str] = set()
        for t in script_word_spans(self.all_text):
            low = t.lower
            vocab.add(low)
            vocab.add(low.removesuffix("'s"))
            vocab.update(p for p in low.split("-") if p)
        return frozenset(vocab)

    @cached_property
    def name_parts(self) -> frozenset[tuple[str, ...]]:
        """Every name the sources use (a run of capitalised words, lower-cased) and every part of
        one ("Bob Menendez" of "Sen. Bob Menendez"), with the states their party-and-state labels
        stand for ("D-NJ" -> "New Jersey")."""
        names: list[list[str]] = [state.lower().split() for state in label_states(self.all_text)]
        text = self.all_text
        run: list[str] = []
        last_end = -1
        for t in script_word_spans(text):
            if t.text[0].isupper() and (not run or text[last_end : t.start] == " "):
                run.append(t.lower.removesuffix("'s"))
            else:
                names.append(run)
                run = [t.lower.removesuffix("'s")] if t.text[0].isupper() else []
            last_end = t.end
        names.append(run)
        parts: set[tuple[str, ...]] = set()
        for name in names:
            for a in range(len(name)):
                for b in range(a + 1, min(len(name), a + _NAME_PART) + 1):
                    parts.add(tuple(name[a:b]))
        return frozenset(parts)

    @cached_property
    def proper_stems(self) -> frozenset[str]:
        """Stems of words the sources only ever capitalise: names, the topic rather than a claim."""
        capital: set[str] = set()
        lower: set[str] = set()
        for t in script_word_spans(self.all_text):
            (capital if t.text[0].isupper() else lower).add(stem(t.text))
        return frozenset(capital - lower)

    @cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset(v for _, _, v in numbers_in(self.all_text))

    @cached_property
    def number_contexts(self) -> dict[str, list[frozenset[str]]]:
        """For each number in the sources, the content words of each sentence (or title) that
        uses it."""
        found: dict[str, list[frozenset[str]]] = {}
        for sentence in self.sentences:
            for _, _, value in numbers_in(sentence.text):
                found.setdefault(value, []).append(sentence.words)
        for a in self.articles:
            for _, _, value in numbers_in(a.title or ""):
                found.setdefault(value, []).append(frozenset(content_words(a.title or "")))
        return found

    def document_frequency(self, word: str) -> int:
        """How many source sentences use `word` (a stem from `content_words`)."""
        return len(self._postings.get(word, ()))

    def candidates(self, words: frozenset[str], article_id: str | None = None) -> dict[int, int]:
        """Source sentences sharing words with `words`: sentence number -> shared word count."""
        counts: dict[int, int] = {}
        for w in words:
            for n in self._postings.get(w, ()):
                counts[n] = counts.get(n, 0) + 1
        if article_id is not None:
            counts = {n: c for n, c in counts.items() if self.sentences[n].article_id == article_id}
        return counts

    def cover(
        self, words: frozenset[str], pool: Sequence[int], k: int
    ) -> tuple[float, list[SourceSentence]]:
        """Greedy cover of `words` by at most `k` sentences of `pool`: (share, sentences)."""
        if not words:
            return 1.0, []
        left = set(words)
        chosen: list[SourceSentence] = []
        for _ in range(k):
            best: SourceSentence | None = None
            gain = 0
            for n in pool:
                g = len(left & self.sentences[n].words)
                if g > gain:
                    best, gain = self.sentences[n], g
            if best is None or (chosen and gain < 2):
                break
            chosen.append(best)
            left -= best.words
        return 1 - len(left) / len(words), chosen

    def support(self, text: str) -> Support:
        words = frozenset(content_words(text))
        counts = self.candidates(words)
        # The best sentences by shared words are enough to look at; this keeps the cover cheap.
        pool = sorted(counts, key=lambda n: (-counts[n], n))[:40]
        coverage, chosen = self.cover(words, pool, 3)
        by_article: dict[str, float] = {}
        for article in self.articles:
            own = [n for n in pool if self.sentences[n].article_id == article.id]
            by_article[article.id] = self.cover(words, own, 2)[0] if own else 0.0
        return Support(coverage, chosen, by_article, words)


@dataclass
class CheckContext:
    """Everything a check needs: the checked text, the sources and what a report found in them."""

    checked: CheckedText
    sources: SourceIndex
    contested: list[ContestedClaim] = field(default_factory=list)
    loaded: list[LoadedTerm] = field(default_factory=list)

    @cached_property
    def supports(self) -> list[Support]:
        """What backs each unit, found by comparing it with the source sentences."""
        return [self.sources.support(unit.text) for unit in self.checked.units]
