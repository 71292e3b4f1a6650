"""Who a quotation is attributed to, in the checked text and in a source.

Only the plain newspaper patterns are read: a name right before a speech verb ("Peskov said",
"Lukashenko, the president, said") or right after it ("said Peskov", "according to Peskov").
When a source attributes a quote to a pronoun or a title ("he added", "the president said"), the
names in the sentences just before stand in for it. Anything less clear gives no answer, and the
speaker check then stays silent rather than guess.
"""

from __future__ import annotations

import re

from ..text import Token, quote_regions, tokens


def _split(words: str) -> list[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return words.split()


_SPEECH = frozenset(
    _split(
        """said says say added adds told tells wrote writes tweeted tweets stated states declared
    declares argued argues insisted insists warned warns explained explains noted notes
    replied replies responded responds asked asks continued continues according claimed
    claims recalled recalls joked jokes quipped"""
    )
)
_PRONOUNS = frozenset(_split("""he she they it we i the a an his her their its this that"""))
_TITLES = frozenset(
    _split(
        """mr mrs ms dr president sen senator rep representative gov governor secretary chairman
    chairwoman speaker minister prime general gen leader spokesman spokeswoman former vice
    congressman congresswoman judge justice attorney mayor sheriff the state of"""
    )
)


def _is_name(token: Token) -> bool:
    return token.text[0].isupper() and token.lower not in _PRONOUNS


def _name_tokens(run: list[Token]) -> set[str]:
    return {
        t.lower.removesuffix("'s")
        for t in run
        if t.lower.removesuffix("'s") not in _TITLES and t.text[0].isupper()
    }


def _masked(text: str, start: int, end: int) -> str:
    """`text[start:end]` with quoted speech blanked out (same length, so offsets still hold)."""
    chunk = list(text[start:end])
    for qs, qe in quote_regions(text[start:end]):
        for i in range(qs, qe):
            chunk[i] = " "
    # Parentheses too: "Rep. Stephen Fincher (R-Tenn.), wrote" -- the "." is not a sentence end.
    for m in re.finditer(r"\([^()]*\)", text[start:end]):
        for i in range(m.start(), m.end()):
            chunk[i] = " "
    return "".join(chunk)


def speaker_names(text: str, start: int, end: int) -> tuple[set[str], bool]:
    """Names the stretch `text[start:end]` gives as speakers, and whether it uses a pronoun/title.

    Returns (name tokens, lower-cased and without titles; True when some speech verb's subject is
    a pronoun or a title rather than a name).
    """
    masked = _masked(text, start, end)
    toks = tokens(masked)
    names: set[str] = set()
    indirect = False
    for i, tok in enumerate(toks):
        if tok.lower not in _SPEECH:
            continue
        # Name after the verb: "said Peskov", "according to Peskov".
        j = i + 1
        if tok.lower == "according" and j < len(toks) and toks[j].lower == "to":
            j += 1
        after: list[Token] = []
        if j < len(toks) and any(c in ".!?;" for c in masked[toks[j - 1].end : toks[j].start]):
            j = len(toks)
        while j < len(toks) and _is_name(toks[j]) and len(after) < 5:
            after.append(toks[j])
            j += 1
        # Name before the verb, skipping an appositive ("Peskov, Putin's spokesman, said").
        k = i - 1
        gap = masked[toks[k].end : tok.start] if k >= 0 else ""
        if any(c in ".!?;" for c in gap):
            k = -1  # the word before ends another sentence: no subject here
        if k >= 0 and gap.strip() == "," and "," in masked[: toks[k].end]:
            comma = masked.rfind(",", 0, toks[k].end)
            while k >= 0 and toks[k].start > comma:
                k -= 1
        before: list[Token] = []
        if k >= 0 and toks[k].lower in ("who", "which"):
            # "the Log Cabin Republicans, a gay group, which said": the nearest name before it.
            k -= 1
            while k >= 0 and not _is_name(toks[k]) and i - k < 14:
                k -= 1
        while k >= 0 and _is_name(toks[k]) and len(before) < 5:
            before.insert(0, toks[k])
            k -= 1
            # "John A. Boehner of Ohio said": a place after "of" belongs to the name.
            if k >= 1 and toks[k].lower == "of" and _is_name(toks[k - 1]):
                before.insert(0, toks[k])
                k -= 1
        if k >= 0 and not before and toks[k].lower in _PRONOUNS | _TITLES:
            indirect = True
        if not before and k >= 0 and toks[k].lower in _TITLES:
            indirect = True
        # The subject comes first when there is one: "X said Y's ..." names X, not Y; after a
        # pronoun ("he said Grassley could...") the name that follows is not the speaker either.
        subject_is_pronoun = k >= 0 and not before and toks[k].lower in _PRONOUNS | _TITLES
        for run in (before,) if before or subject_is_pronoun else (after,):
            found = _name_tokens(run)
            if found:
                names |= found
            elif run:
                indirect = True
    return names, indirect


def context_names(text: str, start: int, end: int) -> set[str]:
    """Every capitalised word outside quotes in `text[start:end]`, as lower-cased name tokens."""
    masked = _masked(text, start, end)
    out: set[str] = set()
    for tok in tokens(masked):
        if _is_name(tok):
            out |= _name_tokens([tok])
    return out
