"""Who a quotation is attributed to, in the checked text and in a source.

Only the plain newspaper patterns are read: a name right before a speech verb ("Peskov said",
"Lukashenko, the president, said", "His lawyer, Reid Weingarten, said") or right after it ("said
Peskov", "according to Peskov", "said the statement from his lawyer, William McGinley"). When a
source attributes a quote to a pronoun or a title ("he added", "the president said"), the names in
the sentences just before stand in for it. Anything less clear gives no answer, and the speaker
check then stays silent rather than guess.

A sentence may quote several people ("McCain called it “wildly inaccurate,” and DeMint said Steele
“needs to apologize”"): `quote_speakers` gives each quotation the verb that governs it -- the one
right after it ("“...,” X said") or else the nearest one before it in the same clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import Token, quote_regions
from .words import WEEKDAYS, script_word_spans


def _split(words: str) -> list[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return words.split()


_SPEECH = frozenset(
    _split(
        """said says say added adds told tells wrote writes tweeted tweets stated states declared
    declares argued argues insisted insists warned warns explained explains noted notes
    replied replies responded responds asked asks continued continues according claimed
    claims recalled recalls joked jokes quipped called calls"""
    )
)
# Verbs whose object follows them ("called the plan “reckless”"): only a subject before them
# names the speaker; a name after them is what was called, not who called it.
_OBJECT_VERBS = frozenset(_split("""called calls"""))
_PRONOUNS = frozenset(_split("""he she they it we i the a an his her their its this that"""))
_TITLES = frozenset(
    _split(
        """mr mrs ms dr president sen senator rep representative gov governor secretary chairman
    chairwoman speaker minister prime general gen leader spokesman spokeswoman former vice
    congressman congresswoman judge justice attorney mayor sheriff the state of"""
    )
)
# Words that open a noun phrase standing after the verb ("said the statement from ...").
_DETERMINERS = frozenset(_split("""the a an his her their its this that these those"""))
# A party-and-state tag set off by commas ("John McCain, R-Ariz., said") is not the subject.
_PARTY_TAG = re.compile(r"^\s*[RDI]-[A-Z][\w.]*\s*$")
# What ends one clause and starts another between a speech verb and a later quotation.
_CLAUSE_BREAK = re.compile(r";|—|,\s+(?:and|but|while|whereas|although|though|as)\s")
# How far (in words) a speech verb before a quotation can stand from it and still govern it.
_GOVERNS = 25


@dataclass(frozen=True)
class Attribution:
    """One speech verb in a stretch of text and the speaker it names."""

    start: int  # offsets of the verb in the text
    end: int
    names: frozenset[str]  # name tokens, lower-cased, titles dropped
    indirect: bool  # the subject is a pronoun, a title or a name-less noun phrase


def _is_name(token: Token) -> bool:
    # A capital inside the word counts too: brands written "yFrog", "eBay" are names.
    capital = token.text[0].isupper() or (
        token.text[0].isalpha() and any(c.isupper() for c in token.text[1:])
    )
    # A weekday is when something was said, never who said it ("..., he said on Wednesday").
    # (Months are left alone: "May", "June" and "April" are names too.)
    return capital and token.lower not in _PRONOUNS and token.lower not in WEEKDAYS


def _name_tokens(run: list[Token]) -> set[str]:
    return {
        t.lower.removesuffix("'s")
        for t in run
        if t.lower.removesuffix("'s") not in _TITLES and t.text[0].isupper()
    }


def blank_quotes(text: str, start: int, end: int) -> str:
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


def _ends_sentence(gap: str, following: Token | None, preceding: Token | None = None) -> bool:
    """Whether the characters between two words end a sentence. A full stop followed by a comma
    or a lower-case word, or after an initial or a title, ends an abbreviation ("R-Ariz., said",
    "Jackson Jr. said", "Reid H. Weingarten"), not a sentence."""
    if any(c in "!?;" for c in gap):
        return True
    if "." not in gap or not any(c.isspace() for c in gap):
        return False  # no full stop, or one inside a word ("S.C.", "U.S.")
    if preceding is not None and (len(preceding.text) == 1 or preceding.lower in _TITLES):
        return False
    after = gap[gap.rindex(".") + 1 :]
    if "," in after:
        return False
    return following is None or following.text[0].isupper()


# Lower-case words inside an organisation's name ("National Committee to Preserve Social
# Security and Medicare"), and those that tie a person to one ("Max Richtman of ...").
_ORGANISATION_LINKS = frozenset(_split("""and of the for to on &"""))
_AFFILIATION = frozenset(_split("""of at from"""))
# How many words an organisation's name after a person's may run to.
_ORGANISATION_WORDS = 12


def _trailing_name(toks: list[Token], lo: int, hi: int) -> list[Token]:
    """The run of names ending at toks[hi - 1] (within toks[lo:hi]), with "X of Place" kept; the
    person's name when the run ends an organisation's name after it ("Max Richtman of the
    National Committee to Preserve Social Security and Medicare said" gives Max Richtman)."""
    run = _name_run(toks, lo, hi)
    if not run:
        return run
    k = toks.index(run[0]) - 1
    if k < lo or toks[k].lower not in _ORGANISATION_LINKS:
        return run
    # Walk back over the organisation's name (names and linking words, one space apart) to the
    # word that ties it to a person.
    while k > lo and hi - k <= _ORGANISATION_WORDS and toks[k + 1].start - toks[k].end <= 1:
        if toks[k].lower in _AFFILIATION and _is_name(toks[k - 1]):
            person = _name_run(toks, lo, k)
            return person or run
        if not (_is_name(toks[k]) or toks[k].lower in _ORGANISATION_LINKS):
            break
        k -= 1
    return run


def _name_run(toks: list[Token], lo: int, hi: int) -> list[Token]:
    run: list[Token] = []
    k = hi - 1
    while k >= lo and _is_name(toks[k]) and len(run) < 5:
        run.insert(0, toks[k])
        k -= 1
        if k >= lo and toks[k + 1].start - toks[k].end > 3:
            break  # blanked-out quoted words stand between: not one name
        # "John A. Boehner of Ohio said": a place after "of" belongs to the name.
        if k >= lo + 1 and toks[k].lower == "of" and _is_name(toks[k - 1]):
            run.insert(0, toks[k])
            k -= 1
    return run


_PREPOSITIONS = frozenset(_split("""with to from of on in at by for about against into over"""))
# Words that open a sentence before its subject ("Speaking on ..., Sen. DeMint", "When ...").
_OPENERS = _PREPOSITIONS | frozenset(
    _split("""but and when after before while as if although though since yet so""")
)
_SUBJECT_PRONOUNS = frozenset(_split("""he she they we i"""))


def _clause_subject(masked: str, toks: list[Token], k: int) -> tuple[list[Token], bool]:
    """The subject of a second verb joined by "and"/"but" (toks[k]): the clause's first name
    ("Sarah Palin, the 2008 nominee, defended the movement and said"; "Speaking on ..., Sen. Jim
    DeMint, R-S.C., would not go that far but said"), or a pronoun ("She ... and called him")."""
    j = k - 1
    while j > 0 and not _ends_sentence(
        masked[toks[j - 1].end : toks[j].start], toks[j], toks[j - 1]
    ):
        j -= 1
    opener = toks[j].lower in _OPENERS or toks[j].lower.endswith("ing")
    for n in range(j + 1 if opener else j, k):
        tok = toks[n]
        if tok.lower in _SUBJECT_PRONOUNS:
            return [], True
        if not _is_name(tok):
            continue
        lo = masked.rfind(",", 0, tok.start) + 1
        hi = masked.find(",", tok.end)
        if _PARTY_TAG.match(masked[lo : hi if hi >= 0 else len(masked)]):
            continue  # "R-S.C." set off by commas
        gap = masked[toks[n - 1].end : tok.start] if n > 0 else ""
        if n > 0 and toks[n - 1].lower in _PREPOSITIONS and len(gap) <= 3:
            continue  # "met with Obama": the object of a preposition
        run = _leading_name(toks, n, k)
        # The name ends at a comma ("Sen. Jim DeMint, R-S.C., would ...").
        cut = next(
            (m for m in range(1, len(run)) if "," in masked[run[m - 1].end : run[m].start]),
            len(run),
        )
        return run[:cut], False
    return [], False


def _subject_before(masked: str, toks: list[Token], i: int) -> tuple[list[Token], bool]:
    """The name before the speech verb toks[i], and whether a pronoun or title stands there.

    "Peskov said"; "Peskov, Putin's spokesman, said" (an appositive between commas is skipped);
    "His lawyer, Reid Weingarten, said" (the subject has no name: the appositive's name counts);
    "Cathi Herrod, president of the Center, which backed it, said"; "John McCain, R-Ariz., said".
    """
    k = i - 1
    if k < 0 or _ends_sentence(masked[toks[k].end : toks[i].start], toks[i]):
        return [], False
    if k >= 1 and toks[k].lower.endswith("ly") and toks[k - 1].lower in ("who", "which"):
        k -= 1  # "Arpaio, who unabashedly calls himself ..."
    if toks[k].lower in ("who", "which"):
        k -= 1
        if k < 0:
            return [], False
    elif toks[k].lower in ("and", "but") and k >= 1:
        return _clause_subject(masked, toks, k)
    gap = masked[toks[k].end : toks[k + 1].start].strip()
    if gap not in (",", ".,"):
        run = _trailing_name(toks, 0, k + 1)
        if run:
            return run, False
        return [], toks[k].lower in _PRONOUNS | _TITLES
    # Comma-separated segments before the verb, nearest first, back to the clause's start.
    segments: list[tuple[int, int]] = []
    hi = k + 1
    j = k
    while True:
        if j == 0:
            segments.append((0, hi))
            break
        between = masked[toks[j - 1].end : toks[j].start]
        if _ends_sentence(between, toks[j], toks[j - 1]) or ":" in between or "—" in between:
            segments.append((j, hi))
            break
        if "," in between:
            segments.append((j, hi))
            hi = j
            if len(segments) >= 4:
                break
        j -= 1
    # The subject is the nearest segment that opens with a capital and ends in a name; the
    # others are appositives ("a Republican spokesman", "president of ...", "which backed it",
    # "R-Ariz.") or a name-less subject ("His lawyer", "Putin's spokesman").
    for n, (lo, hi) in enumerate(segments):
        first = toks[lo]
        text = masked[first.start : toks[hi - 1].end]
        abbreviation = hi - lo == 1 and masked[first.end : first.end + 1] == "."
        if not first.text[0].isupper() or _PARTY_TAG.match(text) or abbreviation:
            continue  # ... or a state set off by commas ("Maricopa County, Ariz., who")
        run = _trailing_name(toks, lo, hi)
        # A name after a farther segment that ends in a name may close a list of names.
        listed = n + 1 < len(segments) and _is_name(toks[segments[n + 1][1] - 1])
        if run and listed and _ends_a_list(toks, lo, run):
            continue
        if run:
            return run, False
    # "..., and the Log Cabin Republicans, a gay group, said": the clause's first segment.
    run = _trailing_name(toks, *segments[-1])
    return run, not run


def _ends_a_list(toks: list[Token], lo: int, run: list[Token]) -> bool:
    """Whether a segment after one that ends in a name closes a list of names that commas split
    ("the subcommittee on the Constitution, Civil Rights and Civil Liberties, told"): its name
    follows "and" or "or" after another name. ("Smith and Jones, both Democrats, said" opens
    its clause: no name ends a segment before it.)"""
    k = toks.index(run[0]) - 1
    return k > lo and toks[k].lower in ("and", "or") and _is_name(toks[k - 1])


def _leading_name(toks: list[Token], lo: int, hi: int) -> list[Token]:
    """The run of names starting at toks[lo] (within toks[lo:hi])."""
    run: list[Token] = []
    while lo < hi and _is_name(toks[lo]) and len(run) < 5:
        run.append(toks[lo])
        lo += 1
    return run


def _named_after(masked: str, toks: list[Token], i: int) -> tuple[list[Token], bool]:
    """The speaker named after the verb toks[i]: "said Peskov", "according to Peskov", or the
    name set off at the end of a noun phrase ("said the statement from his lawyer, Jo Bell")."""
    j = i + 1
    if toks[i].lower == "according" and j < len(toks) and toks[j].lower == "to":
        j += 1
    if j >= len(toks) or _ends_sentence(masked[toks[j - 1].end : toks[j].start], toks[j]):
        return [], False
    run = _leading_name(toks, j, len(toks))
    if run or toks[j].lower not in _DETERMINERS:
        return run, False
    # A noun phrase: its name is an appositive after a comma, before the clause ends.
    end = j
    while end + 1 < len(toks) and not _ends_sentence(
        masked[toks[end].end : toks[end + 1].start], toks[end + 1]
    ):
        end += 1
    for c in range(j + 1, end + 1):
        if "," in masked[toks[c - 1].end : toks[c].start] and _is_name(toks[c]):
            return _leading_name(toks, c, end + 1), False
    return [], True


def _inverted(masked: str, toks: list[Token], i: int) -> bool:
    """Whether the speaker may follow the verb toks[i]: "according to X", or a verb that opens
    its clause ("“...,” said X", "..., said X"). After "but said" or "he said" the name that
    follows is what was said about ("DeMint ... but said Steele must apologize")."""
    if toks[i].lower in _OBJECT_VERBS:
        return False
    if toks[i].lower == "according" or i == 0:
        return True
    gap = masked[toks[i - 1].end : toks[i].start]
    return "," in gap or len(gap) > 3  # a comma, or quoted words blanked out


def attributions(text: str, start: int, end: int) -> list[Attribution]:
    """Every speech verb in `text[start:end]` (outside quotes) with the speaker it names."""
    masked = blank_quotes(text, start, end)
    toks = script_word_spans(masked)
    found: list[Attribution] = []
    for i, tok in enumerate(toks):
        if tok.lower not in _SPEECH:
            continue
        before, indirect = _subject_before(masked, toks, i)
        # The subject comes first when there is one: "X said Y's ..." names X, not Y; after a
        # pronoun ("he said Grassley could...") the name that follows is not the speaker either.
        run = before
        if not before and not indirect and _inverted(masked, toks, i):
            run, indirect = _named_after(masked, toks, i)
        names = _name_tokens(run)
        if run and not names:
            indirect = True
        found.append(Attribution(start + tok.start, start + tok.end, frozenset(names), indirect))
    return found


def speaker_names(text: str, start: int, end: int) -> tuple[set[str], bool]:
    """Names the stretch `text[start:end]` gives as speakers, and whether it uses a pronoun/title.

    Returns (name tokens, lower-cased and without titles; True when some speech verb's subject is
    a pronoun or a title rather than a name).
    """
    names: set[str] = set()
    indirect = False
    for a in attributions(text, start, end):
        names |= a.names
        indirect = indirect or a.indirect
    return names, indirect


def quote_speakers(text: str, start: int, end: int, qs: int, qe: int) -> tuple[set[str], bool]:
    """The speaker `text[start:end]` gives for the quotation at `qs:qe` (offsets in `text`).

    The verb right after the quotation counts ("“...,” Arpaio said", "“...,” said Arpaio"); else
    the nearest verb before it in the same clause ("McCain called it “...”"). No governing verb
    gives no names.
    """
    found = attributions(text, start, end)
    for a in found:
        if a.start < qe:
            continue
        between = blank_quotes(text, qe, a.start)
        words = script_word_spans(between)
        # Only the speaker's name stands between: "“...,” Jack Levin of yFrog said".
        if (
            not any(c in ".!?;" for c in between)
            and len(words) <= 6
            and (not words or _is_name(words[0]))
            and all(_is_name(t) or t.lower == "of" for t in words)
        ):
            return set(a.names), a.indirect
        break
    before = [a for a in found if a.end <= qs]
    if before:
        a = before[-1]
        between = blank_quotes(text, a.end, qs)
        if not _CLAUSE_BREAK.search(between) and len(script_word_spans(between)) <= _GOVERNS:
            return set(a.names), a.indirect
    return set(), False


def context_names(text: str, start: int, end: int) -> set[str]:
    """Every capitalised word outside quotes in `text[start:end]`, as lower-cased name tokens."""
    masked = blank_quotes(text, start, end)
    out: set[str] = set()
    for tok in script_word_spans(masked):
        if _is_name(tok):
            out |= _name_tokens([tok])
    return out
