"""The curated loaded-language lexicon and `find_loaded`.

`lexicon.tsv` (beside this file) lists each entry with its category, a neutral alternative where one
exists, a one-sentence explanation and its provenance. Its header explains how it was built.
"""

from __future__ import annotations

from .loader import CATEGORIES, STRENGTHS, LexiconEntry, load_lexicon
from .matcher import LexiconMatch, find_loaded


def entries() -> list[LexiconEntry]:
    """Every entry of the shipped lexicon, in file order."""
    return [entry for entry, _ in load_lexicon()]


__all__ = [
    "CATEGORIES",
    "STRENGTHS",
    "LexiconEntry",
    "LexiconMatch",
    "entries",
    "find_loaded",
    "load_lexicon",
]
