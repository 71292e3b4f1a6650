"""Finding lexicon patterns in text: a token trie walked left to right, longest match first.

A match that is part of a proper name is not loaded language: "Rep. Louise Slaughter", "the
Blumenthal Bombshell" (a headline someone wrote). A capitalised match with a capitalised neighbour
is read as a name, except on a title-case line (a headline), where capitals say nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..text import Token, word_spans
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


# Capitalised words that start sentences and titles: such a neighbour does not make a name.
_FUNCTION_WORDS_TEXT = """
    the a an and but or nor in on at of for to as by it its this that these those he she they we
    you i his her their our if when while after before however although because not no so
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


# Abbreviations inside a name before a full stop: "Rep. Slaughter", "Louise M. Slaughter".
_NAME_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "rep", "sen", "gov", "gen", "st", "jr"})


def _capitalised_word(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.text.lower() not in _FUNCTION_WORDS


def _abbreviation(tok: Token) -> bool:
    return len(tok.text) == 1 or tok.text.lower() in _NAME_ABBREVIATIONS


def _title_case_line(text: str, pos: int) -> bool:
    """True when most longer words on the line around `pos` are capitalised (a headline)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = word_spans(text, start, len(text) if end < 0 else end)
    longer = [t.text for t in line if len(t.text) > 3]
    return len(longer) >= 3 and sum(w[:1].isupper() for w in longer) >= 0.75 * len(longer)


def _in_proper_name(text: str, toks: list[Token], first: int, last: int) -> bool:
    """True when a capitalised match is part of a name: a capitalised word (or an initial or a
    title abbreviation) directly before it, or, away from a sentence start, directly after it."""
    if not toks[first].text[:1].isupper() or _title_case_line(text, toks[first].start):
        return False
    if first > 0:
        prev = toks[first - 1]
        gap = text[prev.end : toks[first].start]
        if _capitalised_word(prev) and (gap == " " or (gap == ". " and _abbreviation(prev))):
            return True
        # After a full stop, a colon, a line break or an opening quote every word is capitalised.
        sentence_start = any(c in '.!?:\n“"‘([' for c in gap)
    else:
        sentence_start = True
    if sentence_start or last + 1 >= len(toks):
        return False
    nxt = toks[last + 1]
    return _capitalised_word(nxt) and text[toks[last].end : nxt.start] == " "


def find_loaded(text: str) -> list[LexiconMatch]:
    """Loaded-language matches in `text`: sorted, non-overlapping, longest match wins."""
    root = _trie()
    toks = word_spans(text)
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
        if _in_proper_name(text, toks, i, last):
            i = last + 1
            continue
        start, end = toks[i].start, toks[last].end
        while text[end - 1] in "'’":  # a closing single quote is not part of the word
            end -= 1
        matches.append(LexiconMatch(start, end, text[start:end], entry))
        i = last + 1
    return matches
