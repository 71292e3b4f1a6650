"""`loaded_leak`: loaded language in the checked text's own voice.

Two sources of loaded words: the shipped lexicon (`evenhand.lexicon.find_loaded`) and the terms a
report flagged in the articles (an outlet's own label, such as "self-proclaimed"). Words inside
quotation marks, or inside what the text reports someone saying or believing ("Western
governments say the vote was rigged"; `attributed`), are the speaker's, not the text's, and are
left alone -- unless no source uses the word, so that the text put it in the speaker's mouth.
Loaded wording is unfair rather than false: a warning. Epistemic words ("claimed", "insisted")
only cast light doubt and are reported as info.
"""

from __future__ import annotations

import re

from ..annotate import annotate
from ..annotate.attributed import is_attributed
from ..schema import Finding, Severity
from .context import CheckContext
from .words import stem

CHECK = "loaded_leak"
_MILD = frozenset({"epistemic"})


def _severity(category: str) -> Severity:
    return "info" if category in _MILD else "warning"


def check_loaded_leak(ctx: CheckContext) -> list[Finding]:
    from ..lexicon import find_loaded

    checked = ctx.checked
    doc = annotate(checked.text)
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    vocabulary = ctx.sources.vocabulary
    stems = {stem(w) for w in vocabulary}

    def sources_use(text: str) -> bool:
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        return all(w in vocabulary or stem(w) in stems for w in words)

    def free(start: int, end: int) -> bool:
        if checked.quotes.contains(start, end) or any(s < end and start < e for s, e in taken):
            return False
        return not (is_attributed(doc, start, end) and sources_use(checked.text[start:end]))

    # The report's own flags first: they name the outlet whose label leaked into the text.
    flagged: dict[str, tuple[str, str | None, str, str]] = {}
    for term in ctx.loaded:
        key = term.span.text.strip().lower()
        if len(key) >= 3 and key not in flagged:
            flagged[key] = (
                ctx.sources.label(term.span.article_id),
                term.neutral_alternative,
                term.category,
                term.explanation,
            )
    for key, (outlet, alternative, category, explanation) in flagged.items():
        pattern = re.compile(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])", re.IGNORECASE)
        for m in pattern.finditer(checked.text):
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            findings.append(
                Finding(
                    check=CHECK,
                    severity=_severity(category),
                    message=(
                        f"“{m.group()}” is loaded wording that {outlet} uses ({category}); "
                        f"here it is in the text's own voice. {explanation}"
                    ),
                    location=checked.location(m.start(), m.end()),
                    suggestion=_suggest(m.group(), alternative),
                )
            )
    for match in find_loaded(checked.text):
        if not free(match.start, match.end):
            continue
        taken.append((match.start, match.end))
        entry = match.entry
        findings.append(
            Finding(
                check=CHECK,
                severity=_severity(entry.category),
                message=(
                    f"“{match.text}” is loaded wording ({entry.category}) in the text's own voice. "
                    f"{entry.explanation}"
                ),
                location=checked.location(match.start, match.end),
                suggestion=_suggest(match.text, entry.neutral_alternative),
            )
        )
    findings.sort(key=lambda f: (f.location.start or 0) if f.location else 0)
    return findings


def _suggest(term: str, alternative: str | None) -> str:
    if alternative and alternative != "-":
        return f"replace “{term}” with “{alternative}”"
    return f"drop “{term}”, or attribute the judgement to whoever makes it"
