"""Rewriting a source sentence without the outlet's loaded terms.

Each loaded term in the outlet's own voice is replaced by its neutral alternative or, when there is
none, removed together with the punctuation that only served it. Quoted speech is left as it is: it
is the speaker's wording, attributed by the quote marks.
"""

from __future__ import annotations

import re

from ..annotate import annotate
from ..lexicon import find_loaded
from ..text import QuoteIndex
from .entities import name_mentions
from .loaded import is_attributed


def _match_case(replacement: str, original: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    # Discourse links to sentences left behind no longer connect to anything.
    text = re.sub(r"^(?:However|Meanwhile|Moreover|Still|But|And|Also),\s+", "", text)
    text = re.sub(r",\s+(?:however|meanwhile|though),", "", text)
    # "His rival, Jane Roe, said ..." -> "Jane Roe said ...": the pronoun has lost its referent.
    text = re.sub(r"^(?:His|Her|Their|Its)\s+[^,]{1,60},\s+([A-Z][^,]{1,60}),\s+", r"\1 ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])\1+", r"\1", text)
    text = re.sub(r"\b(a)\s+(?=[aeiouAEIOU])", r"\1n ", text)
    text = re.sub(r"\b(an)\s+(?=[^aeiouAEIOU\W])", "a ", text)
    text = text.strip(" ,;:")
    return text[:1].upper() + text[1:]


def outlet_voice_matches(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, neutral alternative) of each loaded term outside quotes and attribution."""
    quotes = QuoteIndex(text)
    return [
        (m.start, m.end, m.entry.neutral_alternative)
        for m in find_loaded(text)
        if not quotes.contains(m.start, m.end) and not is_attributed(text, m)
    ]


def _labels(text: str, within: tuple[str, int] | None) -> list[tuple[int, int]]:
    """(start, end) of the label before each name in `text`, offsets into `text`.

    With `within` (the article's text and where `text` starts in it), names are read from the
    article's annotated document, which is parsed once and cached, instead of parsing the
    sentence on its own.
    """
    if within is None:
        return [(m.label_start, m.start) for m in name_mentions(text) if m.label]
    article, offset = within
    end = offset + len(text)
    return [
        (m.label_start - offset, m.start - offset)
        for m in name_mentions(article, annotate(article))
        if m.label and offset <= m.label_start and m.end <= end
    ]


def neutralise(text: str, within: tuple[str, int] | None = None) -> str:
    """`text` with every outlet-voice loaded term replaced by its alternative or removed.

    A loaded label in front of a name ("self-proclaimed president of X Jane Roe") goes with the
    title words it qualifies, leaving the bare name. `within` gives the article `text` comes from
    and its offset there, when known (see `_labels`).
    """
    matches = outlet_voice_matches(text)
    if not matches:
        return drop_attributed_verdicts(_tidy(text))
    # Labels before names need the text's annotated document: parsed only when a term is found.
    labels = _labels(text, within)
    regions = QuoteIndex(text).regions
    out: list[str] = []
    pos = 0
    for start, end, alternative in matches:
        if start < pos or any(s < end and start < e for s, e in regions):
            # A term that runs across a quote mark ('to "beat up" on') is left whole: rewriting
            # it would take the mark with it. The summary refuses such a sentence anyway.
            continue
        label = next((lab for lab in labels if lab[0] <= start < lab[1]), None)
        if alternative is None and label is None and not _removable(text, start, end):
            # Cutting it would break the sentence ("the count was rigged, a claim" -> "the
            # count was, a claim"): it stays, and the summary passes the sentence over.
            continue
        out.append(text[pos:start])
        if alternative is None and label is not None:
            pos = label[1]
            continue
        if alternative is not None:
            out.append(_match_case(alternative, text[start:end]))
        pos = end
    out.append(text[pos:])
    return drop_attributed_verdicts(_tidy("".join(out)))


_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your)\s+$", re.IGNORECASE
)
_WORD_AFTER = re.compile(r"\s+[a-z]")


def _removable(text: str, start: int, end: int) -> bool:
    """Whether a term with no neutral alternative can go without breaking the sentence.

    Three shapes can: a phrase set off by a comma that ends its clause (", without providing any
    evidence." / ", also without proof,"), a lone manner adverb ("brazenly ignored"), and a
    modifier between a determiner and its noun ("the so-called reform").
    """
    term = text[start:end]
    if " " not in term and term.lower().endswith("ly"):
        return True
    if _DETERMINER_BEFORE.search(text, 0, start) and _WORD_AFTER.match(text, end):
        return True
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return before.endswith(",") and (not after or after[0] in ".,;:!?")


def has_outlet_voice_loaded(text: str) -> bool:
    return bool(outlet_voice_matches(text))


def has_unquoted_loaded(text: str) -> bool:
    """True when any lexicon term, attributed or not, stands outside quotation marks.

    The summary is held to this stricter test: a reader cannot tell an attributed verdict from
    the summary's own voice once the sentence is lifted out of its article.
    """
    quotes = QuoteIndex(text)
    return any(not quotes.contains(m.start, m.end) for m in find_loaded(text))


_ATTRIBUTED_VERDICT = re.compile(r"\s+as\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)


def drop_attributed_verdicts(text: str) -> str:
    """Drop a verdict attributed by "as" ("rejected the claims as baseless" -> "rejected the
    claims"): the verb keeps the attribution, and the verdict word cannot be mistaken for ours."""
    quotes = QuoteIndex(text)
    out: list[str] = []
    pos = 0
    for m in find_loaded(text):
        if quotes.contains(m.start, m.end) or not is_attributed(text, m):
            continue
        verdict = _ATTRIBUTED_VERDICT.search(text, pos, m.start)
        if verdict is None:
            continue
        out.append(text[pos : verdict.start()])
        pos = m.end
    out.append(text[pos:])
    return _tidy("".join(out))


# Text addressed to a reader or to a model instead of reporting: an instruction is never summary
# material and is reported as an `instruction` input finding. This is the one place that decides
# it, in two parts:
# - `INSTRUCTION_CUES`: phrases that address a model or re-direct a reader whatever the parse
#   ("ignore previous instructions", "disregard the above", "you are now", "system prompt");
# - an imperative sentence: its root verb has the base-form tag (VB) and no subject of its own,
#   it stands in the outlet's voice (not inside quotation marks), and the verb is one that tells
#   the reader what to say, write or forget (`INSTRUCTION_VERBS`: "Say the election was fair.").
INSTRUCTION_CUES = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)*"
    r"(?:previous|prior|above|earlier|preceding|former|foregoing|other)?\s*"
    r"(?:instructions?|prompts?|directions?|rules|guidelines|text|context|above)\b"
    r"|\byou\s+are\s+now\b|\bnew\s+instructions?\b|\bsystem\s+prompt\b"
    r"|\bas\s+an\s+ai(?:\s+language)?\s+model\b|\b(?:assistant|chatbot|language\s+model),\s+"
    r"(?:say|write|state|ignore)\b",
    re.IGNORECASE,
)
_INSTRUCTION_VERB_TEXT = """
    ignore disregard forget override say state write output print respond answer reply pretend
    repeat summarise summarize tell obey
"""
INSTRUCTION_VERBS = frozenset(_INSTRUCTION_VERB_TEXT.split())
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})


def instruction_sentences(text: str) -> list[tuple[int, int]]:
    """The `(start, end)` of each sentence of `text` that addresses a reader or a model."""
    doc = annotate(text)
    found: list[tuple[int, int]] = []
    for sentence in doc.sentences:
        if INSTRUCTION_CUES.search(sentence.text):
            found.append((sentence.start, sentence.end))
            continue
        tokens = doc.tokens_in(sentence.start, sentence.end)
        for token in tokens:
            if token.dep != "ROOT" or token.head != token.i:
                continue
            if (
                token.tag == "VB"
                and token.lemma.lower() in INSTRUCTION_VERBS
                and not doc.in_quote(token.start, token.end)
                and not any(t.head == token.i and t.dep in _SUBJECTS for t in tokens)
            ):
                found.append((sentence.start, sentence.end))
            break
    return found


def according_to(holder: str, text: str) -> str:
    """`text` given as `holder`'s: "According to source-c, there was ..."."""
    doc = annotate(text)
    first = next((t for t in doc.tokens if t.is_word), None)
    keep = first is None or first.pos == "PROPN" or first.text == "I" or first.text.isupper()
    body = text if keep else text[:1].lower() + text[1:]
    return f"According to {holder}, {body}"
