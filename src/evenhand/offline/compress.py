"""Shortening a source sentence for the summary without changing what it reports.

Three kinds of words go when the loaded-language tagger (`annotate.loaded.word_scores`) scores
them as loaded, and only in the outlet's own voice (quoted speech is the speaker's wording, kept
whole or not at all):

- a loaded modifier: an adjective or adverb that modifies a word of the sentence ("a *brutal*
  attack", "*sharply* criticised"), with the intensifiers that hang on it ("*very* brutal");
- a sentence adverb that comments on the whole sentence ("*Unsurprisingly*, the bill failed");
- an evaluative clause set off by a comma, after the facts it comments on ("..., *a shameful
  betrayal of voters*.", "..., *which critics say is reckless*."), when the words of the clause
  score loaded on average; a clause that carries a number, or that says who said something, stays.

What is left is the sentence's own words in their own order, so the sentence is still backed by
its span in the article. Negations, numbers, names, comparatives and hedges ("alleged",
"reportedly") are never dropped: they change what is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..annotate import AnnotatedDoc, Token
from ..annotate.loaded import word_scores

# A modifier or sentence adverb goes when the tagger scores it at or above this.
MODIFIER_SCORE = 0.5
# A comma-set clause goes when the mean score of its words reaches this.
CLAUSE_SCORE = 0.5
_MODIFIER_DEPS = frozenset({"amod", "advmod"})
_MODIFIER_POS = frozenset({"ADJ", "ADV"})
_CLAUSE_DEPS = frozenset({"appos", "relcl", "advcl", "npadvmod", "acl", "conj", "parataxis"})
_KEEP_DEPS = frozenset({"neg", "nummod", "quantmod"})
# Comparatives and superlatives state a comparison ("growing louder", "the largest protest"):
# they are content, never dropped.
_DEGREE_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
_SPEECH_LEMMAS = frozenset({"say", "tell", "add", "claim", "state", "write", "accord"})


def _quoted(doc: AnnotatedDoc, token: Token) -> bool:
    return doc.in_quote(token.start, token.end)


def _subtree(doc: AnnotatedDoc, root: Token, first: int, last: int) -> set[int]:
    """Indices of `root` and its dependents within tokens first..last (exclusive)."""
    inside = {root.i}
    changed = True
    while changed:
        changed = False
        for t in doc.tokens[first:last]:
            if t.i not in inside and t.head in inside and t.i != t.head:
                inside.add(t.i)
                changed = True
    return inside


def _modifiers(doc: AnnotatedDoc, scores: list[float], first: int, last: int) -> set[int]:
    drop: set[int] = set()
    tokens = doc.tokens[first:last]
    for t in tokens:
        if (
            t.dep not in _MODIFIER_DEPS
            or t.pos not in _MODIFIER_POS
            or t.like_num
            or t.ent_type
            or t.tag in _DEGREE_TAGS
            or scores[t.i] < MODIFIER_SCORE
            or _quoted(doc, t)
            or not first <= t.head < last
        ):
            continue
        head = doc.tokens[t.head]
        # Only a modifier of a word that stays: "brutal" in "a brutal attack", not the
        # predicate of "the attack was brutal" (its head would be the verb "was", an AUX).
        if head.pos not in {"NOUN", "PROPN", "VERB", "ADJ"}:
            continue
        children = [c for c in tokens if c.head == t.i and c.i != t.i]
        if any(c.dep in {"cc", "conj", "prep", "pobj", "ccomp", "xcomp"} for c in children):
            continue
        if any(c.dep in _KEEP_DEPS for c in children):
            continue
        drop.add(t.i)
        drop.update(c.i for c in children if c.dep == "advmod" and c.pos == "ADV")
        # "a brutal, bloody attack": the comma between two modifiers goes with the first.
        nxt = t.i + 1
        if nxt < last and doc.tokens[nxt].text == "," and t.dep == "amod":
            after = doc.tokens[nxt + 1] if nxt + 1 < last else None
            if after is not None and after.dep == "amod" and after.head == t.head:
                drop.add(nxt)
    return drop


def _sentence_adverb(doc: AnnotatedDoc, scores: list[float], first: int, last: int) -> set[int]:
    """A loaded adverb opening the sentence and set off by a comma ("Sadly, ...")."""
    words = [t for t in doc.tokens[first:last] if not t.is_space]
    if len(words) < 3:
        return set()
    adverb, comma = words[0], words[1]
    if (
        adverb.pos == "ADV"
        and comma.text == ","
        and scores[adverb.i] >= MODIFIER_SCORE
        and not _quoted(doc, adverb)
    ):
        return {adverb.i, comma.i}
    return set()


def _clauses(doc: AnnotatedDoc, scores: list[float], first: int, last: int) -> set[int]:
    """Loaded clauses set off by a comma, from the comma to the next comma or the sentence end."""
    tokens = doc.tokens[first:last]
    drop: set[int] = set()
    commas = [t.i for t in tokens if t.text == ","]
    end_punct = last
    while end_punct > first and not doc.tokens[end_punct - 1].is_word:
        end_punct -= 1
    # Only the last comma's clause, at the end of the sentence: a clause between two commas
    # could not go without leaving the sentence's own commas wrong.
    for comma in commas[-1:]:
        stop = end_punct
        part = [t for t in doc.tokens[comma + 1 : stop] if not t.is_space]
        if len(part) < 2 or any(_quoted(doc, t) for t in part):
            continue
        indices = {t.i for t in part}
        roots = [t for t in part if t.head not in indices or t.head == t.i]
        if len(roots) != 1 or roots[0].dep not in _CLAUSE_DEPS:
            continue
        if any(t.like_num or t.lemma in _SPEECH_LEMMAS for t in part):
            continue
        words = [scores[t.i] for t in part if t.is_word and not t.is_stop]
        if not words or sum(words) / len(words) < CLAUSE_SCORE:
            continue
        # Only a clause whose words hang from it alone: nothing outside depends on it.
        outside = [t for t in tokens if t.i not in indices and t.i != comma and t.is_word]
        if any(t.head in indices for t in outside):
            continue
        drop.update(indices)
        drop.add(comma)
    return drop


@dataclass(frozen=True)
class Compressed:
    text: str  # what is left of the passage (spacing and case left to the caller to tidy)
    dropped: frozenset[int]  # indices of the tokens taken out


def compress(doc: AnnotatedDoc, start: int, end: int) -> Compressed:
    """The text of `start:end` in `doc` without loaded modifiers, loaded sentence adverbs and
    loaded comment clauses in the outlet's voice."""
    tokens = doc.tokens_in(start, end)
    if not tokens:
        return Compressed(doc.text[start:end], frozenset())
    first, last = tokens[0].i, tokens[-1].i + 1
    scores = word_scores(doc)
    drop = (
        _modifiers(doc, scores, first, last)
        | _sentence_adverb(doc, scores, first, last)
        | _clauses(doc, scores, first, last)
    )
    if not drop:
        return Compressed(doc.text[start:end], frozenset())
    out: list[str] = []
    pos = start
    for t in tokens:
        if t.i in drop:
            out.append(doc.text[pos : max(pos, t.start)])
            pos = max(pos, t.end)
    out.append(doc.text[pos:end])
    return Compressed("".join(out), frozenset(drop))
