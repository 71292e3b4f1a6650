"""Load the annotation models before the first request (web and batch worker processes)."""

from __future__ import annotations


def warm_up() -> None:
    """Load spaCy's pipeline, the loaded-language tagger and the attribution tagger (each
    hash-checked) in this process, and run them once, so a worker's first real request pays no
    load time."""
    from .attribution import attributions
    from .document import annotate
    from .loaded import word_scores

    doc = annotate("Officials said the models are loaded before the first request.")
    word_scores(doc)
    attributions(doc)
