"""Rewriting a source sentence without the outlet's loaded terms.

Each loaded term in the outlet's own voice is replaced by its neutral alternative or, when there is
none, removed together with the punctuation that only served it. Quoted speech is left as it is: it
is the speaker's wording, attributed by the quote marks.
"""

from __future__ import annotations

import re

from ..lexicon import find_loaded
from ..text import QuoteIndex
from .loaded import is_attributed


def _match_case(replacement: str, original: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
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


def neutralise(text: str) -> str:
    """`text` with every outlet-voice loaded term replaced by its alternative or removed."""
    out: list[str] = []
    pos = 0
    for start, end, alternative in outlet_voice_matches(text):
        out.append(text[pos:start])
        if alternative is not None:
            out.append(_match_case(alternative, text[start:end]))
        pos = end
    out.append(text[pos:])
    return _tidy("".join(out))


def has_outlet_voice_loaded(text: str) -> bool:
    return bool(outlet_voice_matches(text))
