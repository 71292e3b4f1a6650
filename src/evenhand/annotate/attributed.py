"""Which stretches of a text are someone's reported words, not the text's own voice.

The checks `loaded_leak`, `unattributed_contested` and `one_source`, and the offline summary, read
this: a loaded word or a contested claim inside
what a source is reported to say or believe ("Western governments say the vote was rigged") is
attributed, and the text does not assert it. The answer comes from the annotation layer's
attributions (`evenhand.annotate.attribution`: source, cue, content); where that layer's model is
not installed, from the dependency parse: the clause a speech or belief verb governs ("say",
"alleged", "believes"), and a sentence that opens with "according to".
"""

from __future__ import annotations

from ..errors import ModelUnavailableError
from .document import AnnotatedDoc, annotate


def _word_list(words: str) -> list[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return words.split()


# Words by which a text says who holds a statement ("X said", "according to", "claims").
ATTRIBUTION_WORDS = frozenset(
    _word_list(
        """according accuse accused accuses accusing acknowledged acknowledges added adds
    admitted admits alleged allegedly alleges allegation allegations announced announces
    argued argues asserted asserts assured assures blamed blames charged claimed claims
    claim clarified comment commented complained conceded concluded confirmed confirms
    contended contends countered criticized criticizes declared declares defended defends
    denied denies deny described describes disputed disputes dismissed dismisses explained
    explains insisted insists maintained maintains noted predicted promised rejected
    rejects replied replies reported reportedly reports responded responds said say says
    stated suggested suggests testified told tells tweeted urged urges vowed vows warned
    warns wrote writes called calls calling believes believed thinks thought considered
    considers sees saw argue argument statement statements accusation accusations denial
    denials assertion interview remarks remark contention asked asks asking announce
    argued believe accuse allege assert contend insist maintain dispute reject tell warn
    write note blame predict promise suggest testify vow urge explain written quoted quotes
    quoting add"""
    )
)


def is_attribution_word(word: str) -> bool:
    return word.lower().replace("’", "'") in ATTRIBUTION_WORDS


Range = tuple[int, int]
_LAYER = "attributed"
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


def gives_a_holder(sentence: str) -> bool:
    """Whether a sentence, read alone, gives someone as the source of any of what it says: the
    attribution layer finds a source, cue or content in it, or a speech or belief verb or
    "according to" stands in it.

    Deliberately lenient (a sentence that names a holder anywhere counts): the offline summary
    asks it before giving a one-outlet point as its outlet's, and the `one_source` check asks it
    of every summary sentence that one source alone backs; `unattributed_contested` reads what
    exactly is attributed.
    """
    doc = annotate(sentence)
    reported = attributed_spans(doc) + (cue_spans(doc) or [])
    if reported:
        return True
    words = [t for t in doc.tokens if t.is_word]
    for t, after in zip(words, [*words[1:], None], strict=True):
        if t.pos in {"VERB", "AUX"} and (
            is_attribution_word(t.text) or is_attribution_word(t.lemma)
        ):
            return True
        if t.text.lower() == "according" and after is not None and after.text.lower() == "to":
            return True
    return False
