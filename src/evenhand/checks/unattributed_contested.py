"""`unattributed_contested`: a claim someone holds, stated in the checked text as plain fact.

Claims come from three places: the report's contested claims (their wording and evidence); source
sentences that mark a statement as someone's claim or as disputed ("claimed", "denied", "without
evidence"); and quoted speech in the sources. A checked sentence that says nothing about who holds
what it states ("said", "according to", "alleged"...) and that restates one of these claims takes
a side: a warning.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from ..annotate import AnnotatedDoc, annotate
from ..annotate.attributed import attributed_spans, cue_spans
from ..schema import Finding
from ..text import QuoteIndex
from .context import CheckContext
from .words import content_words, excerpt, has_attribution

CHECK = "unattributed_contested"

# Words that mark what follows (or, for nouns, what precedes) as someone's claim or as disputed.
_VERB_MARKERS = re.compile(
    r"\b(claim(?:s|ed|ing)?|alleg(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|insist(?:s|ed|ing)?|"
    r"contend(?:s|ed|ing)?|assert(?:s|ed|ing)?|maintain(?:s|ed|ing)?|argu(?:e|es|ed|ing)|"
    r"believ(?:e|es|ed|ing)|den(?:y|ies|ied|ying)|disput(?:e|es|ed|ing)|reject(?:s|ed|ing)?|"
    r"whether)\b",
    re.IGNORECASE,
)
# Reported speech: what follows "X said (that)" is X's statement, not the outlet's. ("According
# to the Times" cites a record or another outlet for a fact; it is not a claim.)
_SPEECH_MARKERS = re.compile(r"\b(?:said|says|told\s+\w+(?:\s+\w+)?)\s+(?:that\s+)?", re.IGNORECASE)
_NOUN_MARKERS = re.compile(
    r"\b(allegations?|claims?|accusations?)\b(?:\s+(?:that|of))?", re.IGNORECASE
)
# A verb's circumstance (where, when, how) before its that-clause: "in a recent interview that",
# "on Monday that", "repeatedly that". A "that" after a noun ("health issues that ...") is not it.
_THAT = re.compile(
    r"^\s*(?:in|on|at|to|during|after|before|last|this|earlier|later|again|\w+ly)\b"
    r"[^,;:]{0,50}?\bthat\s+",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r",\s*(?:without|which|but|though|although)\b|\s+without\b|;|—|\s-\s")


@dataclass(frozen=True)
class Claim:
    words: frozenset[str]
    holder: str
    text: str
    reported: bool = False  # from a report's contested claims (always counts)
    marked: bool = False  # a source marks it as a claim or as disputed ("claimed", "denied")


def _clause_after(text: str, pos: int, *, content: bool = False) -> str:
    rest = text[pos:]
    m = _CLAUSE_END.search(rest)
    clause = rest[: m.start()] if m else rest
    # What a claim verb claims is its that-clause: "claimed in a recent interview that the
    # letters ..." claims that the letters ...; the interview is where, not what.
    that = _THAT.match(clause) if content else None
    return clause[that.end() :] if that else clause


# Dependencies by which a verb takes a statement: a clause ("denied that ...", "said he would").
_STATEMENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "advcl"})
# Nouns that stand for a statement, as the object of a verb that disputes it ("dismissed a
# report", "denied the allegation").
_STATEMENT_NOUNS = frozenset(
    {
        "report",
        "story",
        "account",
        "claim",
        "allegation",
        "accusation",
        "charge",
        "assertion",
        "suggestion",
        "idea",
        "notion",
        "characterization",
        "description",
        "statement",
        "remark",
        "comment",
        "article",
        "rumor",
        "rumour",
        "theory",
    }
)


def _no_statement_after(doc: AnnotatedDoc, pos: int) -> bool:
    """Whether the verb at character `pos` takes no statement after it -- no clause, and no
    object that reports one ("dismissed a report ... as"): "rejected the overture", "said this
    at a meeting", "..., Lukashenko said at a meeting" report an act, or a statement made before
    them, not one that follows."""
    tokens = doc.tokens_in(pos, pos + 1)
    if not tokens or tokens[0].pos not in ("VERB", "AUX"):
        return False
    verb = tokens[0]
    after = [doc.tokens[k] for k in doc.children.get(verb.i, ()) if k > verb.i]
    return not any(
        t.dep in _STATEMENT_DEPS or (t.dep == "dobj" and t.lemma.lower() in _STATEMENT_NOUNS)
        for t in after
    )


def _says_something(doc: AnnotatedDoc, start: int, end: int) -> bool:
    """Whether quoted words make a statement (they hold a verb), not a name or a label such as
    "Chick-fil-A Appreciation Day"."""
    return any(t.pos in ("VERB", "AUX") for t in doc.tokens_in(start, end))


def source_claims(ctx: CheckContext) -> list[Claim]:
    """Claims found in the sources themselves: marked statements and quoted speech."""
    claims: list[Claim] = []
    for s in ctx.sources.sentences:
        holder = ctx.sources.label(s.article_id)
        doc = ctx.sources.docs[s.article_id]
        for m in _VERB_MARKERS.finditer(s.text):
            if _no_statement_after(doc, s.start + m.start()):
                continue
            clause = _clause_after(s.text, m.end(), content=True)
            words = frozenset(content_words(clause))
            if len(words) >= 2:
                claims.append(Claim(words, holder, clause.strip(), marked=True))
        for m in _SPEECH_MARKERS.finditer(own_voice(ctx, s.article_id, s.start, s.end)):
            if _no_statement_after(doc, s.start + m.start()):
                continue
            clause = _clause_after(s.text, m.end())
            words = frozenset(content_words(clause))
            if len(words) >= 3:
                claims.append(Claim(words, holder, clause.strip()))
        for m in _NOUN_MARKERS.finditer(s.text):
            before = content_words(s.text[: m.start()])[-4:]
            after = (
                content_words(_clause_after(s.text, m.end()))
                if m.group().endswith(("that", "of"))
                else []
            )
            words = frozenset(before + after)
            if len(words) >= 2:
                claims.append(Claim(words, holder, s.text.strip(), marked=True))
        # Quoted speech, found over the whole article since quotations run across sentences.
        for qs, qe in overlapping(ctx.sources.quotes(s.article_id).regions, s.start, s.end):
            lo, hi = max(qs, s.start), min(qe, s.end)
            quoted = ctx.sources.article(s.article_id).text[lo:hi]
            # A question is not a claim; one or two quoted words, or a name, are a label, not a
            # statement.
            words = frozenset(content_words(quoted))
            if len(words) >= 3 and "?" not in quoted and _says_something(doc, lo, hi):
                claims.append(Claim(words, holder, quoted))
    return claims


def report_claims(ctx: CheckContext) -> list[Claim]:
    claims: list[Claim] = []
    for claim in ctx.contested:
        holders = [
            ctx.sources.label(p.article_id) for p in claim.positions if p.stance == "asserts"
        ]
        holder = ", ".join(holders) or "one side"
        # "Allegations of vote rigging" claims vote rigging: the marker says it is disputed.
        words = frozenset(content_words(_NOUN_MARKERS.sub(" ", claim.claim)))
        if len(words) >= 2:
            claims.append(Claim(words, holder, claim.claim, reported=True))
        for position in claim.positions:
            if position.stance != "asserts":
                continue
            for span in position.evidence:
                words = frozenset(content_words(span.text))
                if len(words) >= 3:
                    claims.append(Claim(words, holder, span.text, reported=True))
    return claims


def _restates(unit_words: frozenset[str], claim: Claim, weight: Callable[[str], float]) -> bool:
    """Whether a sentence restates a claim: most of the claim's distinctive words are there.

    Words are weighted by rarity in the sources, so sharing the event's topic words ("debate",
    the people's names) is not enough; the claim's own content has to be restated.
    """
    shared = unit_words & claim.words
    if len(shared) < 2:
        return False
    if len(claim.words) <= 3:
        # A short claim ("voter fraud") is restated when all of it is there.
        return shared == claim.words and len(unit_words) <= 12
    if len(shared) < 3:
        return False
    common = sum(weight(w) for w in shared)
    # Most of the claim is there, or the sentence is little more than the claim's words.
    return common / sum(weight(w) for w in claim.words) >= 0.6 or (
        len(shared) >= 4 and common / sum(weight(w) for w in unit_words) >= 0.65
    )


_HEDGES = re.compile(
    r"\b(appear(?:s|ed)?|apparent(?:ly)?|seem(?:s|ed)?|may have|might have|suggest(?:s|ed)?|"
    r"possibl[ey]|likely|reportedly|allegedly|whether)\b",
    re.IGNORECASE,
)


def _stated_as_fact(
    ctx: CheckContext, words: frozenset[str], weight: Callable[[str], float]
) -> bool:
    """Whether some source states the sentence's content in its own voice, unhedged.

    A quotation or a claim one source attributes may be plain fact in another ("the subpoenas
    focus on the lane closures"); then restating it is not taking a side. Only the source's own
    words count: what it quotes (even across sentences) is someone else's.
    """
    counts = ctx.sources.candidates(words)
    plain: list[tuple[int, frozenset[str]]] = []
    for n in sorted(counts, key=lambda n: (-counts[n], n))[:10]:
        s = ctx.sources.sentences[n]
        own = own_voice(ctx, s.article_id, s.start, s.end)
        if has_attribution(own) or _HEDGES.search(own):
            continue
        plain.append((n, frozenset(content_words(own)) & words))
    # One sentence of a source's own, unhedged voice, or two that follow each other in the same
    # article, may carry it; words weigh by rarity, so the topic's common words alone do not make
    # a claim a fact. Two far-apart sentences that happen to share its words do not state it.
    need = 0.6 * sum(weight(w) for w in words)
    # A sentence that has nearly every word of it states it, even when those are names (where
    # an ad airs): names weigh little in the weighted share.
    if any(len(a) >= 0.75 * len(words) for _, a in plain):
        return True
    return any(
        sum(weight(w) for w in a | b) >= need
        for i, (na, a) in enumerate(plain)
        for nb, b in plain[i:]
        if len(a) >= 2 and (na == nb or _adjacent(ctx, na, nb))
    )


def _plain_in_one(ctx: CheckContext, core: frozenset[str]) -> bool:
    """Whether one source sentence states nearly all of `core` in its own, unhedged voice.

    For a statement a source marks as someone's claim or as disputed ("claimed", "denied"),
    words shared with unrelated sentences are not enough to make it a fact: one sentence must say
    it without attributing it.
    """
    counts = ctx.sources.candidates(core)
    need = max(2, math.ceil(0.75 * len(core)))
    for n in (n for n, c in counts.items() if c >= need):
        s = ctx.sources.sentences[n]
        own = own_voice(ctx, s.article_id, s.start, s.end)
        if has_attribution(own) or _HEDGES.search(own):
            continue
        if len(frozenset(content_words(own)) & core) >= need:
            return True
    return False


def _adjacent(ctx: CheckContext, a: int, b: int) -> bool:
    """Whether source sentences `a` and `b` follow each other in one article."""
    sa, sb = ctx.sources.sentences[a], ctx.sources.sentences[b]
    return abs(a - b) == 1 and sa.article_id == sb.article_id


def overlapping(
    regions: Sequence[tuple[int, int]], start: int, end: int
) -> Sequence[tuple[int, int]]:
    """The regions (sorted, apart from one another) that overlap `start`..`end`, found by
    bisection: a long article's many quotations are not all looked at for each sentence."""
    first = bisect_right(regions, start, key=lambda r: r[1])
    last = first
    while last < len(regions) and regions[last][0] < end:
        last += 1
    return regions[first:last]


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with `spans` (offsets into it) blanked out, in one pass."""
    chars = list(text)
    for start, end in spans:
        lo, hi = max(start, 0), min(end, len(chars))
        if lo < hi:
            chars[lo:hi] = " " * (hi - lo)
    return "".join(chars)


# An article's text with its quoted speech blanked out, made once per article.
_OWN_VOICE: WeakKeyDictionary[QuoteIndex, str] = WeakKeyDictionary()


def own_voice(ctx: CheckContext, article_id: str, start: int, end: int) -> str:
    """`article.text[start:end]` with the article's quoted speech blanked out."""
    quotes = ctx.sources.quotes(article_id)
    if quotes not in _OWN_VOICE:
        _OWN_VOICE[quotes] = blank(ctx.sources.article(article_id).text, quotes.regions)
    return _OWN_VOICE[quotes][start:end]


def check_unattributed_contested(ctx: CheckContext) -> list[Finding]:
    claims = report_claims(ctx) + source_claims(ctx)
    n = len(ctx.sources.sentences) + 1

    names = ctx.sources.proper_stems

    def weight(word: str) -> float:
        # Rare words say what a claim is; names say whom it is about, and count less.
        rarity = math.log(n / (1 + ctx.sources.document_frequency(word))) + 0.1
        return rarity * (0.3 if word in names else 1.0)

    doc = annotate(ctx.checked.text)
    # What the text reports someone saying, and (from the attribution layer) who and the cue.
    reported = attributed_spans(doc) + (cue_spans(doc) or [])
    # Quotes are found over the whole text: a quotation of two sentences is split into two
    # units, and the second unit alone would not show that it is quoted.
    unquoted = blank(ctx.checked.text, ctx.checked.quotes.regions)
    unreported = blank(unquoted, reported)
    # Which claims share a word with a sentence, so that each sentence is compared only with the
    # claims that could match it (a claim is restated only with two or more shared words).
    index: dict[str, list[int]] = defaultdict(list)
    for k, claim in enumerate(claims):
        for w in claim.words:
            index[w].append(k)
    findings: list[Finding] = []
    for unit in ctx.checked.units:
        own = unquoted[unit.start : unit.end]
        if len(own.strip()) < len(unit.text) / 2:
            continue  # mostly quoted speech (the grounding check covers quotes)
        own = unreported[unit.start : unit.end]
        if has_attribution(own):
            continue  # says who holds it
        words = frozenset(content_words(own))
        if len(words) < 3:
            continue
        shared: dict[int, int] = defaultdict(int)
        for w in words:
            for k in index.get(w, ()):
                shared[k] += 1
        candidates = sorted(k for k, count in shared.items() if count >= 2)
        hits = [claims[k] for k in candidates if _restates(words, claims[k], weight)]
        hit = (
            next((c for c in hits if c.reported), None)
            or next((c for c in hits if c.marked and not _plain_in_one(ctx, c.words & words)), None)
            or (hits[0] if hits and not _stated_as_fact(ctx, words, weight) else None)
        )
        if hit is None:
            continue
        findings.append(
            Finding(
                check=CHECK,
                severity="warning",
                message=(
                    f"states as fact a claim that the sources attribute ({hit.holder}: "
                    f"“{excerpt(hit.text)}”)"
                ),
                location=ctx.checked.unit_location(unit),
                suggestion="say who makes the claim (and who disputes it), e.g. “…, X said”",
            )
        )
    return findings
