"""Whether a clause is asserted: the verbs and markers that leave what they govern unasserted.

A clause under a verb of wanting, expecting, planning, asking, promising or guessing ("he'd like
Obama to show his birth certificate", "is expected to announce", "many have speculated that the
White House offered ...") says nothing about whether it happened: these verbs are non-veridical
(Giannakidou 1998; Karttunen 1971 calls most of them non-implicative). So does a clause that is
an embedded question or a condition ("whether he would seek a second term", "if he wanted to
moderate the debate"). Verbs of saying are not among them on purpose: news reports nearly every
fact through them, and a paraphrase changes "said" into "told" or "announced" freely.

`frame(doc, path)` names what leaves a clause unasserted, so that two clauses are compared for
polarity only when they are asserted the same way ("expected to win" against "expected to
lose", not against "will not win"). `raised_negation` finds the "not" that a verb such as
"believe" or "think" passes down to the clause it governs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from .document import AnnotatedDoc, Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Non-veridical verbs (and the nouns of the same lemma: "plans to", "hopes of") that take a
# clause or an infinitive: wanting, hoping, expecting, planning, trying, asking and urging,
# promising and threatening, guessing and fearing.
NON_VERIDICAL_VERBS = _words(
    """
    want wish hope like love prefer desire expect anticipate predict forecast plan intend aim
    seek try attempt ask urge demand request call propose push press promise vow pledge threaten
    speculate suspect guess wonder imagine fear doubt rumor rumour hypothesize hypothesise
    """
)
# Verbs that raise a negation from the clause they govern (Horn 1978): "did not believe the
# episode merited investigation" says the episode did not merit it.
NEG_RAISING_VERBS = _words("believe think suppose expect seem appear imagine anticipate reckon")
# Markers of a clause that is a question or a condition.
NON_ASSERTING_MARKS = frozenset({"whether", "if", "unless"})
# Dependencies by which a verb takes the clause or infinitive it leaves unasserted, and by which
# a noun of the same meaning takes its infinitive ("plans to moderate", "a promise to cut").
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "acl"})


def _lemma(t: Token) -> str:
    return (t.lemma or t.text).lower()


def frame(doc: AnnotatedDoc, path: Sequence[Token]) -> frozenset[str]:
    """What leaves the words of `path` unasserted: `path` runs from a word up to the verb of its
    clause (the last token). The result holds the lemma of each non-veridical verb on the way
    whose complement the walk came through, the verb that governs the clause itself when it is
    one ("like" of "he'd like Obama to show"), and the marker of a question or a condition
    ("whether", "if"). Empty: the clause is asserted."""
    found: set[str] = set()
    for below, node in pairwise(path):
        if below.dep in _COMPLEMENT_DEPS and _lemma(node) in NON_VERIDICAL_VERBS:
            found.add(_lemma(node))
    verb = path[-1]
    if verb.dep in _COMPLEMENT_DEPS and verb.head != verb.i:
        governor = doc.tokens[verb.head]
        if _lemma(governor) in NON_VERIDICAL_VERBS:
            found.add(_lemma(governor))
    for k in doc.children.get(verb.i, ()):
        child = doc.tokens[k]
        if child.dep == "mark" and _lemma(child) in NON_ASSERTING_MARKS:
            found.add(_lemma(child))
    return frozenset(found)


def raised_negation(doc: AnnotatedDoc, verb: Token) -> Token | None:
    """The negation of a verb such as "believe" that governs the clause of `verb` ("not" of "did
    not believe the episode merited investigation"), which denies that clause: None if none."""
    if verb.dep not in _COMPLEMENT_DEPS or verb.head == verb.i:
        return None
    governor = doc.tokens[verb.head]
    if _lemma(governor) not in NEG_RAISING_VERBS:
        return None
    for k in doc.children.get(governor.i, ()):
        child = doc.tokens[k]
        if child.dep == "neg" and child.i != governor.i:
            return child
    return None
