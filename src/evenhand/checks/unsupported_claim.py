"""`unsupported_claim`: a draft sentence whose content no source states, or that reverses one.

For each sentence of a draft (its own words, not what it quotes), the shipped sentence encoder
(`embeddings`) finds the source sentences nearest in meaning. The annotated documents then compare
the sentence with them:

- a source contradicts it (an error) when a nearby source sentence says the same thing with the
  opposite polarity (a negation, "no", "never", or a verb such as "declined to" on the shared
  words: "agreed to a new military base" against "sees no need for a ... military base"), in
  clauses asserted alike (not "would like Obama to show" against "Obama had not shown": what a
  clause says under a verb of wanting, expecting or planning, or as a question or a condition,
  is not asserted; `annotate.modality`), or the
  same words around a different name ("voters expect Trump to win" against "voters expect
  Clinton to win");
- no source supports it (a warning) when the nearest source sentences carry too little of its
  content words (names weigh half), and none is close in meaning.

Closeness never decides agreement: the encoder puts a sentence and its negation close together,
which is what lets the comparison find the statement a sentence reverses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from ..annotate import AnnotatedDoc, Token, annotate
from ..annotate.attributed import is_attribution_word
from ..annotate.modality import frame, raised_negation
from ..schema import Finding
from .context import CheckContext, SourceSentence, Unit
from .words import excerpt, is_number_word

CHECK = "unsupported_claim"

# How many source sentences, nearest by cosine, a draft sentence is compared with.
NEAREST = 5
# Support: the share of a sentence's content words (names weigh half) that its nearest
# `SUPPORT_SENTENCES` source sentences carry, and a cosine at which one sentence alone backs it.
SUPPORT_SENTENCES = 3
SUPPORTED_SHARE = 0.5
SUPPORTED_COSINE = 0.8
# A source sentence is about the same thing as a draft sentence from this cosine on; only such a
# sentence can contradict it.
SAME_THING = 0.5
# Words of a sentence that carry its content.
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
_NAME_WEIGHT = 0.5
# Verbs that deny the verb they govern: "declined to endorse", "refused to apologize" ("would not
# hesitate to invite" invites).
_NEGATING_VERBS = frozenset({"decline", "refuse", "fail", "hesitate", "refrain"})
_NEGATORS = frozenset({"not", "n't", "no", "never", "without", "nobody", "nothing", "none"})
# Dependencies by which a word heads a clause of its own: a negation above it is another
# clause's ("said that ...", "who ...", "passages superseded by ...", "because ...").
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "csubjpass"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
# The most words a walk from a word up to its clause's verb takes.
_MAX_PATH = 6
_CONTRASTS = frozenset({("rather", "than"), ("instead", "of")})
_MIN_WORDS = 3
# Matching runs of words this far apart (in words) on both sides are one stretch.
_GAP = 4
# The least words of the draft a stretch must hold to be compared.
_MIN_STRETCH = 3


@dataclass(frozen=True)
class Word:
    """A content word of a sentence: its token and its lowered lemma."""

    token: Token
    lemma: str


def _lemma(t: Token) -> str:
    return (t.lemma or t.text).lower().replace("’", "'")


def content(doc: AnnotatedDoc, start: int, end: int, skip_quotes: bool = True) -> list[Word]:
    """The content words of `doc.text[start:end]` (outside quotation marks, if `skip_quotes`)."""
    out: list[Word] = []
    for t in doc.tokens_in(start, end):
        if not t.is_word or t.is_stop or t.pos not in _CONTENT_POS:
            continue
        if t.like_num or is_number_word(t.text):
            continue
        if skip_quotes and doc.quotes.contains(t.start, t.end):
            continue
        out.append(Word(t, _lemma(t)))
    return out


def _weight(w: Word) -> float:
    return _NAME_WEIGHT if w.token.pos == "PROPN" else 1.0


def _negates(doc: AnnotatedDoc, t: Token) -> bool:
    """Whether `t` is a negating word hanging from the word it denies ("not", "never", "no")."""
    if t.dep != "neg" and _lemma(t) not in _NEGATORS:
        return False
    after = doc.tokens[t.i + 1] if t.i + 1 < len(doc.tokens) else None
    # "not only ... but also" adds; it does not deny.
    return after is None or _lemma(after) != "only"


def _denies(doc: AnnotatedDoc, t: Token, below: Token) -> bool:
    """Whether `t`, reached from `below` on the way up to the clause's verb, denies it: a verb
    such as "declined" of its infinitive ("declined to endorse"; "refuse service" is no
    negation), "without" of its object, or "than" / "of" of "rather than" / "instead of" ("a
    pulled muscle rather than a blood clot" denies the clot)."""
    if _lemma(t) in _NEGATING_VERBS:
        return below.dep == "xcomp" and below.head == t.i
    if _lemma(t) == "without":
        return True
    before = doc.tokens[t.i - 1] if t.i > 0 else None
    return before is not None and (_lemma(before), _lemma(t)) in _CONTRASTS


def _own_clause(doc: AnnotatedDoc, t: Token) -> bool:
    """Whether `t` heads a clause of its own: a reported statement, a relative or adverbial
    clause, or a conjoined verb with a subject of its own ("faces a challenge, but his race is
    not among the targets"; not "said ..., but sees no need", which shares its subject)."""
    if t.dep in _CLAUSE_DEPS:
        return True
    return t.dep == "conj" and any(
        doc.tokens[k].dep in _SUBJECT_DEPS for k in doc.children.get(t.i, ()) if k != t.i
    )


def clause_path(doc: AnnotatedDoc, t: Token) -> list[Token]:
    """`t` and the words that govern it up to the verb of its clause: the walk stops at a word
    that heads a clause of its own, so a negation beyond it is another clause's."""
    path = [t]
    node = t
    while node.head != node.i and not _own_clause(doc, node) and len(path) < _MAX_PATH:
        node = doc.tokens[node.head]
        path.append(node)
    return path


@dataclass(frozen=True)
class Clause:
    """What one clause says of a stretch's words: their lemmas in it (`solid`: those that are
    words of their own, not a figure, nor part of a hyphenated word or a compound: "2020",
    "same-sex", "tax cuts"), how many negations govern them there, what leaves them unasserted
    (`frame`: "expected to", "would like ... to", "whether"; `annotate.modality`), and whether
    the rule is sure of the count: not when a negation sits above a conjunction (the scope of
    "not" in "could not confirm, deny or comment" is not the parse's to say), when it governs
    some of the words and not the others ("faces a re-election challenge, but his race is not
    among the targets"), or when it denies one noun of a coordination that the words hang after
    ("legal status but not citizenship to many immigrants": the parse may hang "to many" on
    either)."""

    lemmas: frozenset[str]
    solid: frozenset[str]
    negations: int
    sure: bool
    frame: frozenset[str] = frozenset()


def _hyphenated(doc: AnnotatedDoc, t: Token) -> bool:
    return any(0 <= k < len(doc.tokens) and doc.tokens[k].text == "-" for k in (t.i - 1, t.i + 1))


def _contrasted(doc: AnnotatedDoc, conj: Token) -> Token | None:
    """The coordinator that denies a conjunct ("than" of "a pulled muscle rather than a blood
    clot", "of" of "instead of") when the parse makes it a coordinator, not the conjunct's head."""
    if conj.dep != "conj":
        return None
    for k in doc.children.get(conj.head, ()):
        c = doc.tokens[k]
        if c.dep != "cc" or not conj.head < c.i < conj.i or c.i == 0:
            continue
        if (_lemma(doc.tokens[c.i - 1]), _lemma(c)) in _CONTRASTS:
            return c
    return None


def _governing(doc: AnnotatedDoc, i: int, verb: int) -> set[int]:
    """The words from token `i` up to its clause's verb `verb` (both included)."""
    out = {i}
    node = doc.tokens[i]
    while node.i not in (verb, node.head) and len(out) <= _MAX_PATH:
        node = doc.tokens[node.head]
        out.add(node.i)
    return out


def _in_scope(doc: AnnotatedDoc, path: list[Token], host: int, verb: int) -> bool:
    """Whether a negation hanging on `host` governs the word `path` starts from: the host is on
    the word's way up to the clause's verb, or the word is on the host's way up, or is the
    subject of a word that is."""
    above = _governing(doc, host, verb)
    for k, node in enumerate(path):
        if node.i == host:
            return True
        if node.i in above:
            return k == 0 or path[k - 1].dep in _SUBJECT_DEPS
    return False


def clauses(doc: AnnotatedDoc, words: list[Token]) -> list[Clause]:
    """The clauses `words` belong to, each with the negations that govern its words within it: a
    "not" / "never" / "no" on a word on the way up to the clause's verb, or a denying word on that
    way ("declined to endorse", "no need for a ... base", "rather than a blood clot"). A negation
    in another clause of the sentence ("the mayor, who did not comment, said ...") does not
    count; what a clause says under "wants to", "expected to", "plans to" or "whether" is not
    asserted (`frame`), and is compared only with a clause asserted the same way."""
    lemmas: dict[int, set[str]] = {}
    solid: dict[int, set[str]] = {}
    paths: dict[int, list[list[Token]]] = {}
    # Each negation of a clause: the negating word and the word it hangs on (its host).
    negations: dict[int, set[tuple[int, int]]] = {}
    frames: dict[int, set[str]] = {}
    sure: dict[int, bool] = {}
    for t in words:
        path = clause_path(doc, t)
        verb = path[-1].i
        lemmas.setdefault(verb, set()).add(_lemma(t))
        if not _hyphenated(doc, t) and t.dep != "compound" and not t.like_num:
            solid.setdefault(verb, set()).add(_lemma(t))
        frames.setdefault(verb, set()).update(frame(doc, path))
        sentence = doc.sentences[t.sentence]
        # Which words on the path lie above a conjunction ("sees" of "said ..., but sees no need"
        # is not above one; "could not" is above "comment" of "confirm, deny or comment").
        above_conj = {n.i for k, n in enumerate(path) if any(m.dep == "conj" for m in path[:k])}
        on_path = {n.i for n in path}
        paths.setdefault(verb, []).append(path)
        found = {(n.i, n.i) for below, n in pairwise(path) if _denies(doc, n, below)}
        for n in path:
            coordinator = _contrasted(doc, n)
            if coordinator is not None:
                found.add((coordinator.i, n.i))
        for c in doc.tokens[sentence.first : sentence.last]:
            if c.head in on_path and c.head != c.i and _lemma(c) != "without" and _negates(doc, c):
                found.add((c.i, c.head))
        raised = raised_negation(doc, path[-1])
        if raised is not None:
            found.add((raised.i, verb))
        hosts = {host for _, host in found}
        # A denied noun of a coordination, reached from words hung after it.
        loose = any(
            doc.tokens[h].dep == "conj" and doc.tokens[h].pos in ("NOUN", "PROPN") and t.i > h
            for h in hosts
        )
        negations.setdefault(verb, set()).update(found)
        sure[verb] = sure.get(verb, True) and not hosts & above_conj and not loose
    out: list[Clause] = []
    for v, said in lemmas.items():
        # A negation counts when it hangs on the way up from every word of the clause, or the
        # word governs it or is the subject of a word that does ("senators" and "expected" of
        # "senators are expected not to approve"): "without explicit exceptions for rape,
        # exceptions that Romney supports" does not deny the second "exceptions".
        scope = all(_in_scope(doc, path, host, v) for _, host in negations[v] for path in paths[v])
        out.append(
            Clause(
                frozenset(said),
                frozenset(solid.get(v, ())),
                len(negations[v]),
                sure[v] and scope,
                frozenset(frames[v]),
            )
        )
    return out


def _regions(a: list[Token], b: list[Token]) -> list[tuple[list[Token], list[Token]]]:
    """Stretches where two sentences say the same words (matching runs of lemmas, with gaps of a
    few words between them), as (tokens of a, tokens of b), gaps included."""
    matcher = SequenceMatcher(a=[_lemma(t) for t in a], b=[_lemma(t) for t in b], autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    regions: list[tuple[list[Token], list[Token]]] = []
    group: list[tuple[int, int, int]] = []
    for m in [*blocks, None]:
        if m is not None and group:
            last = group[-1]
            if m.a - (last[0] + last[2]) <= _GAP and m.b - (last[1] + last[2]) <= _GAP:
                group.append((m.a, m.b, m.size))
                continue
        if group:
            first, last = group[0], group[-1]
            regions.append((a[first[0] : last[0] + last[2]], b[first[1] : last[1] + last[2]]))
        group = [(m.a, m.b, m.size)] if m is not None else []
    return regions


def _reversal(
    draft: AnnotatedDoc, unit: Unit, source_doc: AnnotatedDoc, source: SourceSentence
) -> str | None:
    """How `source` states what the unit states with the opposite polarity, if the rule is sure
    of it: a negation that governs the verb of a clause stating the same words, in that clause,
    on one side only. A negation in another clause, or one whose scope the parse leaves open (a
    conjunction), makes no contradiction."""
    a = [t for t in draft.tokens_in(unit.start, unit.end) if t.is_word]
    a = [t for t in a if not draft.quotes.contains(t.start, t.end)]
    # What either side quotes is someone's words, compared by `grounding`, not a statement.
    b = [t for t in source_doc.tokens_in(source.start, source.end) if t.is_word]
    b = [t for t in b if not source_doc.quotes.contains(t.start, t.end)]
    for mine, theirs in _regions(a, b):
        if len(mine) < _MIN_STRETCH:
            continue
        # Speech verbs ("said") are everywhere in news: they do not make two statements one.
        shared = {
            _lemma(t)
            for t in mine
            if t.pos in _CONTENT_POS
            and t.pos != "PROPN"
            and not t.is_stop
            and not is_attribution_word(t.text)
        } & {_lemma(t) for t in theirs}
        if len(shared) < 2:
            continue
        ours = clauses(draft, [t for t in mine if _lemma(t) in shared])
        others = clauses(source_doc, [t for t in theirs if _lemma(t) in shared])
        # Each clause of the draft is compared with the source's clause that states most of its
        # words (a clause the parse hangs a shared phrase on is not the one that says the same
        # thing); the rule is sure when they share two or more words of their own and one of
        # them negates its verb.
        for x in ours:
            y = max(others, key=lambda c: len(x.solid & c.solid))
            if (
                x.sure
                and y.sure
                and x.frame == y.frame
                and len(x.solid & y.solid) >= 2
                and x.negations % 2 != y.negations % 2
            ):
                said = "denies" if x.negations % 2 else "asserts"
                return f"the draft {said} what the source states the other way round"
    return None


@dataclass(frozen=True)
class Contradiction:
    """A source sentence that states the draft's sentence the other way round."""

    source: SourceSentence
    why: str


def _words(doc: AnnotatedDoc, start: int, end: int) -> list[Token]:
    return [t for t in doc.tokens_in(start, end) if t.is_word]


def _swap(
    draft: AnnotatedDoc, unit: Unit, source_doc: AnnotatedDoc, source: SourceSentence
) -> str | None:
    """The same words around a different name or party ("expect Trump to win" where the source
    has "expect Clinton to win"), if that is how the sentence differs from `source`."""
    a = _words(draft, unit.start, unit.end)
    b = _words(source_doc, source.start, source.end)
    la = [_lemma(t) for t in a]
    lb = [_lemma(t) for t in b]
    matcher = SequenceMatcher(a=la, b=lb, autojunk=False)
    blocks = matcher.get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(blocks):
        if op != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
            continue
        x, y = a[i1], b[j1]
        if not (x.text[:1].isupper() and y.text[:1].isupper()):
            continue
        if x.ent_type != "PERSON" or y.ent_type != "PERSON":
            continue
        if k == 0 or k + 1 >= len(blocks):
            continue
        before, after = blocks[k - 1], blocks[k + 1]
        if before[0] != "equal" or after[0] != "equal":
            continue
        # A name next to the swapped word means a longer name ("President Obama" / "Barack
        # Obama"), not a different one.
        if (i1 > 0 and a[i1 - 1].pos == "PROPN") or (i2 < len(a) and a[i2].pos == "PROPN"):
            continue
        if (before[2] - before[1]) + (after[2] - after[1]) < 4 or after[2] - after[1] < 1:
            continue
        return f"“{x.text}” where the source has “{y.text}”"
    return None


def check_unsupported_claim(ctx: CheckContext) -> list[Finding]:
    checked = ctx.checked
    if checked.target != "draft" or not ctx.sources.sentences:
        return []
    from ..annotate.embeddings import load_encoder

    draft = annotate(checked.text)
    units = [
        u
        for u in checked.units
        if not checked.quotes.contains(u.start, u.end)
        and len(content(draft, u.start, u.end)) >= _MIN_WORDS
    ]
    if not units:
        return []
    encoder = load_encoder()
    sources = ctx.sources.sentences
    # A sentence's own voice is what it claims; what it quotes is checked by `grounding`.
    texts = [_own_voice(checked.text, checked.quotes.regions, u.start, u.end) for u in units]
    similarity = encoder.embed(texts) @ encoder.embed([s.text for s in sources]).T
    findings: list[Finding] = []
    for row, unit in zip(similarity, units, strict=True):
        order = sorted(range(len(sources)), key=lambda n: -float(row[n]))[:NEAREST]
        nearest = [(sources[n], float(row[n])) for n in order]
        found = _contradiction(ctx, draft, unit, nearest)
        if found is not None:
            label = ctx.sources.label(found.source.article_id)
            findings.append(
                Finding(
                    check=CHECK,
                    severity="error",
                    message=(
                        f"{label} says otherwise: “{excerpt(found.source.text)}” ({found.why})"
                    ),
                    location=checked.unit_location(unit),
                    suggestion="state what the source says, or cut the sentence",
                )
            )
            continue
        # The sentences nearest in meaning, and those sharing the most words with it.
        backing = [s for s, _ in nearest[:SUPPORT_SENTENCES]] + ctx.supports[unit.index].sentences
        share = _share(draft, unit, ctx, backing)
        if share < SUPPORTED_SHARE and nearest[0][1] < SUPPORTED_COSINE:
            findings.append(
                Finding(
                    check=CHECK,
                    severity="warning",
                    message=(
                        "no source states this: the source sentences nearest in meaning carry "
                        f"{share:.0%} of its content (nearest: “{excerpt(nearest[0][0].text)}”)"
                    ),
                    location=checked.unit_location(unit),
                    suggestion="cite a source that states it, or cut it",
                )
            )
    return findings


def _contradiction(
    ctx: CheckContext,
    draft: AnnotatedDoc,
    unit: Unit,
    nearest: list[tuple[SourceSentence, float]],
) -> Contradiction | None:
    for source, cosine in nearest:
        if cosine < SAME_THING:
            break
        doc = ctx.sources.docs[source.article_id]
        why = _reversal(draft, unit, doc, source) or _swap(draft, unit, doc, source)
        if why is not None:
            return Contradiction(source, why)
    return None


def _own_voice(text: str, quotes: Iterable[tuple[int, int]], start: int, end: int) -> str:
    """`text[start:end]` without its quoted speech."""
    chars = list(text[start:end])
    for qs, qe in quotes:
        for i in range(max(qs, start), min(qe, end)):
            chars[i - start] = " "
    return " ".join("".join(chars).split())


def _share(
    draft: AnnotatedDoc, unit: Unit, ctx: CheckContext, sentences: list[SourceSentence]
) -> float:
    """The weighted share of the unit's content words that `sentences` carry."""
    mine = content(draft, unit.start, unit.end)
    carried: set[str] = set()
    for s in sentences:
        doc = ctx.sources.docs[s.article_id]
        carried |= {w.lemma for w in content(doc, s.start, s.end, skip_quotes=False)}
    total = sum(_weight(w) for w in mine)
    if not total:
        return 1.0
    return sum(_weight(w) for w in mine if w.lemma in carried) / total
