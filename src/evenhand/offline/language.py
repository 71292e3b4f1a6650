"""A cheap guard for the English-only lexicons: the share of very common English function words."""

from __future__ import annotations

from ..text import words

_FUNCTION_WORD_TEXT = """
    the a an and or but of to in on at for with by from as is are was were be been has have had
    it its he she they we you i that this these those which who not no will would said says
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_TEXT.split())

# English prose runs at 35-50% function words; other languages using Latin script at under 10%.
_MIN_SHARE = 0.18
_MIN_WORDS = 20


def looks_english(text: str) -> bool:
    """False when a text long enough to judge has too few English function words."""
    ws = words(text)
    if len(ws) < _MIN_WORDS:
        return True  # too short to judge
    share = sum(w in _FUNCTION_WORDS for w in ws) / len(ws)
    return share >= _MIN_SHARE
