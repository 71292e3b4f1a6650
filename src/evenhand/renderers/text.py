"""The terminal report, in the order an editor reads it.

Summary first (numbered sentences, each with the source spans behind it), then the contested
claims (who asserts and who disputes, each actor with outlet badges and quoted evidence, then
what each outlet does with the claim), then loaded language per outlet (own voice or
inside a quote, with a neutral alternative, the confidence and what found it), then the findings.
Colour (by rich, see `colour.py`) only when asked for: the CLI asks when stdout is a terminal and
NO_COLOR is not set.
"""

from __future__ import annotations

import textwrap

from ..schema import Report
from .colour import Painter
from .common import (
    KIND_LABELS,
    SIDE_LABELS,
    STANCE_LABELS,
    actor_kind_text,
    actors_by_side,
    alternative_text,
    badges,
    claim_confidence_text,
    context,
    counted,
    finding_where,
    findings_in_order,
    header_line,
    labels,
    outlet_only_evidence,
    quoted,
    shorten,
    term_source,
    terms_by_article,
    voice,
    word_count,
)

WIDTH = 88

_SEVERITY_STYLE = {"error": ("bold", "red"), "warning": ("bold", "yellow"), "info": ("cyan",)}
_STANCE_STYLE = {
    "asserts": ("green",),
    "disputes": ("red",),
    "reports": ("blue",),
    "omits": ("dim",),
}


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    """`text` wrapped to WIDTH; `first` replaces the indent on the first line (a number)."""
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent if first is None else first]


def _pack(
    pieces: list[tuple[str, str, str]], indent: str = "    ", more: str = "        "
) -> list[str]:
    """`(separator, plain, painted)` pieces on lines of WIDTH: a piece is never split, and one
    that does not fit starts the next line (indented by `more`) instead of its separator."""
    lines: list[str] = []
    width, line = len(indent), indent
    for sep, plain, painted in pieces:
        if line == indent:  # the first piece
            width, line = width + len(plain), line + painted
        elif width + len(sep) + len(plain) > WIDTH:
            lines.append(line)
            width, line = len(more) + len(plain), more + painted
        else:
            width, line = width + len(sep) + len(plain), line + sep + painted
    lines.append(line)
    return lines


def _heading(paint: Painter, title: str, count: int | None = None) -> list[str]:
    label = title.upper() + (f" ({count})" if count is not None else "")
    return ["", paint(label, "bold", "magenta"), paint("─" * len(label), "magenta")]


def _articles(report: Report, paint: Painter) -> list[str]:
    lines = [
        paint("evenhand report", "bold"),
        *[paint(x, "dim") for x in _wrap(header_line(report), "  ")],
    ]
    for article in report.articles:
        title = f" “{shorten(article.title, 70)}”" if article.title else ""
        outlet = f" ({article.outlet})" if article.outlet else ""
        words = paint(counted(word_count(article.text), "word"), "dim")
        url = paint(f" {article.url}", "dim") if article.url else ""
        lines.append(f"  [{paint(article.id, 'bold')}]{outlet}{title} · {words}{url}")
    return lines


def _summary(report: Report, paint: Painter, names: dict[str, str]) -> list[str]:
    lines = _heading(paint, "Neutral summary")
    if not report.summary:
        return [*lines, "  No summary: the sources gave nothing both could back."]
    for i, sentence in enumerate(report.summary, start=1):
        number = f"{i:>3}. "
        lines += _wrap(sentence.text, " " * len(number), first=number)
        if not sentence.support:
            lines.append(paint("     ! no supporting source span", "red"))
        for span in sentence.support:
            quote = f"{names.get(span.article_id, span.article_id)}: {quoted(span.text, 160)}"
            lines += [paint(line, "dim") for line in _wrap(quote, "         ", first="       ← ")]
    return lines


def _claims(report: Report, paint: Painter, names: dict[str, str]) -> list[str]:
    lines = _heading(paint, "Contested claims", len(report.contested_claims))
    if not report.contested_claims:
        return [*lines, "  No contested claims found."]
    short = badges(report)
    for i, claim in enumerate(report.contested_claims, start=1):
        number = f"{i:>3}. "
        kind = paint(f"[{KIND_LABELS.get(claim.kind, claim.kind)}]", "bold", "cyan")
        score = paint(claim_confidence_text(claim), "dim")
        wrapped = _wrap(claim.claim, " " * len(number), first=number)
        lines.append(f"{wrapped[0]}  {kind}  {score}")
        lines += wrapped[1:]
        lines += [paint(line, "italic") for line in _wrap(claim.note, "     ")]
        for side, actors in actors_by_side(claim):
            stance = "asserts" if side == SIDE_LABELS["asserts"] else "disputes"
            lines.append("     " + paint(side, "bold", *_STANCE_STYLE[stance]))
            for actor in actors:
                outlets = " ".join(f"[{short.get(r, r)}]" for r in actor.reported_by)
                lines += _pack(
                    [
                        ("", actor.actor, paint(actor.actor, "bold")),
                        (" ", f"({actor_kind_text(actor)})", f"({actor_kind_text(actor)})"),
                        ("  ", outlets, paint(outlets, "cyan")),
                    ],
                    indent="       ",
                    more="         ",
                )
                for span in actor.evidence:
                    lines += _wrap(quoted(span.text, 300), "         ")
        lines.append("     " + paint("outlets", "bold"))
        for position in claim.positions:
            label = STANCE_LABELS[position.stance]
            stance = paint(f"{label:<27}", *_STANCE_STYLE[position.stance])
            who = names.get(position.article_id, position.article_id)
            lines.append(f"       {stance}{who}")
            for span in outlet_only_evidence(claim, position.article_id):
                lines += _wrap(quoted(span.text, 300), "         ")
        lines.append("")
    lines.pop()
    return lines


def _loaded(report: Report, paint: Painter) -> list[str]:
    lines = _heading(paint, "Loaded language", len(report.loaded_language))
    groups = terms_by_article(report)
    if not groups:
        return [*lines, "  No loaded language found."]
    for article, terms in groups:
        own = sum(not t.in_quote for t in terms)
        outlet = f" ({article.outlet})" if article.outlet else ""
        lines.append(
            f"  {paint(article.id, 'bold')}{outlet}: {len(terms)} term"
            f"{'s' if len(terms) != 1 else ''}, {own} in the outlet's own voice"
        )
        for term in terms:
            where = paint(voice(term), *(("dim",) if term.in_quote else ("bold", "yellow")))
            pieces = [
                (
                    "",
                    f"• {term.span.text}  {term.category}, {voice(term)}",
                    f"• {paint(term.span.text, 'bold')}  {term.category}, {where}",
                )
            ]
            listed = alternative_text(term)
            if term.neutral_alternative:
                alternative = term.neutral_alternative
                pieces.append((" ", f"→ {alternative}", f"→ {paint(alternative, 'green')}"))
            elif listed:  # a term the tagger alone found: say there is none
                pieces.append((" ", f"({listed})", paint(f"({listed})", "dim")))
            source = f"[{term_source(term)}]"
            pieces.append(("  ", source, paint(source, "dim")))
            lines += _pack(pieces)
            before, match, after = context(article, term.span)
            lines += [paint(line, "dim") for line in _wrap(f"{before}[{match}]{after}", "        ")]
            if term.explanation:
                lines += _wrap(term.explanation, "        ")
        lines.append("")
    lines.pop()
    return lines


def _findings(report: Report, paint: Painter) -> list[str]:
    lines = _heading(paint, "Findings", len(report.findings))
    if not report.findings:
        return [*lines, "  No findings: every check passed."]
    for finding in findings_in_order(report):
        severity = paint(f"{finding.severity:<8}", *_SEVERITY_STYLE[finding.severity])
        where = finding_where(finding)
        text = f"{finding.message} [{finding.check}" + (f"; {where}]" if where else "]")
        wrapped = _wrap(text, " " * 12)
        lines.append(f"  {severity}  {wrapped[0].lstrip()}")
        lines += wrapped[1:]
        if finding.suggestion:
            lines += _wrap(f"fix: {finding.suggestion}", " " * 12)
    return lines


def render_text(report: Report, *, color: bool = False) -> str:
    paint = Painter(color)
    names = labels(report)
    lines = [
        *_articles(report, paint),
        *_summary(report, paint, names),
        *_claims(report, paint, names),
        *_loaded(report, paint),
        *_findings(report, paint),
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
