"""Load the annotation models before the first request (web and batch worker processes)."""

from __future__ import annotations


def warm_up() -> None:
    """Load spaCy's pipeline and the loaded-language tagger (hash-checked) in this process, and
    run both once, so a worker's first real request pays no load time."""
    from .document import annotate
    from .loaded import word_scores

    word_scores(annotate("Models are loaded before the first request."))
