"""The report as Markdown (GitHub-flavoured: tables), for notes, tickets and pull requests.

Article text is untrusted: every piece of it is escaped, so a quote cannot open a link, inject
HTML or break a table.
"""

from __future__ import annotations

import re

from ..schema import LoadedTerm, Report
from .common import (
    KIND_LABELS,
    STANCE_LABELS,
    actor_kind_text,
    actors_by_side,
    alternative_text,
    badges,
    claim_confidence_text,
    context,
    finding_where,
    findings_in_order,
    header_line,
    labels,
    one_line,
    outlet_only_evidence,
    quoted,
    term_source,
    terms_by_article,
    voice,
    word_count,
)

_SPACE = re.compile(r"\s+")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def escape(text: str, *, strip: bool = True) -> str:
    """Inline Markdown: one line, with every character that could start markup backslash-escaped."""
    flat = one_line(text) if strip else _SPACE.sub(" ", text)
    return _SPECIAL.sub(r"\\\1", flat)


def _badge(name: str) -> str:
    """An outlet's name inside a code span: one line, with no backtick to close it early."""
    return one_line(name).replace("`", "'")


def _quote(text: str, limit: int = 300) -> str:
    return escape(quoted(text, limit))


def _alternative(term: LoadedTerm) -> str:
    """The neutral alternative; the note that there is none in italics."""
    listed = alternative_text(term)
    if listed is None:
        return ""
    return escape(listed) if term.neutral_alternative else f"*{escape(listed)}*"


def render_markdown(report: Report) -> str:
    names = {k: escape(v) for k, v in labels(report).items()}
    out = ["# evenhand report", "", escape(header_line(report)), ""]
    out += ["| id | outlet | title | words |", "| --- | --- | --- | ---: |"]
    for article in report.articles:
        title = escape(article.title) if article.title else ""
        if article.url and title:
            title += f" ({escape(article.url)})"
        out.append(
            f"| {escape(article.id)} | {escape(article.outlet or '')} | {title} "
            f"| {word_count(article.text)} |"
        )

    out += ["", "## Neutral summary", ""]
    if not report.summary:
        out.append("No summary: the sources gave nothing both could back.")
    for i, sentence in enumerate(report.summary, start=1):
        out.append(f"{i}. {escape(sentence.text)}")
        for span in sentence.support:
            out.append(f"   - {names.get(span.article_id, span.article_id)}: {_quote(span.text)}")
        if not sentence.support:
            out.append("   - **no supporting source span**")

    out += ["", f"## Contested claims ({len(report.contested_claims)})", ""]
    if not report.contested_claims:
        out.append("No contested claims found.")
    short = badges(report)
    for i, claim in enumerate(report.contested_claims, start=1):
        kind = KIND_LABELS.get(claim.kind, claim.kind)
        out += [
            f"### {i}. {escape(claim.claim)} ({kind}, {claim_confidence_text(claim)})",
            "",
            f"*{escape(claim.note)}*",
            "",
        ]
        for side, actors in actors_by_side(claim):
            out.append(f"**{side.capitalize()}**")
            out.append("")
            for actor in actors:
                outlets = " ".join(f"`{_badge(short.get(r, r))}`" for r in actor.reported_by)
                evidence = "; ".join(_quote(s.text) for s in actor.evidence) or "(no evidence)"
                out.append(
                    f"- **{escape(actor.actor)}** ({actor_kind_text(actor)}) {outlets}: {evidence}"
                )
            out.append("")
        out += ["**Outlets**", ""]
        for position in claim.positions:
            who = names.get(position.article_id, position.article_id)
            extra = outlet_only_evidence(claim, position.article_id)
            evidence = (": " + "; ".join(_quote(s.text) for s in extra)) if extra else ""
            out.append(f"- {who} **{STANCE_LABELS[position.stance]}**{evidence}")
        out.append("")

    out += ["", f"## Loaded language ({len(report.loaded_language)})", ""]
    groups = terms_by_article(report)
    if not groups:
        out.append("No loaded language found.")
    for article, terms in groups:
        out += [
            f"### {names[article.id]}",
            "",
            "| term | category | voice | confidence | neutral alternative | in context | why |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for term in terms:
            before, match, after = context(article, term.span, width=50)
            voice_text = voice(term) if term.in_quote else f"**{voice(term)}**"
            out.append(
                f"| **{escape(term.span.text)}** | {escape(term.category)} | {voice_text} "
                f"| {escape(term_source(term))} "
                f"| {_alternative(term)} "
                f"| {escape(before, strip=False)}**{escape(match)}**{escape(after, strip=False)} "
                f"| {escape(term.explanation)} |"
            )
        out.append("")

    out += ["", f"## Findings ({len(report.findings)})", ""]
    if not report.findings:
        out.append("No findings: every check passed.")
    for finding in findings_in_order(report):
        where = finding_where(finding)
        line = f"- **{finding.severity}** `{finding.check}`: {escape(finding.message)}"
        if where:
            line += f" ({escape(where)})"
        if finding.suggestion:
            line += f" Fix: {escape(finding.suggestion)}"
        out.append(line)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"
