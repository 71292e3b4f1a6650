"""Word-level helpers shared by the checks: content words, light stemming, numbers, attribution.

The checks compare a text with its sources by the words they share. Stemming is deliberately
light (plural and tense endings only): a draft that says "deployed" is backed by a source that says
"deploy", but "army" is not backed by "armed".
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..annotate.attributed import is_attribution_word
from ..text import Token


def _split(words: str) -> list[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return words.split()


STOPWORDS = frozenset(
    _split(
        """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves mr mrs ms dr s t said says say saying told
    tells added adds according also would could may might must shall one last first new
    like well even still yet however since per via upon"""
    )
)

# A run of alphabetic words that may spell one number: "fifty thousand", "twenty-nine", "three
# hundred and forty two". Which words are number words, and their value, is text2num's call.
_WORD_RUN = re.compile(r"[^\W\d_]+(?:(?:-|\s+(?:and\s+)?)[^\W\d_]+)*")
_ALPHA_WORD = re.compile(r"[^\W\d_]+")
NUMERAL = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:st|nd|rd|th)?(?![\w])|(?<![\w.])\d+(?=-)")

# Titles and ranks before a name: a text may spell out what its sources abbreviate
# ("Representative" for "Rep."), and a title is not a name that could be made up.
TITLES = frozenset(
    _split(
        """mr mrs ms dr prof rev president vice sen senator rep representative gov governor
    lt col gen sgt adm secretary chairman chairwoman speaker minister judge justice mayor
    sheriff congressman congresswoman assemblyman assemblywoman councilman councilwoman
    ambassador attorney general commissioner"""
    )
)

WEEKDAYS = frozenset(_split("""monday tuesday wednesday thursday friday saturday sunday"""))
MONTHS = frozenset(
    _split(
        """january february march april may june july august september october november december"""
    )
)

# A word is letters and digits of any script ("Präsident", "Militär"), with inner apostrophes
# and hyphens.
_WORD = re.compile(r"[^\W_](?:[^\W_]|['’\-])*")


def script_word_spans(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of `text[start:end]` with offsets into `text`, in any script."""
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: lower case, no possessive, no plural or tense ending."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    n = len(w)
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 5 and w.endswith("ing"):
        return w[:-3]
    if n > 4 and w.endswith("ied"):
        return w[:-3] + "y"
    if n > 4 and w.endswith("ed"):
        return w[:-2] if not w.endswith("eed") else w[:-1]
    if n > 4 and w.endswith("es") and w[-3] in "sxz":
        return w[:-2]
    if n > 3 and w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        return w[:-1]
    if n > 4 and w.endswith("e"):
        return w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """Stems of the words that carry content (no stopwords, no one-letter words)."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        for part in m.group().split("-"):
            low = part.lower().replace("’", "'")
            if len(low) < 2 or low in STOPWORDS:
                continue
            out.append(stem(low))
    return out


@lru_cache(maxsize=65536)
def _spelled(text: str) -> str | None:
    """The numeral `text` spells ("twenty-nine" -> "29", "ninth" -> "9th"), or None.

    A cardinal is text2num's reading; an ordinal is alpha2digit's, which leaves "first" and
    "second" alone (more often order or time than a figure). "one" alone is more often a
    pronoun ("one of them") than a figure, and is not read as one.
    """
    from text_to_num import alpha2digit, text2num

    if text == "one":
        return None
    try:
        return str(text2num(text, "en"))
    except ValueError:
        pass
    digits = str(alpha2digit(text, "en"))
    if digits == text or not re.fullmatch(r"\d+(?:st|nd|rd|th)", digits):
        return None
    return digits


def is_number_word(word: str) -> bool:
    """Whether `word` spells a number ("five", "thousand", "twenty-nine", "third")."""
    return _spelled(word.lower()) is not None


def number_value(raw: str) -> str:
    """A numeral or number words in a comparable form: "30,000" -> "30000", "three" -> "3",
    "fifty thousand" -> "50000"."""
    low = raw.lower()
    spelled = _spelled(low) if re.search(r"[a-z]", low) else None
    if spelled is not None:
        low = spelled
    low = re.sub(r"(st|nd|rd|th)$", "", low)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", low):
        low = low.replace(",", "")
    if "." in low:
        low = low.rstrip("0").rstrip(".") if re.fullmatch(r"\d+\.\d+", low) else low
    return low


def _continues_number(word: str) -> bool:
    """Whether `word` may go on a number begun before it: a number word, or "one", which alone
    is not read as a figure but ends "thirty-one" and "a hundred and one"."""
    return word.lower() == "one" or is_number_word(word)


def numbers_in(text: str) -> list[tuple[int, int, str]]:
    """Numbers in `text` as (start, end, comparable value), numerals and number words alike."""
    found: list[tuple[int, int, str]] = []
    for m in NUMERAL.finditer(text):
        raw = m.group().rstrip(",.")
        found.append((m.start(), m.start() + len(raw), number_value(raw)))
    for run in _WORD_RUN.finditer(text):
        words = list(_ALPHA_WORD.finditer(run.group()))
        i = 0
        while i < len(words):
            # "one" begins a number only when one follows it ("one hundred", not "one of them").
            if not is_number_word(words[i].group()) and not (
                words[i].group().lower() == "one"
                and i + 1 < len(words)
                and is_number_word(words[i + 1].group())
            ):
                i += 1
                continue
            # The longest stretch of number words (with "and" inside) from here that spells one
            # number: "three hundred and forty two", else the single word.
            j = i
            while j + 1 < len(words) and (
                _continues_number(words[j + 1].group())
                or (
                    words[j + 1].group().lower() == "and"
                    and j + 2 < len(words)
                    and _continues_number(words[j + 2].group())
                )
            ):
                j += 1
            while j > i:
                phrase = run.group()[words[i].start() : words[j].end()]
                if _spelled(phrase.lower()) is not None:
                    break
                j -= 1
            if j == i and not is_number_word(words[i].group()):  # "one" left on its own
                i += 1
                continue
            start, end = run.start() + words[i].start(), run.start() + words[j].end()
            found.append((start, end, number_value(text[start:end])))
            i = j + 1
    found.sort()
    return found


# A speech verb after a refusal or a negation reports what someone did not say ("Romney refused
# to say he supports ...", "he did not say whether ..."): the sentence states that as fact.
_NOT_SAID = re.compile(
    r"\b(?:(?:refus|declin|fail)(?:e|es|ed|ing)\s+to|(?:did|does|do|would|will|could)\s*n[o'’]t|"
    r"never|not)\s+$",
    re.IGNORECASE,
)


def has_attribution(text: str) -> bool:
    """True when the text says who holds what it states ("X said", "according to", "claims")."""
    return any(
        is_attribution_word(m.group()) and not _NOT_SAID.search(text[: m.start()])
        for m in _WORD.finditer(text)
    )


_QUOTE_MARKS = "\"“”‘’'"


def excerpt(text: str, limit: int = 160) -> str:
    """`text` shortened for a message: cut at a word boundary with an ellipsis, and without
    quotation marks at its ends (the message puts its own around it)."""
    text = " ".join(text.split()).strip(_QUOTE_MARKS + " ")
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else text[:limit]
    return cut.rstrip(" ,;:—-" + _QUOTE_MARKS) + "…"
