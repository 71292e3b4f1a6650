"""Loaded language in articles: the learned tagger and the curated lexicon, each term with a
calibrated confidence, marked as quoted speech or outlet voice.

The tagger (`annotate.loaded`) finds loaded phrases the lexicon has never seen; the lexicon
supplies a category, an explanation and a neutral alternative where it has an entry.

Every `strong` lexicon entry is reported wherever it stands. A `weak` entry (a word with an
ordinary sense, or one that is loaded only when aimed at someone: "fierce", "outrage", "slash") is
reported only when its context supports the loaded reading:
- it is in the outlet's own voice: inside a quotation (or a judgement attributed to a speaker) it
  is the speaker's emphasis, not the outlet's framing ("a horrific policy," Mr. Perry said);
- its sentence is about people: it names one of the story's main actors (a person mentioned at
  least `MAIN_ACTOR_MENTIONS` times across the articles analysed together) or refers to someone by
  a personal pronoun. "Ryan's budget slashes antipoverty programs" frames an actor; "rates will
  plummet on Jan. 1" and "the fierce competition will end next month" do not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..annotate.document import AnnotatedDoc, annotate, annotate_all
from ..annotate.loaded import (
    MODEL_CATEGORY,
    calibrated,
    calibration,
    lexicon_matches,
    model_candidates,
    scored_candidate,
)
from ..annotate.tagger import MODEL_DIR
from ..lexicon import LexiconMatch
from ..quote_search import make_span
from ..schema import Article, LoadedTerm
from ..text import QuoteIndex, word_spans
from .entities import name_mentions

# "rejected as baseless", "branded him a thug", "called it a sham": the judgement belongs to the
# subject of the verb, not to the outlet, so the term is reported speech even without quote marks.
_ATTRIBUTING = re.compile(
    r"(?<![\w-])(?:rejected|rejects|reject|dismissed|dismisses|dismiss|denounced|denounces|called|calls|"
    r"branded|brands|labelled|labeled|described|describes|termed|decried|condemned)\b"
    r"(?:\s+\w+){0,3}?\s+(?:as\s+)?(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_ATTRIBUTION_WINDOW = 60

# A person is one of the story's main actors when mentioned (full name or surname) this many times
# across the articles analysed together. Chosen on BASIL 2010-2012; 2013-2014 were held out.
MAIN_ACTOR_MENTIONS = 3
# Personal pronouns: a sentence that uses one is about someone, named in an earlier sentence.
_PERSONAL = frozenset({"he", "she", "him", "his", "her", "they", "them", "their"})


def is_attributed(text: str, match: LexiconMatch) -> bool:
    """True when the term is the complement of a verb of judging ("rejected ... as baseless")."""
    return _attributed_at(text, match.start)


def _surname(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


def main_actors(texts: Iterable[str]) -> frozenset[str]:
    """Surnames (lower case) of the people the articles are about.

    A surname counts once a full name has introduced it in any of the articles ("Paul Ryan",
    "Mr. Ryan"); every capitalised occurrence then counts, so outlets that write the bare surname
    after the first mention ("Ryan said") are counted as fully as those that repeat the title.
    """
    texts = list(texts)
    surnames = {m.key for text in texts for m in name_mentions(text)}
    counts: Counter[str] = Counter()
    for text in texts:
        for tok in word_spans(text):
            word = _surname(tok.text)
            if word[:1].isupper() and word.lower() in surnames:
                counts[word.lower()] += 1
    return frozenset(name for name, n in counts.items() if n >= MAIN_ACTOR_MENTIONS)


def about_people(sentence: str, actors: frozenset[str]) -> bool:
    """True when the sentence names one of `actors` (a capitalised surname) or uses a personal
    pronoun."""
    for tok in word_spans(sentence):
        word = _surname(tok.text)
        lower = word.lower()
        if lower in _PERSONAL or (word[:1].isupper() and lower in actors):
            return True
    return False


@dataclass(frozen=True)
class _LexiconHit:
    match: LexiconMatch
    in_quote: bool
    attributed: bool


def _lexicon_hits(
    article: Article, quotes: QuoteIndex, actors: frozenset[str] | None, doc: AnnotatedDoc
) -> list[_LexiconHit]:
    """Lexicon matches whose context supports the loaded reading (see the module docstring)."""
    text = article.text
    hits: list[_LexiconHit] = []
    for m in lexicon_matches(doc):
        in_quote = quotes.contains(m.start, m.end)
        attributed = not in_quote and is_attributed(text, m)
        if m.entry.strength == "voice" and (in_quote or attributed):
            continue
        if m.entry.strength == "weak":
            if in_quote or attributed:
                continue
            if actors is None:
                actors = main_actors([text])
            sentence = doc.sentence_at(m.start)
            if sentence is None or not about_people(sentence.text, actors):
                continue
        hits.append(_LexiconHit(m, in_quote, attributed))
    return hits


def _attributed_at(text: str, start: int) -> bool:
    before = text[max(0, start - _ATTRIBUTION_WINDOW) : start]
    return _ATTRIBUTING.search(before) is not None


def article_terms(
    article: Article,
    quotes: QuoteIndex | None = None,
    actors: frozenset[str] | None = None,
    *,
    model_dir: Path = MODEL_DIR,
    use_model: bool = True,
    use_lexicon: bool = True,
) -> list[LoadedTerm]:
    """Every loaded-term candidate of one article with its calibrated confidence, in text order.

    Lexicon entries (after their context rules) are scored by the tagger over their span; the
    tagger's own phrases that no lexicon entry covers are added with the category `loaded` and
    no neutral alternative. The report keeps those at or above the chosen minimum confidence.
    `actors` are the story's main actors (`main_actors` over every article of the cluster); by
    default they are found in this article alone. `use_model=False` gives the lexicon alone,
    `use_lexicon=False` the tagger alone (both for measurement).
    """
    text = article.text
    quotes = quotes or QuoteIndex(text)
    doc = annotate(text)
    weights, floor = calibration(model_dir)
    found: list[LoadedTerm] = []
    covered: list[tuple[int, int]] = []
    model_spans = model_candidates(doc, floor, model_dir) if use_model else []
    if use_lexicon:
        for hit in _lexicon_hits(article, quotes, actors, doc):
            m = hit.match
            candidate = scored_candidate(doc, m.start, m.end, m, model_dir)
            confirmed = any(c.start < m.end and m.start < c.end for c in model_spans)
            explanation = m.entry.explanation
            if hit.attributed:
                explanation += " Here the judgement is attributed to the speaker, not the outlet."
            found.append(
                LoadedTerm(
                    span=make_span(article, m.start, m.end),
                    category=m.entry.category,
                    in_quote=hit.in_quote or hit.attributed,
                    neutral_alternative=m.entry.neutral_alternative,
                    explanation=explanation,
                    confidence=round(calibrated(candidate, weights), 4),
                    origin="both" if confirmed else "lexicon",
                )
            )
        # Every lexicon match, kept or not by its context rule, is the lexicon's call.
        covered = [(m.start, m.end) for m in lexicon_matches(doc)]
    for c in model_spans:
        if any(s < c.end and c.start < e for s, e in covered):
            continue
        in_quote = quotes.contains(c.start, c.end)
        attributed = not in_quote and _attributed_at(text, c.start)
        explanation = _MODEL_EXPLANATION
        if attributed:
            explanation += " Here the judgement is attributed to the speaker, not the outlet."
        found.append(
            LoadedTerm(
                span=make_span(article, c.start, c.end),
                category=MODEL_CATEGORY,
                in_quote=in_quote or attributed,
                neutral_alternative=None,
                explanation=explanation,
                confidence=round(calibrated(c, weights), 4),
                origin="model",
            )
        )
    return sorted(found, key=lambda t: (t.span.start, t.span.end))


_MODEL_EXPLANATION = (
    "The learned tagger marks this wording as loaded; the curated lexicon has no entry for it, "
    "so no neutral alternative is listed."
)


def loaded_terms(
    articles: Sequence[Article],
    *,
    model_dir: Path = MODEL_DIR,
    use_model: bool = True,
    use_lexicon: bool = True,
) -> list[LoadedTerm]:
    """Loaded-term candidates of every article, article by article; main actors found across
    all. Each carries its confidence; callers keep those at or above their threshold."""
    annotate_all(a.text for a in articles)  # one batched parse for the cluster
    actors = main_actors(a.text for a in articles)
    return [
        term
        for article in articles
        for term in article_terms(
            article,
            actors=actors,
            model_dir=model_dir,
            use_model=use_model,
            use_lexicon=use_lexicon,
        )
    ]
