"""`unsupported_content`: sentences no source backs; numbers, dates and names found in no source.

A number, weekday, month or name that appears in no source is false to the sources as far as
they can tell: an error. A whole sentence without support may be background the editor knows from
elsewhere, so it is a warning. For an engine's summary, a sentence with no claimed support at all
is an error (every summary sentence must cite its source), and one whose cited spans do not carry
its words is a warning.
"""

from __future__ import annotations

from ..annotate import annotate
from ..offline.language import looks_english
from ..schema import Finding
from ..text import Token
from .context import SUPPORTED, CheckContext, Unit
from .dates import dates_in, known
from .words import (
    MONTHS,
    STOPWORDS,
    TITLES,
    WEEKDAYS,
    content_words,
    is_number_word,
    numbers_in,
    script_word_spans,
    stem,
)

CHECK = "unsupported_content"
_MIN_WORDS = 3
# A figure in the sources is theirs for a draft sentence when a source sentence that uses it
# shares this many content words with it.
_SAME_TOPIC = 2
# Capitalised words of these parts of speech (in the checked text's annotated document) start
# clauses or stand for someone, and are not names: "However", "Meanwhile", "Many", "Their".
_NOT_NAME_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "ADV", "AUX", "PART", "INTJ"})


def _claimed_coverage(ctx: CheckContext, unit: Unit) -> float:
    words = frozenset(content_words(unit.text))
    if not words:
        return 1.0
    cited: set[str] = set()
    for span in unit.claimed:
        cited |= set(content_words(span.text))
    return len(words & cited) / len(words)


def check_unsupported(ctx: CheckContext) -> list[Finding]:
    checked = ctx.checked
    findings: list[Finding] = []
    for unit, support in zip(checked.units, ctx.supports, strict=True):
        if checked.target == "summary" and not unit.claimed:
            findings.append(
                Finding(
                    check=CHECK,
                    severity="error",
                    message=f"summary sentence {unit.index + 1} cites no source span",
                    location=checked.unit_location(unit),
                )
            )
            continue
        if checked.target == "summary":
            if _claimed_coverage(ctx, unit) < SUPPORTED and not support.supported:
                findings.append(
                    Finding(
                        check=CHECK,
                        severity="warning",
                        message=(
                            f"summary sentence {unit.index + 1}: its cited spans do not carry "
                            "what it says"
                        ),
                        location=checked.unit_location(unit),
                    )
                )
            continue
        if checked.quotes.contains(unit.start, unit.end) or len(support.words) < _MIN_WORDS:
            continue
        if not support.supported:
            findings.append(
                Finding(
                    check=CHECK,
                    severity="warning",
                    message=(
                        f"no source backs this sentence (at most {support.coverage:.0%} of its "
                        "words are found in any source sentences)"
                    ),
                    location=checked.unit_location(unit),
                    suggestion="cite a source for it, or cut it",
                )
            )
    findings += _facts(ctx)
    findings.sort(
        key=lambda f: (f.location.index or 0, f.location.start or 0) if f.location else (0, 0)
    )
    return findings


def _facts(ctx: CheckContext) -> list[Finding]:
    """Numbers, dates and names in the text's own voice that appear in no source."""
    checked = ctx.checked
    sources = ctx.sources
    findings: list[Finding] = []
    doc = annotate(checked.text)
    # Calendar dates are compared as dates ("Dec. 3" is "December 3"), never as names or figures.
    dates = dates_in(doc)
    source_dates = {k for d in sources.docs.values() for _, _, keys in dates_in(d) for k in keys}
    for start, end, value in numbers_in(checked.text):
        if checked.quotes.contains(start, end):
            continue
        if len(value) <= 2 and any(s <= start and end <= e for s, e, _ in dates):
            continue  # a day of the month: its date is compared whole (a year stays a figure)
        if value in sources.numbers:
            # The figure is in a source; but if every source use of it is about something else
            # ("four hours" for a "four-day" conference), it is likely not the sources' figure.
            unit = checked.unit_at(start)
            words = content_words(unit.text) if unit else []
            near = frozenset(w for w in words if not is_number_word(w) and not w[0].isdigit())
            contexts = sources.number_contexts.get(value, [])
            if len(near) < _MIN_WORDS or any(len(near & c) >= _SAME_TOPIC for c in contexts):
                continue
            findings.append(
                Finding(
                    check=CHECK,
                    severity="warning",
                    message=(
                        f"the number “{checked.text[start:end]}” appears in the sources only "
                        "about something else"
                    ),
                    location=checked.location(start, end),
                    suggestion="check the figure against the sources",
                )
            )
            continue
        findings.append(
            Finding(
                check=CHECK,
                severity="error",
                message=f"the number “{checked.text[start:end]}” appears in no source",
                location=checked.location(start, end),
                suggestion="use the figure the sources give, or cut it",
            )
        )
    # Capitals mark names only in English: other languages capitalise nouns ("Militär"), and the
    # language finding says the text is not read as English.
    if not looks_english(checked.text):
        return findings
    vocabulary = sources.vocabulary
    names = sources.name_parts
    stems = {stem(w) for w in vocabulary}
    unit_starts = {u.start for u in checked.units}
    toks = script_word_spans(checked.text)
    not_names = {t.start for t in doc.tokens if t.pos in _NOT_NAME_POS}
    reported: set[tuple[int, int]] = set()
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not tok.text[0].isupper() or checked.quotes.contains(tok.start, tok.end):
            i += 1
            continue
        # A run of capitalised words is one name ("Dmitry Peskov", "Frankfurter Allgemeine").
        j = i
        while (
            j + 1 < len(toks)
            and toks[j + 1].text[0].isupper()
            and checked.text[toks[j].end : toks[j + 1].start] == " "
        ):
            j += 1
        run = toks[i : j + 1]
        date = next((d for d in dates if d[0] < run[-1].end and run[0].start < d[1]), None)
        if date is not None:
            if not known(date[2], source_dates) and (date[0], date[1]) not in reported:
                reported.add((date[0], date[1]))
                findings.append(
                    Finding(
                        check=CHECK,
                        severity="error",
                        message=(
                            f"the date “{checked.text[date[0] : date[1]]}” appears in no source"
                        ),
                        location=checked.location(date[0], date[1]),
                        suggestion="use the date the sources give, or cut it",
                    )
                )
            i = j + 1
            continue
        initial = tok.start in unit_starts or checked.text[: tok.start].rstrip()[-1:] in '"“:('
        if initial:
            run = (
                run[1:]
                if tok.start in not_names or tok.lower in STOPWORDS or len(run) == 1
                else run
            )
        unknown = [
            t
            for t in run
            if t.start not in not_names
            and t.lower not in TITLES
            and not _known(t.lower, vocabulary, stems)
        ]
        # A name is compared whole: "New Jersey" is the sources' when they name it, or name
        # something longer that contains it; a part of it they never name makes all of it new.
        if unknown and not _named_in_sources(run, unknown, names):
            name = _name_part(run, not_names)
            low = name[0].lower if len(name) == 1 else ""
            kind = "date" if low in WEEKDAYS or low in MONTHS else "name"
            shown = checked.text[name[0].start : name[-1].end]
            findings.append(
                Finding(
                    check=CHECK,
                    severity="error",
                    message=f"the {kind} “{shown}” appears in no source",
                    location=checked.location(name[0].start, name[-1].end),
                    suggestion="check it against the sources, or cut it",
                )
            )
        i = j + 1
    # Lower-case weekdays and months do not occur; capitalised ones were handled above.
    return findings


def _name_part(run: list[Token], not_names: set[int]) -> list[Token]:
    """The name in a run of capitalised words, without the titles and clause words before it."""
    k = 0
    while k < len(run) - 1 and (run[k].lower in TITLES or run[k].start in not_names):
        k += 1
    return run[k:]


def _named_in_sources(
    run: list[Token], unknown: list[Token], names: frozenset[tuple[str, ...]]
) -> bool:
    """Whether every unknown word of the run lies in a stretch of it that is (part of) a name
    the sources use."""
    words = [t.lower.removesuffix("'s") for t in run]
    covered: set[int] = set()
    for a in range(len(words)):
        for b in range(a + 1, len(words) + 1):
            if tuple(words[a:b]) in names:
                covered.update(range(a, b))
    return all(i in covered for i, t in enumerate(run) if t in unknown)


def _known(word: str, vocabulary: frozenset[str], stems: set[str]) -> bool:
    word = word.removesuffix("'s")
    if word in vocabulary or stem(word) in stems:
        return True
    parts = [p for p in word.split("-") if p]
    return len(parts) > 1 and all(p in vocabulary or stem(p) in stems for p in parts)
