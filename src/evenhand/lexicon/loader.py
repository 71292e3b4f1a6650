"""Reading the curated lexicon file (`lexicon.tsv`) into entries and expanded surface forms.

A pattern is a sequence of space-separated tokens. A token may list alternatives with `/`
(`slam/slams/slammed`) and may be optional in parentheses (`(also)`). Patterns are expanded at load
time into plain token tuples, so matching is a dictionary walk with no regular expressions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CATEGORIES = ("labelling", "sensational", "unsubstantiated", "epistemic")
# `strong`: loaded wherever it stands; `weak`: loaded only when context aims it at someone.
STRENGTHS = ("strong", "weak", "voice")

_COLUMNS = (
    "term",
    "patterns",
    "category",
    "strength",
    "neutral_alternative",
    "explanation",
    "source",
)

# Contractions whose `'s` is "is" or "has", not a possessive: "it's clear" must not read "it clear".
_CONTRACTIONS = frozenset(
    {"it's", "he's", "she's", "that's", "there's", "here's", "what's", "who's", "let's", "where's"}
)


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    category: str
    neutral_alternative: str | None
    explanation: str
    source: str
    strength: str = "strong"


def normalise_token(token: str) -> str:
    """The form tokens are compared in: lower case, straight apostrophe, no possessive."""
    t = token.lower().replace("’", "'")
    if t in _CONTRACTIONS:
        return t
    if t.endswith("'s"):
        t = t[:-2]
    return t.rstrip("'")


def expand_pattern(pattern: str) -> list[tuple[str, ...]]:
    """All token sequences a pattern stands for (`(also) without evidence/proof` -> 4 sequences)."""
    choices: list[list[str | None]] = []
    for raw in pattern.split():
        optional = raw.startswith("(") and raw.endswith(")")
        body = raw[1:-1] if optional else raw
        options: list[str | None] = [normalise_token(o) for o in body.split("/") if o]
        if optional:
            options.append(None)
        choices.append(options)
    sequences = {tuple(t for t in combo if t is not None) for combo in itertools.product(*choices)}
    return sorted(s for s in sequences if s)


def parse_lexicon(text: str) -> list[tuple[LexiconEntry, list[tuple[str, ...]]]]:
    """Entries with their expanded patterns; `#` lines and blank lines are ignored."""
    rows: list[tuple[LexiconEntry, list[tuple[str, ...]]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(_COLUMNS):
            raise ValueError(f"lexicon line {number}: expected {len(_COLUMNS)} tab-separated cells")
        term, patterns, category, strength, alternative, explanation, source = (
            c.strip() for c in cells
        )
        if category not in CATEGORIES:
            raise ValueError(f"lexicon line {number}: unknown category {category!r}")
        if strength not in STRENGTHS:
            raise ValueError(f"lexicon line {number}: unknown strength {strength!r}")
        entry = LexiconEntry(
            term=term,
            category=category,
            neutral_alternative=alternative if alternative not in {"", "-"} else None,
            explanation=explanation,
            source=source,
            strength=strength,
        )
        expanded = [seq for p in (patterns or term).split(";") for seq in expand_pattern(p)]
        rows.append((entry, expanded))
    return rows


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[tuple[LexiconEntry, tuple[tuple[str, ...], ...]], ...]:
    """The shipped lexicon, parsed once per process."""
    text = resources.files(__package__).joinpath("lexicon.tsv").read_text(encoding="utf-8")
    return tuple((entry, tuple(seqs)) for entry, seqs in parse_lexicon(text))
