"""Cross-source sentence alignment by lexical similarity.

Each sentence becomes a bag of stemmed content words weighted by inverse document frequency over
the sentences of all articles (so names and rare terms count more than "said" or "year"). Two
sentences from different articles are aligned when the cosine of their vectors reaches
`SHARED_THRESHOLD`. A sentence aligned with at least one other source states a shared fact; one
with no counterpart is content that only its outlet carries.

Speed: only pairs that share a term can score above zero, so an inverted index over the terms
gives the candidate pairs, each scored with `cosine` (exactly the all-pairs result for news-length
clusters; in very long inputs the most frequent terms propose no pairs, see `_candidate_pairs`).
The result for a list of article texts is cached, because the engine and then the omission check
align the same articles.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..annotate import Sentence, annotate_all
from ..schema import Article
from ..text import words

SHARED_THRESHOLD = 0.28
# A term in more sentences than this proposes no candidate pairs (see `_candidate_pairs`).
MAX_POSTINGS = 64

_STOPWORD_TEXT = """
    a an the and or but if then than so of to in on at for with by from as into onto over under
    about after before between during since until while is are was were be been being am has
    have had having do does did doing will would shall should can could may might must it its
    it's he him his she her hers they them their theirs we us our ours you your yours i me my
    mine this that these those which who whom whose what when where why how not no nor only also
    just very too there here all any both each few more most other some such own same s t don't
    didn't doesn't isn't wasn't weren't won't can't said says say saying told tell according one
    two new now even still yet however although though because while mr mrs ms
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s")


# Words news reports use interchangeably for the same thing, mapped to one term so that "won the
# vote" and "victory in the election" align. General vocabulary only.
_SYNONYMS = {
    **dict.fromkeys(("win", "won", "victory", "victori", "victor", "winn"), "win"),
    **dict.fromkeys(("elect", "election", "vote", "voter", "poll", "ballot"), "election"),
    **dict.fromkeys(("fraud", "fraudulent", "rigg", "rig", "rigged"), "fraud"),
    **dict.fromkeys(("recogniz", "recognis", "recognize", "recognise"), "recognise"),
    **dict.fromkeys(("troop", "soldier", "force", "forc"), "troop"),
    **dict.fromkeys(("kill", "dead", "death", "die", "died"), "death"),
}


def stem(word: str) -> str:
    """A light suffix stripper: enough to match "elections"/"election", "deployed"/"deploy"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in (
        "ations",
        "ation",
        "ments",
        "ment",
        "ings",
        "ing",
        "ied",
        "ies",
        "ed",
        "es",
        "s",
    ):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return _SYNONYMS.get(w, w)


# News vocabulary repeats: each distinct word is stemmed once.
_cached_stem = lru_cache(maxsize=1 << 16)(stem)


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a text (stopwords and one-letter words removed)."""
    return [_cached_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


@dataclass(frozen=True)
class SentenceRef:
    article_index: int
    sentence_index: int


@dataclass(frozen=True)
class Match:
    ref: SentenceRef
    score: float


@dataclass
class Alignment:
    """Sentences of every article and, for each, its best counterpart in every other article."""

    articles: list[Article]
    sentences: list[list[Sentence]]
    vectors: list[list[dict[str, float]]]
    best: dict[SentenceRef, list[Match]] = field(default_factory=dict)
    # Euclidean norm of each vector, as `cosine` computes it (filled by `align`).
    norms: list[list[float]] = field(default_factory=list, repr=False, compare=False)

    def sentence(self, ref: SentenceRef) -> Sentence:
        return self.sentences[ref.article_index][ref.sentence_index]

    def refs(self) -> list[SentenceRef]:
        return [
            SentenceRef(a, s) for a, sents in enumerate(self.sentences) for s in range(len(sents))
        ]

    def counterparts(self, ref: SentenceRef, threshold: float = SHARED_THRESHOLD) -> list[Match]:
        """Best-matching sentences in other articles at or above `threshold`, best first."""
        return [m for m in self.best.get(ref, []) if m.score >= threshold]

    def support(self, ref: SentenceRef) -> float:
        """Sum of best similarities to the other articles: how widely its content is shared."""
        return sum(m.score for m in self.best.get(ref, []))

    def is_shared(self, ref: SentenceRef, threshold: float = SHARED_THRESHOLD) -> bool:
        return bool(self.counterparts(ref, threshold))

    def similarity(self, a: SentenceRef, b: SentenceRef) -> float:
        u = self.vectors[a.article_index][a.sentence_index]
        v = self.vectors[b.article_index][b.sentence_index]
        if not self.norms:
            return cosine(u, v)
        # The norms were computed once with the vectors; looking them up gives the same value.
        return cosine(
            u,
            v,
            self.norms[a.article_index][a.sentence_index],
            self.norms[b.article_index][b.sentence_index],
        )


def cosine(
    u: dict[str, float],
    v: dict[str, float],
    norm_u: float | None = None,
    norm_v: float | None = None,
) -> float:
    """Cosine similarity; pass the vectors' norms when they are already known."""
    if not u or not v:
        return 0.0
    small, large = (u, v) if len(u) <= len(v) else (v, u)
    dot = sum(w * large.get(t, 0.0) for t, w in small.items())
    if dot == 0.0:
        return 0.0
    nu = _norm(u) if norm_u is None else norm_u
    nv = _norm(v) if norm_v is None else norm_v
    return dot / (nu * nv)


def vectorise(texts: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors (log-scaled tf, smoothed idf) for term lists."""
    n = len(texts)
    df: Counter[str] = Counter()
    for terms in texts:
        df.update(set(terms))
    vectors: list[dict[str, float]] = []
    for terms in texts:
        tf = Counter(terms)
        vectors.append(
            {t: (1 + math.log(c)) * math.log((n + 1) / (df[t] + 0.5)) for t, c in tf.items()}
        )
    return vectors


def _norm(u: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in u.values()))


@dataclass(frozen=True)
class _Aligned:
    """What `align` computes from the article texts alone (shared read-only through the cache)."""

    sentences: tuple[tuple[Sentence, ...], ...]
    vectors: tuple[tuple[dict[str, float], ...], ...]
    norms: tuple[tuple[float, ...], ...]
    best: tuple[tuple[SentenceRef, tuple[Match, ...]], ...]


def _candidate_pairs(
    vectors: Sequence[Sequence[dict[str, float]]],
) -> list[list[set[tuple[int, int]]]]:
    """For every sentence, the sentences of other articles that share a term with it.

    Only sentences sharing a term can score above zero. A term found in more than
    `MAX_POSTINGS` sentences proposes no pairs: in very long inputs a few frequent words ("said",
    a main actor's name) would otherwise pair every sentence with every other, and a pair that
    shares only such words scores too low to align. Below that size (any cluster of news-length
    articles) every sharing pair is a candidate, and the result is exactly the all-pairs one.
    """
    postings: dict[str, list[tuple[int, int]]] = {}
    for a, a_vectors in enumerate(vectors):
        for i, u in enumerate(a_vectors):
            for t in u:
                postings.setdefault(t, []).append((a, i))
    out: list[list[set[tuple[int, int]]]] = []
    for a, a_vectors in enumerate(vectors):
        rows: list[set[tuple[int, int]]] = []
        for u in a_vectors:
            pairs: set[tuple[int, int]] = set()
            for t in u:
                posting = postings[t]
                if len(posting) <= MAX_POSTINGS:
                    pairs.update(p for p in posting if p[0] != a)
            rows.append(pairs)
        out.append(rows)
    return out


@lru_cache(maxsize=16)
def _aligned(texts: tuple[str, ...]) -> _Aligned:
    # The sentences of the articles' annotated documents (one spaCy batch for the cluster).
    sentences = [doc.sentences for doc in annotate_all(texts)]
    flat = [content_terms(s.text) for sents in sentences for s in sents]
    flat_vectors = vectorise(flat)
    vectors: list[list[dict[str, float]]] = []
    pos = 0
    for sents in sentences:
        vectors.append(flat_vectors[pos : pos + len(sents)])
        pos += len(sents)
    norms = [[_norm(u) for u in a_vectors] for a_vectors in vectors]
    candidates = _candidate_pairs(vectors)
    best: list[tuple[SentenceRef, tuple[Match, ...]]] = []
    for a, a_vectors in enumerate(vectors):
        for i, u in enumerate(a_vectors):
            per_article: dict[int, list[int]] = {}
            for b, j in candidates[a][i]:
                per_article.setdefault(b, []).append(j)
            matches: list[Match] = []
            for b, b_vectors in enumerate(vectors):
                if b == a or not b_vectors:
                    continue
                # The first sentence with the highest score, as max() over every score finds it;
                # sentences sharing no term score 0.0 and every shared term adds a positive amount.
                j_best, s_best = 0, 0.0
                for j in sorted(per_article.get(b, ())):
                    score = cosine(u, b_vectors[j], norms[a][i], norms[b][j])
                    if score > s_best:
                        j_best, s_best = j, score
                matches.append(Match(SentenceRef(b, j_best), s_best))
            matches.sort(key=lambda m: (-m.score, m.ref.article_index))
            best.append((SentenceRef(a, i), tuple(matches)))
    return _Aligned(
        sentences=tuple(tuple(sents) for sents in sentences),
        vectors=tuple(tuple(vs) for vs in vectors),
        norms=tuple(tuple(ns) for ns in norms),
        best=tuple(best),
    )


def clear_cache() -> None:
    """Forget cached alignments (benchmarks use it to time a first alignment)."""
    _aligned.cache_clear()


def align(articles: Sequence[Article]) -> Alignment:
    """Align every sentence of every article with its best counterpart in each other article."""
    cached = _aligned(tuple(a.text for a in articles))
    # Fresh containers for the caller, so that nothing it changes reaches the cache.
    return Alignment(
        articles=list(articles),
        sentences=[list(sents) for sents in cached.sentences],
        vectors=[[dict(v) for v in vs] for vs in cached.vectors],
        best={ref: list(matches) for ref, matches in cached.best},
        norms=[list(ns) for ns in cached.norms],
    )
