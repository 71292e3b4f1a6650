"""Who said what: the attribution layer of an annotated document.

An attribution is a source (who), a cue (said, denied, according to, accused ... of, believes) and
a content (what), each with character offsets into the document's text. The shipped attribution
tagger (`attribution_tagger`, trained on PolNeAR) finds the spans of each role; the dependency
parse links them: a cue takes the content its verb governs (else the nearest content beside it)
and the source that is its subject (else the nearest source in its sentence outside that
content). A source that is a pronoun or a title ("she", "the president") is resolved to the
person named before it; a name is resolved to its fullest form in the document.

Text that no attribution's content covers is in the outlet's own voice: `attribution_at` returns
None for it.

    doc = annotate(article.text)
    for a in attributions(doc):
        print(a.actor, doc.text[a.cue[0]:a.cue[1]], doc.text[a.content[0]:a.content[1]])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .attribution_tagger import MODEL_DIR, RoleSpan, load_attribution_tagger
from .document import AnnotatedDoc, Entity, Token

ActorKind = Literal["person", "organisation", "government", "group", "other"]
Range = tuple[int, int]

_LAYER = "attributions"
# How far (characters) a content may sit from its cue when the parse does not link them: a
# quotation before "..., she said." or a clause after "said that".
_MAX_GAP = 160
# Dependency labels by which a cue's verb governs what was said.
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "pobj", "prep", "advcl", "parataxis", "conj"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "pobj"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Word lists of the layer, in one place.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
GROUP_PRONOUNS = frozenset({"they", "them", "their"})
SPEAKER_PRONOUNS = frozenset({"i", "we", "me", "us", "my", "our"})
# A source whose head noun is one of these refers to a person named earlier ("the president").
TITLES = _words(
    """
    president candidate senator governor minister leader spokesman spokeswoman spokesperson
    secretary chairman chairwoman chair director congressman congresswoman representative
    nominee mayor ambassador chief official aide adviser advisor premier chancellor king queen
    prime general commander founder ceo judge attorney lawyer businessman billionaire
    """
)
# A source whose head noun is one of these is a government; one naming a body, an organisation.
GOVERNMENT_NOUNS = _words(
    """government governments ministry authorities administration kremlin officials state
    states regime cabinet"""
)
ORGANISATION_NOUNS = _words(
    """commission committee campaign party court police agency office council union company
    organisation organization group spokesperson parliament congress senate"""
)
_ENTITY_KIND: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "government",
    "NORP": "group",
}
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})


@dataclass(frozen=True)
class Attribution:
    """One attribution in a document; offsets index into the document's text."""

    source: Range | None  # the source mention; None when the text names none
    cue: Range
    content: Range
    actor: str | None  # the source resolved: a full name, or the source's words; None if none
    actor_kind: ActorKind
    direct: bool  # the content is a direct quotation
    confidence: float  # mean of the three spans' tagger confidences

    def covers(self, start: int, end: int) -> bool:
        return self.content[0] <= start and end <= self.content[1]


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gap(a: Range, b: Range) -> int:
    if _overlaps(a, b):
        return 0
    return b[0] - a[1] if a[1] <= b[0] else a[0] - b[1]


def _head(doc: AnnotatedDoc, span: Range) -> Token | None:
    """The token of `span` whose syntactic head lies outside it (its root), if any."""
    tokens = [t for t in doc.tokens_in(*span) if t.is_word]
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.head not in inside or t.head == t.i:
            return t
    return tokens[0] if tokens else None


def _governs(doc: AnnotatedDoc, verb: Token, span: Range, deps: frozenset[str]) -> bool:
    """Whether some token of `span` hangs from `verb` (directly, or through one preposition)."""
    for t in doc.tokens_in(*span):
        if t.head == verb.i and t.dep in deps and t.i != verb.i:
            return True
        parent = doc.tokens[t.head]
        if parent.head == verb.i and parent.dep in {"prep", "agent"} and t.dep in deps:
            return True
    return False


def _content_for(doc: AnnotatedDoc, cue: RoleSpan, contents: list[RoleSpan]) -> RoleSpan | None:
    verb = _head(doc, (cue.start, cue.end))
    best: tuple[float, RoleSpan] | None = None
    for c in contents:
        span = (c.start, c.end)
        if span[0] <= cue.start and cue.end <= span[1] and span != (cue.start, cue.end):
            continue  # an outer content holding this cue belongs to another attribution
        gap = _gap((cue.start, cue.end), span)
        linked = verb is not None and _governs(doc, verb, span, _CONTENT_DEPS)
        if gap > _MAX_GAP and not linked:
            continue
        score = gap - (1000 if linked else 0)
        if best is None or score < best[0]:
            best = (score, c)
    return best[1] if best else None


def _source_for(
    doc: AnnotatedDoc, cue: RoleSpan, content: RoleSpan, sources: list[RoleSpan]
) -> RoleSpan | None:
    verb = _head(doc, (cue.start, cue.end))
    sentence = doc.sentence_at(cue.start)
    best: tuple[float, RoleSpan] | None = None
    for s in sources:
        span = (s.start, s.end)
        if _overlaps(span, (content.start, content.end)) or _overlaps(span, (cue.start, cue.end)):
            continue
        linked = verb is not None and _governs(doc, verb, span, _SUBJECT_DEPS)
        same_sentence = sentence is not None and sentence.start <= s.start < sentence.end
        if not linked and not same_sentence:
            continue
        score = _gap((cue.start, cue.end), span) - (1000 if linked else 0)
        if best is None or score < best[0]:
            best = (score, s)
    return best[1] if best else None


def _entities_before(doc: AnnotatedDoc, pos: int, labels: frozenset[str]) -> list[Entity]:
    return [e for e in doc.entities if e.end <= pos and e.label in labels]


def _fullest_name(doc: AnnotatedDoc, entity: Entity) -> str:
    """The longest PERSON mention in the document ending in the same word ("Tsikhanouskaya" ->
    "Sviatlana Tsikhanouskaya")."""
    last = entity.text.split()[-1] if entity.text.split() else entity.text
    names = [e.text for e in doc.entities if e.label == "PERSON" and e.text.split()[-1:] == [last]]
    return max(names, key=len) if names else entity.text


def _clean(text: str) -> str:
    words = text.strip(" ,.;:\n\t").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    name = " ".join(words)
    return name.removesuffix("’s").removesuffix("'s")


def resolve(
    doc: AnnotatedDoc, source: Range, earlier: list[Attribution]
) -> tuple[str | None, ActorKind]:
    """Who a source mention refers to, and what kind of actor that is."""
    text = doc.text[source[0] : source[1]]
    words = [t for t in doc.tokens_in(*source) if t.is_word]
    lowered = [t.text.lower() for t in words]
    inside = [e for e in doc.entities if source[0] <= e.start and e.end <= source[1]]
    named = [e for e in inside if e.label in _ENTITY_KIND]
    if named:
        entity = max(named, key=lambda e: e.end - e.start)
        kind = _ENTITY_KIND[entity.label]
        if entity.label == "PERSON":
            return _fullest_name(doc, entity), kind
        head = lowered[-1] if lowered else ""
        if head in GOVERNMENT_NOUNS:
            return _clean(text), "government"
        return _clean(entity.text), kind
    if len(lowered) == 1 and lowered[0] in PERSON_PRONOUNS:
        people = _entities_before(doc, source[0], frozenset({"PERSON"}))
        if people:
            return _fullest_name(doc, people[-1]), "person"
        return None, "person"
    if len(lowered) == 1 and lowered[0] in GROUP_PRONOUNS:
        for a in reversed(earlier):
            if a.actor and a.actor_kind != "person":
                return a.actor, a.actor_kind
        return None, "group"
    if len(lowered) == 1 and lowered[0] in SPEAKER_PRONOUNS:
        outer = [a for a in earlier if a.covers(*source)]
        if outer:
            return outer[-1].actor, outer[-1].actor_kind
        return None, "other"
    head = lowered[-1] if lowered else ""
    if head in TITLES:
        people = _entities_before(doc, source[0], frozenset({"PERSON"}))
        if people:
            return _fullest_name(doc, people[-1]), "person"
        return _clean(text), "person"
    if head in GOVERNMENT_NOUNS:
        return _clean(text), "government"
    if head in ORGANISATION_NOUNS:
        return _clean(text), "organisation"
    return (_clean(text) or None), "other"


def link(doc: AnnotatedDoc, spans: list[RoleSpan]) -> list[Attribution]:
    """Tie the tagger's role spans into attributions (cue -> content, cue -> source)."""
    cues = sorted((s for s in spans if s.role == "cue"), key=lambda s: s.start)
    contents = [s for s in spans if s.role == "content"]
    sources = [s for s in spans if s.role == "source"]
    found: list[Attribution] = []
    for cue in cues:
        content = _content_for(doc, cue, contents)
        if content is None:
            continue
        source = _source_for(doc, cue, content, sources)
        source_range = (source.start, source.end) if source else None
        actor, kind = resolve(doc, source_range, found) if source_range else (None, "other")
        parts = [cue.confidence, content.confidence] + ([source.confidence] if source else [])
        found.append(
            Attribution(
                source=source_range,
                cue=(cue.start, cue.end),
                content=(content.start, content.end),
                actor=actor,
                actor_kind=kind,
                direct=doc.in_quote(content.start, content.end)
                or _quoted(doc.text, content.start, content.end),
                confidence=sum(parts) / len(parts),
            )
        )
    return found


def _quoted(text: str, start: int, end: int) -> bool:
    inner = text[start:end].strip()
    return len(inner) > 1 and inner[0] in '"“' and inner[-1] in '"”'


def attributions(doc: AnnotatedDoc, model_dir: Path = MODEL_DIR) -> list[Attribution]:
    """Every attribution in `doc`, in text order of their cues (computed once per document)."""
    key = f"{_LAYER}:{model_dir}"
    cached = doc.layers.get(key)
    if cached is None:
        spans = load_attribution_tagger(model_dir).spans(doc)
        cached = link(doc, spans)
        doc.layers[key] = cached
    result: list[Attribution] = cached
    return result


def attribution_at(
    doc: AnnotatedDoc, start: int, end: int, model_dir: Path = MODEL_DIR
) -> Attribution | None:
    """The innermost attribution whose content covers `start:end`; None: the outlet's own voice."""
    covering = [a for a in attributions(doc, model_dir) if a.covers(start, end)]
    if not covering:
        return None
    return min(covering, key=lambda a: a.content[1] - a.content[0])
