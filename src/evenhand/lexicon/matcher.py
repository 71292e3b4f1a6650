"""Finding lexicon patterns in text: a token trie walked left to right, longest match first."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..text import tokens
from .loader import LexiconEntry, load_lexicon, normalise_token


@dataclass(frozen=True)
class LexiconMatch:
    start: int
    end: int
    text: str
    entry: LexiconEntry


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entry: LexiconEntry | None = None


def _build(rows: tuple[tuple[LexiconEntry, tuple[tuple[str, ...], ...]], ...]) -> _Node:
    root = _Node()
    for entry, sequences in rows:
        for seq in sequences:
            node = root
            for tok in seq:
                node = node.children.setdefault(tok, _Node())
            # The first entry listed for a surface form wins: the file orders them on purpose.
            if node.entry is None:
                node.entry = entry
    return root


@lru_cache(maxsize=1)
def _trie() -> _Node:
    return _build(load_lexicon())


# Punctuation that ends a multi-word pattern: a pattern never spans a sentence or clause break.
_BREAKS = frozenset(".!?;:\n")


def find_loaded(text: str) -> list[LexiconMatch]:
    """Loaded-language matches in `text`: sorted, non-overlapping, longest match wins."""
    root = _trie()
    toks = tokens(text)
    keys = [normalise_token(t.text) for t in toks]
    matches: list[LexiconMatch] = []
    i = 0
    while i < len(toks):
        node = root.children.get(keys[i])
        best: tuple[int, LexiconEntry] | None = None
        j = i
        while node is not None:
            if node.entry is not None:
                best = (j, node.entry)
            j += 1
            if j >= len(toks) or any(c in _BREAKS for c in text[toks[j - 1].end : toks[j].start]):
                break
            node = node.children.get(keys[j])
        if best is None:
            i += 1
            continue
        last, entry = best
        start, end = toks[i].start, toks[last].end
        while text[end - 1] in "'’":  # a closing single quote is not part of the word
            end -= 1
        matches.append(LexiconMatch(start, end, text[start:end], entry))
        i = last + 1
    return matches
