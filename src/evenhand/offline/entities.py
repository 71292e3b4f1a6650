"""Names of people and the labels outlets put in front of them, read from the annotated document.

A name is the last two words of a run of capitalised proper nouns, nouns or adjectives
("Alexander Lukashenko"); its key is the last word, so later short mentions ("Lukashenko") fall
under the same person. Parts of speech rule out the capitalised words that open a sentence ("The",
"However", "According"), and a run that spaCy's entity recogniser calls a place, a date, a group
or a number ("New Hampshire", "Monday") is no person. Runs it calls an organisation are kept: the
small pipeline often labels an unfamiliar person's name ORG ("Ivo Bregovic"). A label is the run
of title words, capitalised words and loaded descriptors directly before the name ("Belarusian
President", "self-proclaimed president of Belarus"). Comparing labels across outlets is how
`framing` claims are found.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..annotate import AnnotatedDoc, Token, annotate
from ..lexicon import find_loaded

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
# Capitalised words of these parts of speech are not names (determiners, pronouns, connectives).
_NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "X"})
# Entities that are not people (ORG is left out: see the module's docstring).
_NOT_PEOPLE_TEXT = """
    GPE LOC NORP FAC EVENT LAW WORK_OF_ART PRODUCT LANGUAGE DATE TIME MONEY PERCENT QUANTITY
    ORDINAL CARDINAL
"""
_NOT_PEOPLE = frozenset(_NOT_PEOPLE_TEXT.split())


@dataclass(frozen=True)
class NameMention:
    start: int  # of the name
    end: int
    key: str  # the surname, lower case
    name: str
    label_start: int  # == start when there is no label
    label: str


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.pos in _NAME_POS


def _name_word(tok: Token) -> bool:
    """A word of a name: capitalised, not an abbreviation ("Mr.", "Sen." belong to the label)."""
    return _capitalised(tok) and not tok.text.endswith(".")


def name_mentions(text: str, doc: AnnotatedDoc | None = None) -> list[NameMention]:
    """Full-name mentions (the last two words of a capitalised run) with the label before each.

    Computed once per annotated document (kept on it as a layer).
    """
    doc = doc if doc is not None else annotate(text)
    cached = doc.layers.get("name_mentions")
    if cached is None:
        cached = _name_mentions(text, doc)
        doc.layers["name_mentions"] = cached
    result: list[NameMention] = cached
    return result


def _name_mentions(text: str, doc: AnnotatedDoc) -> list[NameMention]:
    toks = [t for t in doc.tokens if t.is_word]
    loaded = [(m.start, m.end) for m in find_loaded(text)]

    def gap(k: int) -> str:
        return text[toks[k].end : toks[k + 1].start]

    mentions: list[NameMention] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and _name_word(toks[j]) and (j == i or gap(j - 1) == " "):
            j += 1
        if (
            j - i < 2
            or toks[j - 1].text.lower() in TITLE_WORDS
            or toks[j - 1].ent_type in _NOT_PEOPLE
        ):
            i = max(j, i + 1)
            continue
        # A run of capitalised words: the last two are the name, anything before it
        # ("Belarusian President") is part of its label.
        name_first = max(i, j - 2)
        label_first = name_first
        k = name_first - 1
        # Words one space apart, or joined by a hyphen ("self-proclaimed" is two words here).
        while k >= 0 and gap(k) in (" ", "-"):
            tok = toks[k]
            in_loaded = any(s <= tok.start and tok.end <= e for s, e in loaded)
            if tok.text.lower().rstrip(".") in TITLE_WORDS or _capitalised(tok) or in_loaded:
                label_first = k
                k -= 1
                continue
            break
        # A label does not start with "of".
        while label_first < name_first and toks[label_first].text.lower() == "of":
            label_first += 1
        start, end = toks[name_first].start, toks[j - 1].end
        name = text[start:end]
        label_start = toks[label_first].start
        mentions.append(
            NameMention(
                start,
                end,
                toks[j - 1].text.lower(),
                name,
                label_start,
                text[label_start:start].strip(),
            )
        )
        i = j
    return mentions
