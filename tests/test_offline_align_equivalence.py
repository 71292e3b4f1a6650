"""`align` gives exactly what the plain all-pairs computation gives.

`_reference_align` below is the straightforward algorithm (every sentence against every sentence of
every other article, cosine over TF-IDF dicts), kept verbatim from the first version of
`evenhand.offline.align`. The module may compute the same thing faster (candidate pairs from an
inverted index, cached norms, results cached per article texts); these tests pin that the sentences,
the vectors (terms, weights and their order) and every best match with its score are identical,
bit for bit, on the bundled example, NeuS and BASIL clusters and awkward small cases.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from evenhand.annotate import Sentence, annotate_all
from evenhand.data import example_paths
from evenhand.offline.align import Alignment, Match, SentenceRef, align
from evenhand.schema import Article
from evenhand.sources import load_articles
from evenhand.text import words

EVAL_DATA = Path(__file__).resolve().parents[1] / "evals" / "data"

# --- the reference: the all-pairs algorithm as first written --------------------------------------

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
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_SYNONYMS = {
    **dict.fromkeys(("win", "won", "victory", "victori", "victor", "winn"), "win"),
    **dict.fromkeys(("elect", "election", "vote", "voter", "poll", "ballot"), "election"),
    **dict.fromkeys(("fraud", "fraudulent", "rigg", "rig", "rigged"), "fraud"),
    **dict.fromkeys(("recogniz", "recognis", "recognize", "recognise"), "recognise"),
    **dict.fromkeys(("troop", "soldier", "force", "forc"), "troop"),
    **dict.fromkeys(("kill", "dead", "death", "die", "died"), "death"),
}
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s")


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return _SYNONYMS.get(w, w)


def _content_terms(text: str) -> list[str]:
    return [_stem(w) for w in words(text) if w not in _STOPWORDS and len(w) > 1]


def _cosine(u: dict[str, float], v: dict[str, float]) -> float:
    if not u or not v:
        return 0.0
    if len(u) > len(v):
        u, v = v, u
    dot = sum(w * v.get(t, 0.0) for t, w in u.items())
    if dot == 0.0:
        return 0.0
    nu = math.sqrt(sum(w * w for w in u.values()))
    nv = math.sqrt(sum(w * w for w in v.values()))
    return dot / (nu * nv)


def _vectorise(texts: Sequence[Sequence[str]]) -> list[dict[str, float]]:
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


def _reference_align(
    articles: Sequence[Article],
) -> tuple[list[list[Sentence]], list[list[dict[str, float]]], dict[SentenceRef, list[Match]]]:
    # The sentences are the annotated documents' (the first version split them with a regex).
    sentences = [doc.sentences for doc in annotate_all(a.text for a in articles)]
    flat_vectors = _vectorise([_content_terms(s.text) for sents in sentences for s in sents])
    vectors: list[list[dict[str, float]]] = []
    pos = 0
    for sents in sentences:
        vectors.append(flat_vectors[pos : pos + len(sents)])
        pos += len(sents)
    best: dict[SentenceRef, list[Match]] = {}
    for a, a_vectors in enumerate(vectors):
        for i, u in enumerate(a_vectors):
            matches: list[Match] = []
            for b, b_vectors in enumerate(vectors):
                if b == a or not b_vectors:
                    continue
                scores = [_cosine(u, v) for v in b_vectors]
                j = max(range(len(scores)), key=scores.__getitem__)
                matches.append(Match(SentenceRef(b, j), scores[j]))
            matches.sort(key=lambda m: (-m.score, m.ref.article_index))
            best[SentenceRef(a, i)] = matches
    return sentences, vectors, best


# --- the clusters compared ---------------------------------------------------------------------


def _neus(lines: Sequence[int]) -> list[tuple[str, list[Article]]]:
    source = (EVAL_DATA / "neus-val" / "val.source").read_text(encoding="utf-8").splitlines()
    clusters = []
    for n in lines:
        articles = []
        for i, part in enumerate(source[n - 1].split(" [SEP] ")):
            body = part.partition("ARTICLE=>")[2].strip()
            if body:
                articles.append(Article(id=f"neus{n}-{i}", text=body))
        clusters.append((f"neus-{n}", articles))
    return clusters


def _basil(triplet: str) -> tuple[str, list[Article]]:
    articles = []
    for path in sorted((EVAL_DATA / "basil-dev" / "articles").glob(f"*/{triplet}_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = "\n\n".join(" ".join(p) for p in data["body-paragraphs"])
        articles.append(Article(id=path.stem, text=text))
    return f"basil-{triplet[:8]}", articles


def _small_cases() -> list[tuple[str, list[Article]]]:
    same = "The mayor closed the bridge on Monday. Rain fell all day. The mayor closed the bridge."
    return [
        ("one article", [Article(id="a", text="The mayor closed the bridge. Rain fell.")]),
        (
            "nothing shared",
            [
                Article(id="a", text="Apples grow on trees. Pears ripen late."),
                Article(id="b", text="Trains leave at noon. Buses run hourly."),
            ],
        ),
        (
            "sentences with no content words",
            [
                Article(id="a", text="It is. The mayor closed the bridge. And so it was."),
                Article(id="b", text="Yes. On Monday the mayor closed the bridge. No."),
                Article(id="c", text="The bridge was closed by the mayor on Monday."),
            ],
        ),
        # Equal scores: the first sentence with the best score wins, articles in order on ties.
        ("identical articles", [Article(id=x, text=same) for x in ("a", "b", "c")]),
    ]


def _clusters() -> list[tuple[str, list[Article]]]:
    return [
        ("bundled example", load_articles(example_paths())),
        _basil("2ec04201-2016-4227-baf7-ba8289058203"),
        *_neus([1, 2, 13, 57, 100, 200, 307]),
        *_small_cases(),
    ]


CLUSTERS = _clusters()


def _assert_same(alignment: Alignment, articles: Sequence[Article]) -> None:
    sentences, vectors, best = _reference_align(articles)
    assert alignment.articles == list(articles)
    assert alignment.sentences == sentences
    # Same terms, same weights, same order (the order sums run in, so scores match to the bit).
    assert [[list(v.items()) for v in vs] for vs in alignment.vectors] == [
        [list(v.items()) for v in vs] for vs in vectors
    ]
    assert alignment.best == best
    assert list(alignment.best) == list(best)
    assert alignment.refs() == list(best)


@pytest.mark.parametrize(("name", "articles"), CLUSTERS, ids=[name for name, _ in CLUSTERS])
def test_align_equals_the_all_pairs_computation(name: str, articles: list[Article]) -> None:
    assert articles
    _assert_same(align(articles), articles)


@pytest.mark.parametrize(("name", "articles"), CLUSTERS, ids=[name for name, _ in CLUSTERS])
def test_similarity_equals_the_plain_cosine(name: str, articles: list[Article]) -> None:
    alignment = align(articles)
    _, vectors, _ = _reference_align(articles)
    refs = alignment.refs()
    for a in refs[:40]:
        for b in refs:
            expected = _cosine(
                vectors[a.article_index][a.sentence_index],
                vectors[b.article_index][b.sentence_index],
            )
            assert alignment.similarity(a, b) == expected


def test_a_second_alignment_of_the_same_texts_is_equal_and_independent() -> None:
    articles = load_articles(example_paths())
    first = align(articles)
    first.best.clear()
    first.vectors[0][0].clear()
    first.sentences[0].clear()
    second = align(articles)
    _assert_same(second, articles)
    assert second is not first


def test_articles_with_the_same_texts_but_other_ids_are_the_alignment_s_own() -> None:
    articles = load_articles(example_paths())
    renamed = [a.model_copy(update={"id": f"other-{a.id}"}) for a in articles]
    align(articles)
    alignment = align(renamed)
    assert [a.id for a in alignment.articles] == [a.id for a in renamed]
    _assert_same(alignment, renamed)


def test_in_long_inputs_frequent_terms_propose_no_pairs_but_rare_ones_still_align() -> None:
    from evenhand.offline.align import MAX_POSTINGS

    # Every sentence names the mayor (a term in far more than MAX_POSTINGS sentences) and one
    # numbered street of its own; the second article reports the same streets in another order.
    n = MAX_POSTINGS
    first = [f"The mayor closed Street{k} on Monday." for k in range(n)]
    second = [f"On Monday the mayor reopened Street{k}." for k in reversed(range(n))]
    lonely = "The mayor spoke."  # shares only the frequent term with the other article
    articles = [
        Article(id="a", text="\n\n".join([*first, lonely])),
        Article(id="b", text="\n\n".join(second)),
    ]
    alignment = align(articles)
    for k in range(n):
        (match,) = alignment.best[SentenceRef(0, k)]
        assert match.ref == SentenceRef(1, n - 1 - k)
        assert match.score > 0.28
    # With all pairs compared it would match some sentence at a low score; here it has none.
    assert _reference_align(articles)[2][SentenceRef(0, n)][0].score > 0
    assert alignment.best[SentenceRef(0, n)] == [Match(SentenceRef(1, 0), 0.0)]
