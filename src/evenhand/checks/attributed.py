"""Which stretches of a checked text are someone's reported words, not the text's own voice.

`loaded_leak` and `unattributed_contested` read this: a loaded word or a contested claim inside
what a source is reported to say or believe ("Western governments say the vote was rigged") is
attributed, and the text does not assert it. The answer comes from the annotation layer's
attributions (`evenhand.annotate.attribution`: source, cue, content); where that layer's model is
not installed, from the dependency parse: the clause a speech or belief verb governs ("say",
"alleged", "believes"), and a sentence that opens with "according to".
"""

from __future__ import annotations

from ..annotate import AnnotatedDoc
from ..errors import ModelUnavailableError
from .words import is_attribution_word

Range = tuple[int, int]
_LAYER = "checks:attributed"
# Dependencies by which a speech or belief verb governs what was said.
_SAID = frozenset({"ccomp", "xcomp", "parataxis"})


def attributed_spans(doc: AnnotatedDoc) -> list[Range]:
    """Character ranges of `doc` that are attributed content (computed once per document)."""
    cached = doc.layers.get(_LAYER)
    if cached is None:
        cached = _from_layer(doc)
        if cached is None:
            cached = _from_parse(doc)
        doc.layers[_LAYER] = cached
    spans: list[Range] = cached
    return spans


def is_attributed(doc: AnnotatedDoc, start: int, end: int) -> bool:
    """Whether `doc.text[start:end]` lies inside attributed content."""
    return any(s <= start and end <= e for s, e in attributed_spans(doc))


def cue_spans(doc: AnnotatedDoc) -> list[Range] | None:
    """The attribution layer's sources and cues ("Western governments", "say"), or None when the
    layer's model is not installed."""
    try:
        from ..annotate.attribution import attributions

        found = attributions(doc)
    except (ModelUnavailableError, ImportError):
        return None
    out: list[Range] = []
    for a in found:
        out.append(a.cue)
        if a.source is not None:
            out.append(a.source)
    return out


def _from_layer(doc: AnnotatedDoc) -> list[Range] | None:
    try:
        from ..annotate.attribution import attributions

        return [a.content for a in attributions(doc)]
    except (ModelUnavailableError, ImportError):
        return None


def _from_parse(doc: AnnotatedDoc) -> list[Range]:
    """Attributed content by the parse: what a speech or belief verb governs as its clause."""
    spans: list[Range] = []
    for sentence in doc.sentences:
        tokens = doc.sentence_tokens(sentence)
        words = [t for t in tokens if t.is_word]
        if (
            len(words) > 2
            and words[0].text.lower() == "according"
            and words[1].text.lower() == "to"
            and "," in sentence.text
        ):
            comma = sentence.start + sentence.text.index(",")
            spans.append((comma + 1, sentence.end))
        for verb in tokens:
            if verb.pos not in {"VERB", "AUX"} or not (
                is_attribution_word(verb.text) or is_attribution_word(verb.lemma)
            ):
                continue
            for child in tokens:
                if child.head != verb.i or child.i == verb.i or child.dep not in _SAID:
                    continue
                below = _subtree(doc, child.i, tokens[0].i, tokens[-1].i + 1)
                spans.append((doc.tokens[min(below)].start, doc.tokens[max(below)].end))
    return spans


def _subtree(doc: AnnotatedDoc, root: int, first: int, last: int) -> set[int]:
    """Token indices of `root`'s subtree within one sentence (`first`..`last`)."""
    inside = {root}
    grew = True
    while grew:
        grew = False
        for i in range(first, last):
            if i not in inside and doc.tokens[i].head in inside and doc.tokens[i].head != i:
                inside.add(i)
                grew = True
    return inside
