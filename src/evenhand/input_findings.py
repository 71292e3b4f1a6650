"""Findings about the inputs themselves, given with every report whatever the engine.

They say what limits a report before any check of its content: one source alone, a text the
English-only lexicons cannot read, the same text given twice, text addressed to a reader or a
model instead of reporting (an instruction such as "ignore previous instructions").
"""

from __future__ import annotations

from .offline.clean import instruction_sentences
from .offline.language import looks_english
from .schema import Article, Finding, Location


def input_findings(articles: list[Article]) -> list[Finding]:
    return _scope_findings(articles) + duplicate_findings(articles) + instruction_findings(articles)


def instruction_findings(articles: list[Article]) -> list[Finding]:
    """A warning for each sentence of an article that addresses a reader or a model.

    Which sentences are instructions is decided in one place (`offline.clean.instruction_sentences`:
    a short cue list and the parse's imperatives); the offline summary never uses them, and the
    `one_source` check flags any engine's summary sentence that rests on such an article alone.
    """
    findings: list[Finding] = []
    for article in articles:
        for start, end in instruction_sentences(article.text):
            text = " ".join(article.text[start:end].split())
            if len(text) > 120:
                text = text[:117] + "..."
            findings.append(
                Finding(
                    check="instruction",
                    severity="warning",
                    message=(
                        f"article {article.id!r} contains text addressed to a reader or a model "
                        f"rather than reporting (\u201c{text}\u201d): the offline summary never "
                        "uses it, and a summary sentence resting on this article alone is "
                        "flagged (one_source); check where the article came from"
                    ),
                    location=Location(target="article", article_id=article.id),
                )
            )
    return findings


def _scope_findings(articles: list[Article]) -> list[Finding]:
    """One article alone, and articles the English-only lexicons and cue lists cannot read."""
    findings: list[Finding] = []
    if len(articles) == 1:
        findings.append(
            Finding(
                check="single_source",
                severity="info",
                message=(
                    "only one article was given: the summary rests on one outlet and no "
                    "cross-source claims can be found; add articles from other outlets"
                ),
                location=Location(target="report"),
            )
        )
    for article in articles:
        if not looks_english(article.text):
            findings.append(
                Finding(
                    check="language",
                    severity="warning",
                    message=(
                        f"article {article.id!r} does not look like English: the loaded-language "
                        "lexicon and the cue lists are English-only, so results for it are "
                        "unreliable"
                    ),
                    location=Location(target="article", article_id=article.id),
                )
            )
    return findings


def duplicate_findings(articles: list[Article]) -> list[Finding]:
    """A warning for each article whose text (whitespace aside) repeats an earlier one's.

    Two copies of one text count as two sources everywhere (shared facts, balance), so what it
    says would look more widely reported than it is; whichever engine ran, the editor is told.
    """
    first: dict[str, str] = {}
    findings: list[Finding] = []
    for article in articles:
        key = " ".join(article.text.split())
        if key not in first:
            first[key] = article.id
            continue
        findings.append(
            Finding(
                check="duplicate_source",
                severity="warning",
                message=(
                    f"articles {first[key]!r} and {article.id!r} have the same text: they count "
                    "as two sources, so what they say looks more widely reported than it is; "
                    "drop one, or give each outlet's own article"
                ),
                location=Location(target="article", article_id=article.id),
            )
        )
    return findings
