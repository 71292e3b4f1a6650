"""Loaded-language layer of an annotated document: calibrated confidences from the shipped tagger.

INTERFACE STUB (being implemented): the names and signatures below are final.
"""

from __future__ import annotations

# The report lists loaded terms at or above this confidence unless told otherwise
# (`--min-confidence`, `min_confidence=`); chosen for precision on held-out data (model card).
DEFAULT_MIN_CONFIDENCE = 0.5


def span_confidence(text: str, start: int, end: int) -> float:
    """Calibrated probability (0-1) that `text[start:end]` is loaded wording, from the tagger's
    word scores over the span and the curated lexicon."""
    raise NotImplementedError
