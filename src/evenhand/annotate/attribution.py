"""Who said what: the attribution layer of an annotated document.

An attribution is a source (who), a cue (said, denied, according to, accused ... of, believes) and
a content (what), each with character offsets into the document's text. The shipped attribution
tagger (`attribution_tagger`, trained on PolNeAR) finds the spans of each role; the dependency
parse links them: a cue takes the content its verb governs (else the nearest content beside it)
and the source that is its subject (else the nearest source in its sentence outside that
content). A source that is a pronoun or a title ("she", "the president") is resolved to the
person named before it (or to the person in apposition after a title); a name is resolved to
the document's usual full form ("Lukashenko" -> "Alexander Lukashenko"). A content stops before
the outlet's own verdict on evidence (", without providing any evidence": the verdict cues are
the one list in `annotate/cues.py`).

Text that no attribution's content covers is in the outlet's own voice: `attribution_at` returns
None for it.

    doc = annotate(article.text)
    for a in attributions(doc):
        print(a.actor, doc.text[a.cue[0]:a.cue[1]], doc.text[a.content[0]:a.content[1]])
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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


def _words_in(doc: AnnotatedDoc, span: Range) -> list[Token]:
    return [t for t in doc.tokens_in(*span) if t.is_word or t.pos == "PUNCT"]


def _head(doc: AnnotatedDoc, span: Range) -> Token | None:
    """The token of `span` whose syntactic head lies outside it (its root), if any."""
    tokens = [t for t in doc.tokens_in(*span) if t.is_word]
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.head not in inside or t.head == t.i:
            return t
    return tokens[0] if tokens else None


def _governed(doc: AnnotatedDoc, verb: Token, deps: frozenset[str]) -> list[Token]:
    """The tokens hanging from `verb` with one of `deps` (directly, or through a preposition)."""
    out: list[Token] = []
    for c in doc.children.get(verb.i, ()):
        child = doc.tokens[c]
        if child.dep in deps and c != verb.i:
            out.append(child)
        if child.dep in {"prep", "agent"}:
            out += [doc.tokens[g] for g in doc.children.get(c, ()) if doc.tokens[g].dep in deps]
    return out


def _governs(governed: list[Token], span: Range) -> bool:
    """Whether some token of `governed` (see `_governed`) overlaps `span`."""
    return any(t.end > span[0] and t.start < span[1] for t in governed)


def _attachment(doc: AnnotatedDoc, cue: Range) -> Token | None:
    """The word the cue hangs from, when the cue is not its sentence's root ("According to X,
    <content>": "According" modifies the content's verb; "<content>, she said": "said" may
    modify the quoted verb). A content span holding that word is attached to the cue."""
    root = _head(doc, cue)
    if root is None or root.head == root.i:
        return None
    return doc.tokens[root.head]


def _holds(span: Range, token: Token | None) -> bool:
    return token is not None and span[0] <= token.start and token.end <= span[1]


class _Spans:
    """Role spans with a start-ordered index, to find those near a cue without reading them all
    (linking was quadratic in article length)."""

    def __init__(self, spans: list[RoleSpan]) -> None:
        self.spans = spans
        self._order = sorted(range(len(spans)), key=lambda k: spans[k].start)
        self._starts = [spans[k].start for k in self._order]
        self._longest = max((sp.end - sp.start for sp in spans), default=0)

    def reaching(self, lo: int, hi: int) -> list[RoleSpan]:
        """Every span that overlaps or touches `lo`..`hi`, in the order they were given."""
        first = bisect_left(self._starts, lo - self._longest)
        last = bisect_right(self._starts, hi)
        near = sorted(k for k in self._order[first:last] if self.spans[k].end >= lo)
        return [self.spans[k] for k in near]


def _window(lo: int, hi: int, tokens: list[Token | None]) -> Range:
    """`lo`..`hi` widened to hold every given token."""
    for t in tokens:
        if t is not None:
            lo, hi = min(lo, t.start), max(hi, t.end)
    return lo, hi


def _subtree(doc: AnnotatedDoc, token: Token) -> Range:
    """The character extent of `token` and every word that depends on it, in its sentence."""
    sentence = doc.sentences[token.sentence]
    lo, hi = token.start, token.end
    for t in doc.tokens[sentence.first : sentence.last]:
        k, steps = t, 0
        while k.i not in (token.i, k.head) and steps < 64:
            k, steps = doc.tokens[k.head], steps + 1
        if k.i == token.i and not t.is_space:
            lo, hi = min(lo, t.start), max(hi, t.end)
    return lo, hi


def _widen(doc: AnnotatedDoc, cue: Range, content: RoleSpan) -> RoleSpan:
    """The content widened to the whole clause the cue's verb governs ("said that <clause>"),
    where the tagger marked only part of it; quotations are kept as marked."""
    verb = _head(doc, cue)
    if verb is None or _quoted(doc.text, content.start, content.end):
        return content
    for t in doc.tokens_in(content.start, content.end):
        if t.head == verb.i and t.dep in {"ccomp", "xcomp"}:
            lo, hi = _subtree(doc, t)
            if lo >= cue[1] and not doc.in_quote(lo, hi):
                while hi > lo and doc.text[hi - 1] in ".,;: ":
                    hi -= 1
                return RoleSpan(
                    content.role, min(lo, content.start), max(hi, content.end), content.confidence
                )
    return content


def _complete_source(doc: AnnotatedDoc, span: RoleSpan) -> RoleSpan:
    """A source the tagger cut short ("The" of "The president") runs on to its noun."""
    root = _head(doc, (span.start, span.end))
    if root is None or root.pos not in {"DET", "ADJ", "NUM"} or root.head == root.i:
        return span
    noun = doc.tokens[root.head]
    if noun.pos in {"NOUN", "PROPN"} and noun.start >= span.end and noun.i - root.i <= 4:
        return RoleSpan(span.role, span.start, noun.end, span.confidence)
    return span


def _merge(doc: AnnotatedDoc, spans: list[RoleSpan]) -> list[RoleSpan]:
    """Join spans of one role that only spaces separate (a cue "has" + "rejected"); a line break
    keeps two quotations apart."""
    out: list[RoleSpan] = []
    for span in sorted(spans, key=lambda s: (s.role, s.start)):
        last = out[-1] if out else None
        if (
            last is not None
            and last.role == span.role
            and last.end <= span.start
            and not doc.text[last.end : span.start].strip(" ")
        ):
            out[-1] = RoleSpan(
                span.role, last.start, span.end, (last.confidence + span.confidence) / 2
            )
        else:
            out.append(span)
    return out


# A cue's last words that belong to what follows ("said on Tuesday", "said in a statement"),
# except the "to" of "according to".
_CUE_TAIL_POS = frozenset({"ADP", "DET", "ADV", "PART", "PUNCT", "CCONJ", "SCONJ", "NUM"})
# A cue made only of these is noise ("to", "a").
_NOT_CUE_POS = _CUE_TAIL_POS | frozenset({"PRON", "PROPN", "SPACE", "X", "SYM"})


def _trim_cue(doc: AnnotatedDoc, span: RoleSpan) -> RoleSpan | None:
    tokens = [t for t in doc.tokens_in(span.start, span.end) if not t.is_space]
    while len(tokens) > 1 and tokens[-1].pos in _CUE_TAIL_POS:
        if tokens[-1].text.lower() == "to" and tokens[-2].text.lower() == "according":
            break
        tokens.pop()
    if not tokens or all(t.pos in _NOT_CUE_POS for t in tokens):
        return None
    return RoleSpan(span.role, tokens[0].start, tokens[-1].end, span.confidence)


def _trim_content(doc: AnnotatedDoc, span: RoleSpan) -> RoleSpan | None:
    """A content without the outlet's own verdict tacked on (", without providing any
    evidence") and without a dangling comma or conjunction at its end."""
    from .cues import find_cues

    start, end = span.start, span.end
    text = doc.text[start:end]
    if not _quoted(doc.text, start, end):
        for cue in find_cues(text):
            before = text[: cue.start].rstrip()
            if cue.kind == "unsupported" and before.endswith(","):
                end = start + len(before)
                break
    tokens = [t for t in doc.tokens_in(start, end) if not t.is_space]
    while (
        tokens
        and (
            tokens[-1].pos == "CCONJ"
            or tokens[-1].text in {",", ";", ":", "—"}
            # an opening quotation mark left at the end, the quotation itself outside
            or (
                tokens[-1].text in {'"', "“"}
                and doc.text[tokens[-1].start - 1 : tokens[-1].start].isspace()
            )
        )
    ):
        tokens.pop()
    while tokens and tokens[0].text in {",", ";", ":", "—"}:
        tokens.pop(0)
    if not tokens:
        return None
    return RoleSpan(span.role, tokens[0].start, min(tokens[-1].end, end), span.confidence)


def _content_for(
    doc: AnnotatedDoc, cue: RoleSpan, contents: _Spans
) -> tuple[RoleSpan, bool] | None:
    """The content a cue introduces, and whether the parse links the two."""
    cue_range = (cue.start, cue.end)
    verb = _head(doc, cue_range)
    governed = _governed(doc, verb, _CONTENT_DEPS) if verb is not None else []
    parent = _attachment(doc, cue_range)
    sentence = doc.sentence_at(cue.start)
    # Only spans within `_MAX_GAP` of the cue, or holding a word the parse ties to it, qualify.
    window = _window(cue.start - _MAX_GAP, cue.end + _MAX_GAP, [*governed, parent])
    best: tuple[float, RoleSpan, bool] | None = None
    for c in contents.reaching(*window):
        span = (c.start, c.end)
        if span[0] <= cue.start and cue.end <= span[1]:
            continue  # an outer content holding this cue belongs to another attribution
        gap = _gap(cue_range, span)
        linked = _governs(governed, span) or _holds(span, parent)
        if gap > _MAX_GAP and not linked:
            continue
        elsewhere = sentence is not None and not (_overlaps(span, (sentence.start, sentence.end)))
        score = gap - (1000 if linked else 0) + (200 if elsewhere else 0)
        if best is None or score < best[0]:
            best = (score, c, linked)
    return (best[1], best[2]) if best else None


def _source_for(
    doc: AnnotatedDoc, cue: RoleSpan, content: RoleSpan, sources: _Spans
) -> RoleSpan | None:
    verb = _head(doc, (cue.start, cue.end))
    governed = _governed(doc, verb, _SUBJECT_DEPS) if verb is not None else []
    sentence = doc.sentence_at(cue.start)
    # Only a span the parse ties to the cue, or one starting in the cue's sentence, qualifies.
    lo, hi = (sentence.start, sentence.end) if sentence is not None else (cue.start, cue.end)
    best: tuple[float, RoleSpan] | None = None
    for s in sources.reaching(*_window(lo, hi, list(governed))):
        span = (s.start, s.end)
        if _overlaps(span, (content.start, content.end)) or _overlaps(span, (cue.start, cue.end)):
            continue
        linked = _governs(governed, span)
        same_sentence = sentence is not None and sentence.start <= s.start < sentence.end
        if not linked and not same_sentence:
            continue
        score = _gap((cue.start, cue.end), span) - (1000 if linked else 0)
        if best is None or score < best[0]:
            best = (score, s)
    return best[1] if best else None


class _Names:
    """A document's entities indexed for resolving who a source is (built once per document:
    scanning every entity for every source was quadratic in article length). spaCy's entities
    are in text order and never overlap, so their starts and ends both ascend."""

    def __init__(self, doc: AnnotatedDoc) -> None:
        self.entities = doc.entities
        self.starts = [e.start for e in doc.entities]
        self.people = [e for e in doc.entities if e.label == "PERSON"]
        self.people_ends = [e.end for e in self.people]
        places = {e.text for e in doc.entities if e.label in {"GPE", "NORP", "ORG"}}
        self.by_surname: dict[str, list[list[str]]] = {}
        for e in self.people:
            words = _bare_name(e.text, places)
            if words:
                self.by_surname.setdefault(words[-1], []).append(words)
        self.places = places

    @classmethod
    def of(cls, doc: AnnotatedDoc) -> _Names:
        names = doc.layers.get(_NAMES_LAYER)
        if not isinstance(names, _Names):
            names = doc.layers[_NAMES_LAYER] = cls(doc)
        return names

    def inside(self, span: Range) -> list[Entity]:
        """The entities lying wholly within `span`."""
        out: list[Entity] = []
        for k in range(bisect_left(self.starts, span[0]), len(self.entities)):
            e = self.entities[k]
            if e.start >= span[1]:
                break
            if e.end <= span[1]:
                out.append(e)
        return out

    def person_before(self, pos: int) -> Entity | None:
        """The last person named before `pos`."""
        k = bisect_right(self.people_ends, pos)
        return self.people[k - 1] if k else None


_NAMES_LAYER = "attribution:names"


def _possessive(doc: AnnotatedDoc, entity: Entity) -> bool:
    after = doc.text[entity.end : entity.end + 2]
    return entity.text.endswith(("'s", "’s")) or after in {"'s", "’s"}


def _bare_name(text: str, places: set[str]) -> list[str]:
    """The words of a person's name without a place named before it: "Belarus Alexander
    Lukashenko" (of "president of Belarus Alexander Lukashenko") is "Alexander Lukashenko" when
    "Belarus" is named as a place elsewhere in the text."""
    words = _clean(text).split()
    while len(words) > 2 and words[0] in places:
        words = words[1:]
    return words


def _fullest_name(doc: AnnotatedDoc, entity: Entity) -> str:
    """The document's usual full form of a person's name: the shortest mention of two words or
    more ending in the same surname ("Tsikhanouskaya" -> "Sviatlana Tsikhanouskaya"; not
    "Belarus Alexander Lukashenko" where "Alexander Lukashenko" also occurs)."""
    names = _Names.of(doc)
    words = _bare_name(entity.text, names.places)
    if not words:
        return entity.text
    full = [" ".join(n) for n in names.by_surname.get(words[-1], []) if len(n) >= 2]
    return min(full, key=lambda n: (len(n.split()), n)) if full else " ".join(words)


def _clean(text: str) -> str:
    words = text.strip(" ,.;:\n\t").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    name = " ".join(words)
    return name.removesuffix("’s").removesuffix("'s")


def _person_after(doc: AnnotatedDoc, source: Range) -> Entity | None:
    """A person named in apposition right after a title ("the Ukrainian President, Volodymyr
    Zelensky")."""
    names = _Names.of(doc)
    for k in range(bisect_left(names.starts, source[1]), len(names.entities)):
        e = names.entities[k]
        if e.start - source[1] > 3:
            break
        gap = doc.text[source[1] : e.start]
        if e.label == "PERSON" and not gap.strip(" ,"):
            return e
    return None


def resolve(
    doc: AnnotatedDoc, source: Range, earlier: list[Attribution]
) -> tuple[str | None, ActorKind]:
    """Who a source mention refers to, and what kind of actor that is."""
    text = doc.text[source[0] : source[1]]
    words = [t for t in doc.tokens_in(*source) if t.is_word]
    lowered = [t.text.lower() for t in words]
    head = lowered[-1] if lowered else ""
    inside = _Names.of(doc).inside(source)
    people = [e for e in inside if e.label == "PERSON" and not _possessive(doc, e)]
    if people:
        return _fullest_name(doc, people[-1]), "person"
    if head in TITLES:
        after = _person_after(doc, source)
        if after is not None:
            return _fullest_name(doc, after), "person"
    named = [e for e in inside if e.label in _ENTITY_KIND and not _possessive(doc, e)]
    if named and head not in TITLES:
        entity = named[-1]
        if head in GOVERNMENT_NOUNS:
            return _clean(text), "government"
        return _clean(entity.text), _ENTITY_KIND[entity.label]
    if len(lowered) == 1 and lowered[0] in PERSON_PRONOUNS:
        before = _Names.of(doc).person_before(source[0])
        if before is not None:
            return _fullest_name(doc, before), "person"
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
    if head in TITLES:
        before = _Names.of(doc).person_before(source[0])
        if before is not None:
            return _fullest_name(doc, before), "person"
        return _clean(text), "person"
    if head in GOVERNMENT_NOUNS:
        return _clean(text), "government"
    if head in ORGANISATION_NOUNS:
        return _clean(text), "organisation"
    return (_clean(text) or None), "other"


def link(doc: AnnotatedDoc, spans: list[RoleSpan]) -> list[Attribution]:
    """Tie the tagger's role spans into attributions (cue -> content, cue -> source)."""
    spans = _merge(doc, spans)
    cues = [c for s in spans if s.role == "cue" and (c := _trim_cue(doc, s)) is not None]
    contents = [c for s in spans if s.role == "content" and (c := _trim_content(doc, s))]
    sources = [_complete_source(doc, s) for s in spans if s.role == "source"]
    chosen: dict[Range, tuple[tuple[bool, bool, float], Attribution]] = {}
    found: list[Attribution] = []
    near_contents, near_sources = _Spans(contents), _Spans(sources)
    for cue in sorted(cues, key=lambda s: s.start):
        pick = _content_for(doc, cue, near_contents)
        if pick is None:
            continue
        content, linked = pick
        content = _trim_content(doc, _widen(doc, (cue.start, cue.end), content)) or content
        source = _source_for(doc, cue, content, near_sources)
        source_range = (source.start, source.end) if source else None
        actor, kind = resolve(doc, source_range, found) if source_range else (None, "other")
        parts = [cue.confidence, content.confidence] + ([source.confidence] if source else [])
        attribution = Attribution(
            source=source_range,
            cue=(cue.start, cue.end),
            content=(content.start, content.end),
            actor=actor,
            actor_kind=kind,
            direct=doc.in_quote(content.start, content.end)
            or _quoted(doc.text, content.start, content.end),
            confidence=sum(parts) / len(parts),
        )
        found.append(attribution)
        # One attribution per content: the cue the parse links to it, with a source, wins
        # ("He said this at a meeting" does not take over the sentence before it).
        rank = (linked, source is not None, attribution.confidence)
        key = attribution.content
        if key not in chosen or chosen[key][0] < rank:
            chosen[key] = (rank, attribution)
    kept = {id(a) for _, a in chosen.values()}
    return [a for a in found if id(a) in kept]


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
