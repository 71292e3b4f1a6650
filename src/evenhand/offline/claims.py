"""Contested claims: disputes, differing labels, and one outlet's unsupported assertions.

- `disputed`: passages that carry an allegation and its denial, or a verdict on evidence, matched
  across articles by lexical similarity. Its actors are the people, governments and groups that
  make or back the allegation (`asserts`) or reject it (`disputes`), each with the sentences that
  report it and the outlets that carry them (`claim_actors`). Each outlet's own stance:
  `disputes` when it says, in its own voice, that the allegation lacks evidence; `asserts` when it
  states the allegation as fact in its own voice (a loaded verdict such as "rigged"); `reports`
  when it carries the matter without taking a side; `omits` when it does not carry it. An outlet
  that takes a side in its own voice is an actor too (`kind="outlet"`), with its own words.
- `framing`: the same person labelled differently by different outlets, where at least one label
  is loaded or the labels share no word ("self-proclaimed president" against "President"). An
  outlet that uses a loaded label is an actor asserting that framing.
- `one_sided`: a sentence in an outlet's own voice carrying loaded language that no other source
  supports; the outlet is its one actor.

Every claim gets the engines' shared heuristic `claim_confidence`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..annotate import AnnotatedDoc, Sentence, annotate
from ..annotate.attributed import gives_a_holder
from ..annotate.attribution import attributions, resolve
from ..annotate.cues import cue_kinds, find_cues, has_attribution
from ..engines.claim_confidence import claim_confidence
from ..lexicon import find_loaded
from ..quote_search import make_span
from ..schema import (
    ActorKind,
    ActorPosition,
    ActorStance,
    Article,
    ClaimKind,
    ContestedClaim,
    Position,
    Span,
    SummarySentence,
)
from ..text import QuoteIndex
from .actors import Actor, actor_before, sentence_actors, side_cues, side_of
from .align import Alignment, SentenceRef, content_terms, cosine, stem
from .clean import according_to, has_unquoted_loaded, neutralise, outlet_voice_matches
from .entities import name_mentions
from .quoted import Quotations

_PASSAGE_GAP = 2  # sentences of one article this close form one passage
_SAME_TOPIC = 0.2  # seeds of one article this similar belong to one passage
_CROSS_TOPIC = 0.15  # passages of different articles this similar are the same dispute
_REPORTS_TOPIC = 0.25  # a plain sentence of another article this similar reports the dispute
_MAX_ONE_SIDED = 3
_MAX_QUOTED_WORDS = 55  # a quotation widened to its whole passage stays one readable sentence
_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its)\b")


@dataclass
class _Passage:
    article_index: int
    refs: list[SentenceRef]
    context: SentenceRef | None = None
    vector: dict[str, float] = field(default_factory=dict)

    def all_refs(self) -> list[SentenceRef]:
        return self.refs + ([self.context] if self.context is not None else [])


def _passage_similarity(alignment: Alignment, p: _Passage, q: _Passage) -> float:
    """Best sentence-to-sentence similarity between two passages (seeds or their context)."""
    return max(
        (alignment.similarity(a, b) for a in p.all_refs() for b in q.all_refs()),
        default=0.0,
    )


def _add(u: dict[str, float], v: dict[str, float], weight: float = 1.0) -> None:
    for t, w in v.items():
        u[t] = u.get(t, 0.0) + weight * w


def _is_seed(sentence: str) -> bool:
    kinds = cue_kinds(sentence)
    if "allegation" in kinds or "unsupported" in kinds:
        return True
    return "dispute" in kinds and bool(sentence_actors(sentence))


def _passages(alignment: Alignment) -> list[_Passage]:
    passages: list[_Passage] = []
    for a, sentences in enumerate(alignment.sentences):
        seeds = [SentenceRef(a, i) for i, s in enumerate(sentences) if _is_seed(s.text)]
        groups: list[list[SentenceRef]] = []
        for ref in seeds:
            for group in groups:
                last = group[-1]
                near = (
                    ref.sentence_index - last.sentence_index <= _PASSAGE_GAP
                    and sentences[ref.sentence_index].paragraph
                    == sentences[last.sentence_index].paragraph
                )
                if near or any(alignment.similarity(ref, g) >= _SAME_TOPIC for g in group):
                    group.append(ref)
                    break
            else:
                groups.append([ref])
        for group in groups:
            first = group[0].sentence_index
            same_paragraph = first > 0 and (
                sentences[first - 1].paragraph == sentences[first].paragraph
            )
            context = SentenceRef(a, first - 1) if same_paragraph else None
            passage = _Passage(a, group, context)
            for ref in group:
                _add(passage.vector, alignment.vectors[a][ref.sentence_index])
            if context is not None:
                _add(passage.vector, alignment.vectors[a][context.sentence_index], 0.5)
            passages.append(passage)
    return passages


# --- wording -------------------------------------------------------------------------------------

_OBJECT_PATTERNS = (
    re.compile(r"\b(?:allegations?|accusations?|claims?)\s+(?:of|that)\s+([^,;.]+)", re.I),
    re.compile(
        r"\b(?:claimed|alleged|said)\s+(?:that\s+)?there\s+(?:had\s+been|was|were|has\s+been)\s+([^,;.]+)",
        re.I,
    ),
    re.compile(r"\b([a-z]+\s+[a-z]+)\s+(?:allegations|accusations|claims)\b", re.I),
    re.compile(r"\baccused\s+\w+(?:\s+\w+)?\s+of\s+([^,;.]+)", re.I),
    re.compile(r"\b(?:alleged|alleges|claimed|claims)\s+(?:that\s+)?([^,;.]+)", re.I),
)
_EVENT = re.compile(
    r"\b((?:\w+\s+)?(?:election|elections|vote|referendum|poll|trial|investigation|inquiry|"
    r"attack|strike|deal|agreement|bill|law|war|summit|shooting|raid))\b",
    re.I,
)
_STOP_LEADS_TEXT = """
    the a an this that these those his her their its of in
"""
_STOP_LEADS = frozenset(_STOP_LEADS_TEXT.split())


def _trim_phrase(phrase: str, max_words: int = 8) -> str:
    words = phrase.strip().split()
    while words and words[0].lower() in _STOP_LEADS:
        words = words[1:]
    words = words[:max_words]
    while words and words[-1].lower() in _STOP_LEADS | {"and", "or", "to", "by", "for", "with"}:
        words = words[:-1]
    return " ".join(words)


def _claim_text(texts: list[str]) -> str:
    """A neutral label for a dispute: "Allegations of <object>", with the event where named."""
    obj = ""
    clause = False
    for pattern in _OBJECT_PATTERNS:
        for text in texts:
            m = pattern.search(neutralise(text))
            if m:
                # "claimed (that) the vote was rigged": what is alleged is a clause, kept whole.
                clause = pattern is _OBJECT_PATTERNS[4] and len(m.group(1).split()) > 2
                obj = " ".join(m.group(1).split()[:12]) if clause else _trim_phrase(m.group(1))
                # "<adjective> <noun> allegations" names the object in two words ("voter fraud");
                # one word left ("rejected [the] allegations") is the verb before them.
                if pattern is _OBJECT_PATTERNS[2] and len(obj.split()) < 2:
                    obj = ""
                if obj:
                    break
        if obj:
            break
    event = ""
    for text in texts:
        m = _EVENT.search(text)
        if m:
            event = _trim_phrase(m.group(1), 3).lower()
            break
    if clause:
        return f"Allegations that {obj}"
    if obj and event and stem(event.split()[-1]) not in {stem(w) for w in obj.lower().split()}:
        return f"Allegations of {obj} in the {event}"
    if obj:
        return f"Allegations of {obj}"
    if event:
        return f"Whether the account of the {event} holds"
    return "A disputed account"


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _label(article: Article) -> str:
    return article.outlet or article.id


# --- disputed ----------------------------------------------------------------------------------


def _own_voice_kinds(article: Article, quotes: QuoteIndex, sentence: Sentence) -> set[str]:
    """Cue kinds of a sentence that sit outside quotes (the outlet's own voice)."""
    kinds: set[str] = set()
    for cue in find_cues(sentence.text):
        start = sentence.start + cue.start
        if not quotes.contains(start, start + (cue.end - cue.start)):
            kinds.add(cue.kind)
    return kinds


def _stance(
    article: Article, quotes: QuoteIndex, sentences: list[Sentence]
) -> tuple[ActorStance | Literal["reports"], list[Span]]:
    """The outlet's own stance on a dispute, with the words in which it takes it (if any)."""
    verdicts = [
        make_span(article, sentence.start + start, sentence.start + end)
        for sentence in sentences
        for start, end, _ in outlet_voice_matches(sentence.text)
        if "unsupported" in cue_kinds(sentence.text[start:end].lower())
    ]
    if verdicts:
        return "disputes", verdicts
    for sentence in sentences:
        loaded = [
            m
            for m in find_loaded(sentence.text)
            if m.entry.category == "sensational"
            and not quotes.contains(sentence.start + m.start, sentence.start + m.end)
        ]
        if (
            loaded
            and not has_attribution(sentence.text)
            and not cue_kinds(sentence.text) & {"allegation", "dispute"}
        ):
            return "asserts", [
                make_span(article, sentence.start + m.start, sentence.start + m.end) for m in loaded
            ]
    return "reports", []


# --- actors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundActor:
    """An actor found in one sentence: who, what kind, and which side of the allegation."""

    name: str
    kind: ActorKind
    stance: ActorStance


def sentence_claim_actors(article: Article, sentence: Sentence) -> list[FoundActor]:
    """Who makes, backs or rejects an allegation in one sentence of `article`.

    The one place the offline engine reads actors. The cue rules of `offline.actors` decide which
    cues take a side, and which side (`side_cues`, `side_of`); the annotation layer's attribution
    of that cue gives the actor, resolved across the article ("she" -> "Sviatlana
    Tsikhanouskaya") with its kind. A cue the attribution layer does not attribute ("Ukraine did
    not recognize ...") falls back to the words before it (`actor_before`), resolved to a name and
    a kind by the same layer's `resolve`.
    """
    doc = annotate(article.text)
    layer = [a for a in attributions(doc) if a.actor and sentence.start <= a.cue[0] < sentence.end]
    found: list[FoundActor] = []
    seen: set[tuple[str, str]] = set()
    for cue in side_cues(sentence.text):
        start, end = sentence.start + cue.start, sentence.start + cue.end
        attributed = next((a for a in layer if a.cue[0] < end and start < a.cue[1]), None)
        if attributed is not None and attributed.actor is not None:
            name: str = attributed.actor
            kind: ActorKind = attributed.actor_kind
        else:
            words = actor_before(sentence.text, cue.start)
            if words is None:
                continue
            name, kind = _resolved(doc, sentence, words, cue.start)
        # spaCy may call a country an organisation in one sentence and a place in another.
        if kind == "organisation" and any(
            e.label == "GPE" and e.text == name for e in doc.entities
        ):
            kind = "government"
        stance: ActorStance = (
            "asserts" if side_of(sentence.text, cue) == "challenges" else "disputes"
        )
        if (name, stance) not in seen:
            seen.add((name, stance))
            found.append(FoundActor(name, kind, stance))
    return found


def _resolved(
    doc: AnnotatedDoc, sentence: Sentence, words: str, before: int
) -> tuple[str, ActorKind]:
    """An actor's words before a cue, resolved by the annotation layer to a name and a kind."""
    name: str = words
    kind: ActorKind = "other"
    at = sentence.text.rfind(words.removeprefix("the "), 0, before)
    if at >= 0:
        begin = sentence.start + at
        resolved, kind = resolve(doc, (begin, begin + len(words)), [])
        name = resolved or name
    if kind == "other" and name[:1].islower():
        kind = "group" if name.endswith("s") else "organisation"
    return name, kind


def _actor_key(name: str) -> str:
    return name.lower().removeprefix("the ")


def claim_actors(
    articles: Sequence[Article], evidence: dict[int, list[Sentence]]
) -> list[ActorPosition]:
    """The actors of a dispute across its evidence, one per name and side, in order of mention;
    each with the sentences that report it and the ids of the outlets that carry them."""
    merged: dict[tuple[str, str], ActorPosition] = {}
    for a in sorted(evidence):
        article = articles[a]
        for sentence in evidence[a]:
            for found in sentence_claim_actors(article, sentence):
                key = (_actor_key(found.name), found.stance)
                actor = merged.setdefault(
                    key,
                    ActorPosition(
                        actor=found.name,
                        kind=found.kind,
                        stance=found.stance,
                        evidence=[],
                        reported_by=[],
                    ),
                )
                span = make_span(article, sentence.start, sentence.end)
                if span not in actor.evidence:
                    actor.evidence.append(span)
                if article.id not in actor.reported_by:
                    actor.reported_by.append(article.id)
    return list(merged.values())


def _outlet_actor(article: Article, stance: ActorStance, evidence: list[Span]) -> ActorPosition:
    return ActorPosition(
        actor=_label(article),
        kind="outlet",
        stance=stance,
        evidence=evidence,
        reported_by=[article.id],
    )


def _omitted(articles: Sequence[Article], positions: list[Position]) -> list[Position]:
    """`positions` in article order, with an `omits` position for every article not in them."""
    by_id = {p.article_id: p for p in positions}
    return [by_id.get(a.id) or Position(article_id=a.id, stance="omits") for a in articles]


def _claim(
    claim: str, kind: ClaimKind, actors: list[ActorPosition], positions: list[Position], note: str
) -> ContestedClaim:
    return ContestedClaim(
        claim=claim,
        kind=kind,
        actors=actors,
        positions=positions,
        note=note,
        confidence=claim_confidence(kind, actors, positions),
    )


def disputed_claims(
    articles: Sequence[Article], alignment: Alignment
) -> tuple[list[ContestedClaim], set[SentenceRef]]:
    """Disputes matched across articles, and the sentences used as their evidence."""
    passages = _passages(alignment)
    quotes = [QuoteIndex(a.text) for a in articles]
    groups: list[list[_Passage]] = []
    for passage in passages:
        for group in groups:
            if all(p.article_index != passage.article_index for p in group) and any(
                _passage_similarity(alignment, p, passage) >= _CROSS_TOPIC for p in group
            ):
                group.append(passage)
                break
            if any(p.article_index == passage.article_index for p in group) and any(
                cosine(p.vector, passage.vector) >= _SAME_TOPIC * 2 for p in group
            ):
                group.append(passage)
                break
        else:
            groups.append([passage])

    claims: list[ContestedClaim] = []
    used: set[SentenceRef] = set()
    for group in groups:
        by_article: dict[int, list[SentenceRef]] = {}
        for p in group:
            by_article.setdefault(p.article_index, []).extend(p.refs)
        group_vector: dict[str, float] = {}
        for p in group:
            _add(group_vector, p.vector)
        # Articles without a passage of their own may still report the matter plainly.
        for a in range(len(articles)):
            if a in by_article or not alignment.sentences[a]:
                continue
            scores = [cosine(group_vector, v) for v in alignment.vectors[a]]
            best = max(range(len(scores)), key=scores.__getitem__)
            if scores[best] >= _REPORTS_TOPIC:
                by_article[a] = [SentenceRef(a, best)]
        evidence = {
            a: [alignment.sentence(r) for r in sorted(set(refs), key=lambda r: r.sentence_index)]
            for a, refs in by_article.items()
        }
        texts = [s.text for a in evidence for s in evidence[a]]
        actors = claim_actors(articles, evidence)
        sides = {actor.stance for actor in actors}
        two_sided = sides == {"asserts", "disputes"}
        verdict = any("unsupported" in cue_kinds(t) for t in texts)
        if len(by_article) < 2 and not (two_sided or (verdict and sides)):
            continue
        positions: list[Position] = []
        for a in sorted(evidence):
            stance, own_words = _stance(articles[a], quotes[a], evidence[a])
            positions.append(
                Position(
                    article_id=articles[a].id,
                    stance=stance,
                    evidence=[make_span(articles[a], s.start, s.end) for s in evidence[a]],
                )
            )
            if stance != "reports":
                actors.append(_outlet_actor(articles[a], stance, own_words))
            used.update(by_article[a])
        text = _claim_text(texts)
        claims.append(
            _claim(
                text,
                "disputed",
                actors,
                _omitted(articles, positions),
                _dispute_note(articles, text, actors, positions),
            )
        )
    return claims, used


def _is_plural(name: str) -> bool:
    last = name.rsplit(maxsplit=1)[-1] if name.strip() else name
    return last[:1].islower() and last.endswith("s")


def _holds_what(claim: str, plural: bool) -> str:
    """The allegation as a predicate: "allege vote rigging", "make the allegation"."""
    if claim.startswith("Allegations of "):
        return ("allege " if plural else "alleges ") + claim.removeprefix("Allegations of ")
    if claim.startswith("Allegations that "):
        return ("allege that " if plural else "alleges that ") + claim.removeprefix(
            "Allegations that "
        )
    return "make the allegation" if plural else "makes the allegation"


def _dispute_note(
    articles: Sequence[Article], claim: str, actors: list[ActorPosition], positions: list[Position]
) -> str:
    """Who holds what, from the actors: "X and Y allege ...; Z rejects this. <outlet> says ..."."""
    named = [a for a in actors if a.kind != "outlet"]
    holders = [a.actor for a in named if a.stance == "asserts"]
    disputers = [a.actor for a in named if a.stance == "disputes"]
    sentences: list[str] = []
    clauses: list[str] = []
    if holders:
        plural = len(holders) > 1 or _is_plural(holders[0])
        clauses.append(f"{_join(holders)} {_holds_what(claim, plural)}")
    if disputers:
        plural = len(disputers) > 1 or _is_plural(disputers[0])
        verb = "reject" if plural else "rejects"
        clauses.append(f"{_join(disputers)} {verb} {'this' if holders else 'the allegation'}")
    if clauses:
        sentences.append("; ".join(clauses))
    by_id = {a.id: a for a in articles}
    for position in positions:
        outlet = _label(by_id[position.article_id])
        if position.stance == "disputes":
            sentences.append(
                f"{outlet} says in its own voice that the allegation came without evidence"
            )
        elif position.stance == "asserts":
            sentences.append(f"{outlet} states the allegation as fact in its own voice")
    if not sentences:
        reporters = _join([_label(by_id[p.article_id]) for p in positions])
        return f"Reported as disputed by {reporters}."
    if clauses:
        sentences[0] = sentences[0][:1].upper() + sentences[0][1:]
    return ". ".join(sentences) + "."


def _actors_for_summary(actors: list[Actor]) -> tuple[list[str], list[str]]:
    challengers = [a.name for a in actors if a.side == "challenges"]
    defenders = [a.name for a in actors if a.side == "defends"]
    return challengers, defenders


# --- framing -----------------------------------------------------------------------------------


def _label_stems(label: str) -> set[str]:
    return {stem(w) for w in content_terms(label)}


def _is_loaded_label(label: str) -> bool:
    return bool(find_loaded(label))


def framing_claims(articles: Sequence[Article]) -> list[ContestedClaim]:
    """People labelled differently by different outlets."""
    # key -> article index -> list of (label, span of label + name, full name)
    seen: dict[str, dict[int, list[tuple[str, Span, str]]]] = {}
    quotes = [QuoteIndex(a.text) for a in articles]
    for a, article in enumerate(articles):
        for m in name_mentions(article.text):
            if not m.label or quotes[a].contains(m.label_start, m.end):
                continue
            span = make_span(article, m.label_start, m.start + len(m.name))
            seen.setdefault(m.key, {}).setdefault(a, []).append((m.label, span, m.name))
    claims: list[ContestedClaim] = []
    for labels in seen.values():
        if len(labels) < 2:
            continue
        first = {a: entries[0] for a, entries in sorted(labels.items())}
        loaded = {a for a, (label, _, _) in first.items() if _is_loaded_label(label)}
        stems = [_label_stems(label) for label, _, _ in first.values()]
        distinct = len({label.lower() for label, _, _ in first.values()}) > 1
        disjoint = all(not (s & t) for i, s in enumerate(stems) for t in stems[i + 1 :])
        if not distinct or not (loaded or disjoint):
            continue
        name = max((n for _, _, n in first.values()), key=len)
        positions = [
            Position(
                article_id=articles[a].id,
                stance="asserts" if a in loaded else "reports",
                evidence=[span],
            )
            for a, (_, span, _) in first.items()
        ]
        actors = [
            _outlet_actor(articles[a], "asserts", [span])
            for a, (_, span, _) in first.items()
            if a in loaded
        ]
        described = "; ".join(
            f'{_label(articles[a])} writes "{label}"' for a, (label, _, _) in first.items()
        )
        claims.append(
            _claim(
                f"How {name} is described",
                "framing",
                actors,
                _omitted(articles, positions),
                f"{described}.",
            )
        )
    return claims


# --- one-sided ---------------------------------------------------------------------------------


def one_sided_claims(
    articles: Sequence[Article], alignment: Alignment, used: set[SentenceRef]
) -> list[ContestedClaim]:
    """Own-voice sentences with loaded language that no other source carries."""
    found: list[tuple[int, SentenceRef]] = []
    quotes = [QuoteIndex(a.text) for a in articles]
    for ref in alignment.refs():
        if ref in used or alignment.is_shared(ref):
            continue
        sentence = alignment.sentence(ref)
        own = [
            m
            for m in outlet_voice_matches(sentence.text)
            if not quotes[ref.article_index].contains(sentence.start + m[0], sentence.start + m[1])
        ]
        if not own or has_attribution(sentence.text):
            continue
        found.append((len(own), ref))
    found.sort(key=lambda x: (-x[0], x[1].article_index, x[1].sentence_index))
    claims: list[ContestedClaim] = []
    for _, ref in found[:_MAX_ONE_SIDED]:
        article = articles[ref.article_index]
        sentence = alignment.sentence(ref)
        words = neutralise(sentence.text).split()
        claim = " ".join(words[:25]) + (" ..." if len(words) > 25 else "")
        evidence = [make_span(article, sentence.start, sentence.end)]
        positions = [Position(article_id=article.id, stance="asserts", evidence=evidence)]
        claims.append(
            _claim(
                claim,
                "one_sided",
                [_outlet_actor(article, "asserts", evidence)],
                _omitted(articles, positions),
                f"Only {_label(article)} states this, in its own voice and with loaded "
                "wording; no other source carries it.",
            )
        )
    return claims


def contested_claims(articles: Sequence[Article], alignment: Alignment) -> list[ContestedClaim]:
    """Every contested claim across `articles` (none for a single article)."""
    if len(articles) < 2:
        return []
    disputed, used = disputed_claims(articles, alignment)
    return disputed + framing_claims(articles) + one_sided_claims(articles, alignment, used)


# --- summary sentences for contested points ---------------------------------------------------


def claim_summary_sentences(
    articles: Sequence[Article],
    alignment: Alignment,
    claims: list[ContestedClaim],
    *,
    max_words: int,
) -> list[SummarySentence]:
    """Attributed, supported sentences for each disputed claim, taken from its evidence.

    The evidence sentence that covers the most of the dispute (the allegation and its rejection)
    is chosen and cleaned of the outlet's loaded terms; when it names no one who makes the
    allegation, the best sentence that does is added. Each keeps its source's attribution.
    Evidence that is a piece of a longer quotation is widened to the whole quotation and its
    speaker, or passed over.
    """
    out: list[SummarySentence] = []
    used_words = 0
    position_of = {a.id: i for i, a in enumerate(articles)}
    quotations = [Quotations(a.text, alignment.sentences[i]) for i, a in enumerate(articles)]
    for claim in claims:
        if claim.kind != "disputed":
            continue
        scored: list[tuple[float, int, str, Span, bool, bool]] = []
        for position in claim.positions:
            for evidence in position.evidence:
                a = position_of[evidence.article_id]
                whole = quotations[a].whole(evidence.start, evidence.end, _MAX_QUOTED_WORDS)
                if whole is None:
                    continue
                span = make_span(articles[a], whole.start, whole.end)
                cleaned = neutralise(span.text)
                kinds = cue_kinds(cleaned)
                if has_unquoted_loaded(cleaned) or not kinds & {"allegation", "dispute"}:
                    continue
                if _PRONOUN_START.match(cleaned):
                    continue
                challengers, defenders = _actors_for_summary(sentence_actors(cleaned))
                names_allegers = bool(challengers)
                covers_allegation = names_allegers or "allegation" in kinds
                score = 2.0 * covers_allegation + 2.0 * bool(defenders) + 0.5 * names_allegers
                score -= len(cleaned.split()) / 100
                score -= 1.0 if _PRONOUN.search(cleaned) else 0.0
                scored.append((score, len(scored), cleaned, span, names_allegers, bool(defenders)))
        scored.sort(key=lambda x: (-x[0], x[1]))
        chosen = scored[:1]
        if scored and not scored[0][4]:
            chosen += [s for s in scored[1:] if s[4]][:1]
        chosen.sort(key=lambda x: (x[3].article_id, x[3].start))
        for _, _, cleaned, span, _, _ in chosen:
            n = len(cleaned.split())
            if used_words + n > max_words:
                continue
            used_words += n
            text = cleaned
            if not gives_a_holder(text):  # a verdict in one outlet's voice stays that outlet's
                article = articles[position_of[span.article_id]]
                text = according_to(article.outlet or article.id, text)
            out.append(SummarySentence(text=text, support=[span]))
    return out
