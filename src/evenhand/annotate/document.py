"""`AnnotatedDoc`: the linguistic facts of one text, with offsets into that exact text.

Built once per text and process (an LRU keyed by the text), so the engine, grounding and every
check that look at the same article share one parse. Every offset indexes the original string,
never a normalised copy, so a span found here becomes a `Span` whose text equals the slice.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..text import QuoteIndex, paragraph_bounds
from .spacy_pipeline import load_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Texts kept parsed per process: a cluster's articles and a draft, with room for a web worker's
# recent requests. A parse costs milliseconds per hundred words; memory per document is small.
_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class Token:
    """One spaCy token. `head` is the index of its syntactic head (itself at the root)."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    ent_type: str
    is_stop: bool
    like_num: bool
    sentence: int

    @property
    def is_space(self) -> bool:
        return self.pos == "SPACE"

    @property
    def is_word(self) -> bool:
        """A token with a letter or digit in it (not punctuation or whitespace)."""
        return any(c.isalnum() for c in self.text)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence; `first`..`last` (exclusive) are its token indices; `paragraph` counts the
    paragraphs before it (`evenhand.text.paragraph_bounds`)."""

    start: int
    end: int
    text: str
    first: int
    last: int
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity as spaCy labels it (PERSON, ORG, GPE, NORP, DATE, CARDINAL, ...)."""

    start: int
    end: int
    text: str
    label: str
    first: int
    last: int


@dataclass
class AnnotatedDoc:
    """Sentences, tokens (lemma, POS, dependency), entities and quote regions of one text.

    `layers` holds what later components add (by name, e.g. `loaded_scores`), computed once.
    """

    text: str
    tokens: list[Token]
    sentences: list[Sentence]
    entities: list[Entity]
    quotes: QuoteIndex
    layers: dict[str, Any] = field(default_factory=dict)
    _token_starts: list[int] = field(default_factory=list, repr=False)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._token_starts = [t.start for t in self.tokens]
        self._sentence_starts = [s.start for s in self.sentences]

    @cached_property
    def children(self) -> dict[int, list[int]]:
        """Token indices by the index of their syntactic head (a root is its own child)."""
        out: dict[int, list[int]] = {}
        for t in self.tokens:
            out.setdefault(t.head, []).append(t.i)
        return out

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence containing character `pos`, if any."""
        i = bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return self.sentences[i]
        return None

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens overlapping the character range `start`..`end`."""
        i = max(0, bisect_right(self._token_starts, start) - 1)
        out: list[Token] = []
        while i < len(self.tokens) and self.tokens[i].start < end:
            if self.tokens[i].end > start:
                out.append(self.tokens[i])
            i += 1
        return out

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.first : sentence.last]

    def in_quote(self, start: int, end: int) -> bool:
        """Whether the range lies inside quoted speech."""
        return self.quotes.contains(start, end)


def _from_spacy(text: str, doc: Doc) -> AnnotatedDoc:
    sentence_of: dict[int, int] = {}
    sentences: list[Sentence] = []
    paragraph_starts = [start for start, _ in paragraph_bounds(text)]
    for sent in doc.sents:
        # Whitespace at a sentence's edges (paragraph breaks) is not part of it.
        words = [t for t in sent if not t.is_space]
        if not words:
            continue
        index = len(sentences)
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        for t in sent:
            sentence_of[t.i] = index
        paragraph = bisect_right(paragraph_starts, start) - 1
        sentences.append(
            Sentence(start, end, text[start:end], sent.start, sent.end, max(paragraph, 0))
        )
    tokens = [
        Token(
            i=t.i,
            start=t.idx,
            end=t.idx + len(t.text),
            text=t.text,
            lemma=t.lemma_,
            pos=t.pos_,
            tag=t.tag_,
            dep=t.dep_,
            head=t.head.i,
            ent_type=t.ent_type_,
            is_stop=t.is_stop,
            like_num=t.like_num,
            sentence=sentence_of.get(t.i, -1),
        )
        for t in doc
    ]
    entities = [
        Entity(e.start_char, e.end_char, e.text, e.label_, e.start, e.end) for e in doc.ents
    ]
    return AnnotatedDoc(text, tokens, sentences, entities, QuoteIndex(text))


class _Cache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, AnnotatedDoc] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, text: str) -> AnnotatedDoc | None:
        with self.lock:
            doc = self.items.get(text)
            if doc is not None:
                self.items.move_to_end(text)
            return doc

    def put(self, doc: AnnotatedDoc) -> None:
        with self.lock:
            self.items[doc.text] = doc
            self.items.move_to_end(doc.text)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_CACHE = _Cache(_CACHE_SIZE)


def clear_cache() -> None:
    """Forget every parsed text (benchmarks measure cold parses with it)."""
    _CACHE.clear()


def annotate(text: str) -> AnnotatedDoc:
    """The annotated document of `text` (parsed once per process while it stays cached)."""
    return annotate_all([text])[0]


def annotate_all(texts: Iterable[str]) -> list[AnnotatedDoc]:
    """Annotated documents of several texts, parsing the uncached ones in one spaCy batch."""
    texts = list(texts)
    found: dict[str, AnnotatedDoc] = {}
    missing: list[str] = []
    for text in texts:
        doc = _CACHE.get(text)
        if doc is None:
            if text not in missing:
                missing.append(text)
        else:
            found[text] = doc
    if missing:
        nlp = load_pipeline()
        for text, spacy_doc in zip(missing, nlp.pipe(missing), strict=True):
            doc = _from_spacy(text, spacy_doc)
            _CACHE.put(doc)
            found[text] = doc
    return [found[text] for text in texts]
