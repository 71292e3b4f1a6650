"""Loaded language in articles: lexicon matches, marked as quoted speech or outlet voice.

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

from ..grounding import make_span
from ..lexicon import LexiconMatch, find_loaded
from ..schema import Article, LoadedTerm
from ..text import QuoteIndex, Sentence, split_sentences, tokens
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
    before = text[max(0, match.start - _ATTRIBUTION_WINDOW) : match.start]
    return _ATTRIBUTING.search(before) is not None


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
        for tok in tokens(text):
            word = _surname(tok.text)
            if word[:1].isupper() and word.lower() in surnames:
                counts[word.lower()] += 1
    return frozenset(name for name, n in counts.items() if n >= MAIN_ACTOR_MENTIONS)


def about_people(sentence: str, actors: frozenset[str]) -> bool:
    """True when the sentence names one of `actors` (a capitalised surname) or uses a personal
    pronoun."""
    for tok in tokens(sentence):
        word = _surname(tok.text)
        lower = word.lower()
        if lower in _PERSONAL or (word[:1].isupper() and lower in actors):
            return True
    return False


def _sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= pos < sentence.end:
            return sentence
    return None


def article_terms(
    article: Article,
    quotes: QuoteIndex | None = None,
    actors: frozenset[str] | None = None,
) -> list[LoadedTerm]:
    """The loaded terms of one article, in text order.

    `actors` are the story's main actors (`main_actors` over every article of the cluster); by
    default they are found in this article alone.
    """
    text = article.text
    quotes = quotes or QuoteIndex(text)
    sentences: list[Sentence] | None = None
    found: list[LoadedTerm] = []
    for m in find_loaded(text):
        in_quote = quotes.contains(m.start, m.end)
        attributed = not in_quote and is_attributed(text, m)
        if m.entry.strength == "voice" and (in_quote or attributed):
            continue
        if m.entry.strength == "weak":
            if in_quote or attributed:
                continue
            if actors is None:
                actors = main_actors([text])
            if sentences is None:
                sentences = split_sentences(text)
            sentence = _sentence_at(sentences, m.start)
            if sentence is None or not about_people(sentence.text, actors):
                continue
        explanation = m.entry.explanation
        if attributed:
            in_quote = True
            explanation += " Here the judgement is attributed to the speaker, not the outlet."
        found.append(
            LoadedTerm(
                span=make_span(article, m.start, m.end),
                category=m.entry.category,
                in_quote=in_quote,
                neutral_alternative=m.entry.neutral_alternative,
                explanation=explanation,
            )
        )
    return found


def loaded_terms(articles: Sequence[Article]) -> list[LoadedTerm]:
    """Loaded-language terms of every article, article by article; main actors found across all."""
    actors = main_actors(a.text for a in articles)
    return [term for article in articles for term in article_terms(article, actors=actors)]
