"""Names of people and the labels outlets put in front of them.

A name is the last two words of a run of capitalised words ("Alexander Lukashenko"); its key is
the last word, so later short mentions ("Lukashenko") fall under the same person. A label is the
run of title words, capitalised words and loaded descriptors directly before the name
("Belarusian President", "self-proclaimed president of Belarus"). Comparing labels across
outlets is how `framing` claims are found.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lexicon import find_loaded
from ..text import Token, tokens

# Lower-case words that can sit inside a label before a name ("former prime minister").
_TITLE_WORDS_TEXT = """
    president vice prime minister chancellor secretary senator sen rep representative governor
    gov mayor king queen prince princess general gen chief spokesman spokeswoman spokesperson
    leader head opposition figure activist candidate nominee founder chairman chairwoman chair
    director ceo judge justice ambassador envoy commander officer lawmaker congressman
    congresswoman speaker premier foreign defence defense interior finance state former acting
    then-president incumbent de facto of strongman dictator ruler
"""
TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())
_NOT_NAME_TEXT = """
    The A An And But In On At Of For To As It Its This That These Those He She They We His Her
    Their If When While After Before However According Although Because Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday January February March April May June July August September
    October November December
"""
_NOT_NAME = frozenset(_NOT_NAME_TEXT.split())


@dataclass(frozen=True)
class NameMention:
    start: int  # of the name
    end: int
    key: str  # the surname, lower case
    name: str
    label_start: int  # == start when there is no label
    label: str


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.text not in _NOT_NAME


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


def name_mentions(text: str) -> list[NameMention]:
    """Full-name mentions (the last two words of a capitalised run) with the label before each."""
    toks = tokens(text)
    loaded_starts = {m.start for m in find_loaded(text)}
    mentions: list[NameMention] = []
    i = 0
    while i < len(toks):
        j = i
        while (
            j < len(toks)
            and _capitalised(toks[j])
            and (j == i or _gap(text, toks[j - 1], toks[j]) == " ")
        ):
            j += 1
        if j - i < 2 or toks[j - 1].text.lower() in TITLE_WORDS:
            i = max(j, i + 1)
            continue
        # A run of capitalised words: the last two or three are the name, anything before it
        # ("Belarusian President") is part of its label.
        name_first = max(i, j - 2)
        label_first = name_first
        k = name_first - 1
        while k >= 0 and _gap(text, toks[k], toks[k + 1]) == " ":
            word = toks[k].text
            lower = word.lower().rstrip(".")
            if lower in TITLE_WORDS or _capitalised(toks[k]) or toks[k].start in loaded_starts:
                label_first = k
                k -= 1
                continue
            break
        # A label does not start with "of".
        while label_first < name_first and toks[label_first].text.lower() == "of":
            label_first += 1
        start, end = toks[name_first].start, toks[j - 1].end
        last = toks[j - 1].text
        key = last[:-2] if last.endswith(("'s", "’s")) else last
        name = text[start:end]
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        label_start = toks[label_first].start
        mentions.append(
            NameMention(
                start,
                end,
                key.lower(),
                name,
                label_start,
                text[label_start:start].strip(),
            )
        )
        i = j
    return mentions
