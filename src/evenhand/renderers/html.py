"""The report as one self-contained HTML file: inline CSS, no scripts, no external assets.

Every piece of article text is escaped, and a Content-Security-Policy that allows no script and no
remote resource is set as well, so a hostile article cannot run code in the editor's browser even
if an escape were ever missed. The articles are shown in full with their loaded terms marked.
"""

from __future__ import annotations

from html import escape

from ..schema import Article, LoadedTerm, Report
from .common import (
    KIND_LABELS,
    SIDE_LABELS,
    STANCE_LABELS,
    actor_kind_text,
    actors_by_side,
    alternative_text,
    badges,
    claim_confidence_text,
    counted,
    finding_where,
    findings_in_order,
    header_line,
    labels,
    outlet_only_evidence,
    shorten,
    term_source,
    terms_by_article,
    voice,
    word_count,
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #666; --line: #ddd;
  --own: #fde68a; --quote: #e5e7eb; --asserts: #15803d; --disputes: #b91c1c; --reports: #1d4ed8; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #161618; --muted: #aaa;
  --line: #333; --own: #854d0e; --quote: #374151; } }
body { font: 16px/1.55 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid var(--line);
  padding-bottom: .2rem; margin-top: 2.2rem; } h3 { font-size: 1.05rem; }
.meta, .src, .ctx { color: var(--muted); font-size: .9rem; }
td.none { color: var(--muted); font-style: italic; }
blockquote { margin: .3rem 0 .3rem 1rem; padding-left: .7rem; border-left: 3px solid var(--line); }
.badge { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; padding: .1rem .4rem;
  border: 1px solid var(--line); border-radius: .3rem; margin-left: .4rem; vertical-align: middle; }
.asserts { color: var(--asserts); } .disputes { color: var(--disputes); }
.reports { color: var(--reports); } .omits { color: var(--muted); } .stance { font-weight: 600; }
.actor { font-weight: 600; } .badge.outlet { text-transform: none; letter-spacing: 0; }
h4 { font-size: .95rem; margin: .8rem 0 .2rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line);
  padding: .35rem .5rem; }
mark.own { background: var(--own); color: inherit; }
mark.quote { background: var(--quote); color: inherit; }
.article-text { white-space: pre-wrap; }
.error { color: var(--disputes); font-weight: 600; } .warning { color: #b45309; font-weight: 600; }
.info { color: var(--reports); }
"""


def _e(text: str | None) -> str:
    return escape(text or "", quote=True)


def _alternative_cell(term: LoadedTerm) -> str:
    """The neutral alternative's cell; the note that there is none in muted text."""
    listed = alternative_text(term)
    if listed is None or term.neutral_alternative:
        return f"<td>{_e(listed)}</td>"
    return f'<td class="none">{_e(listed)}</td>'


def _marked_text(article: Article, terms: list[LoadedTerm], first_index: dict[int, int]) -> str:
    """The article text, escaped, with each loaded term in a <mark> that the table links to."""
    parts: list[str] = []
    cursor = 0
    for term in sorted(terms, key=lambda t: t.span.start):
        span = term.span
        if span.start < cursor:  # overlapping terms: the first one is marked
            continue
        css = "quote" if term.in_quote else "own"
        tip = f"{term.category}, {voice(term)}; confidence {term_source(term)}"
        listed = alternative_text(term)
        if term.neutral_alternative:
            tip += f"; neutral: {term.neutral_alternative}"
        elif listed:
            tip += f"; {listed}"
        parts.append(_e(article.text[cursor : span.start]))
        parts.append(
            f'<mark class="{css}" id="t{first_index[id(term)]}" title="{_e(tip)}">'
            f"{_e(article.text[span.start : span.end])}</mark>"
        )
        cursor = span.end
    parts.append(_e(article.text[cursor:]))
    return "".join(parts)


def render_html(report: Report) -> str:
    names = labels(report)
    out: list[str] = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>evenhand report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>evenhand report</h1>",
        f'<p class="meta">{_e(header_line(report))}</p>',
        "<ul>",
    ]
    for article in report.articles:
        title = f" — “{_e(article.title)}”" if article.title else ""
        out.append(
            f'<li><a href="#a-{_e(article.id)}">{_e(names[article.id])}</a>{title} '
            f'<span class="meta">{counted(word_count(article.text), "word")}</span></li>'
        )
    out.append("</ul>")

    out.append("<h2>Neutral summary</h2>")
    if not report.summary:
        out.append("<p>No summary: the sources gave nothing both could back.</p>")
    out.append("<ol>")
    for sentence in report.summary:
        out.append(f"<li><p>{_e(sentence.text)}</p>")
        if not sentence.support:
            out.append('<p class="error">No supporting source span.</p>')
        for span in sentence.support:
            out.append(
                f'<blockquote><span class="src">{_e(names.get(span.article_id))}:</span> '
                f"{_e(shorten(span.text, 400))}</blockquote>"
            )
        out.append("</li>")
    out.append("</ol>")

    out.append(f"<h2>Contested claims ({len(report.contested_claims)})</h2>")
    if not report.contested_claims:
        out.append("<p>No contested claims found.</p>")
    short = badges(report)
    for i, claim in enumerate(report.contested_claims, start=1):
        kind = KIND_LABELS.get(claim.kind, claim.kind)
        out.append(
            f'<h3>{i}. {_e(claim.claim)}<span class="badge">{_e(kind)}</span>'
            f'<span class="meta"> {_e(claim_confidence_text(claim))}</span></h3>'
        )
        out.append(f"<p><em>{_e(claim.note)}</em></p>")
        for side, actors in actors_by_side(claim):
            stance = "asserts" if side == SIDE_LABELS["asserts"] else "disputes"
            out.append(f'<h4 class="{stance}">{_e(side)}</h4><ul class="actors">')
            for actor in actors:
                outlets = "".join(
                    f'<span class="badge outlet">{_e(short.get(r, r))}</span>'
                    for r in actor.reported_by
                )
                evidence = "".join(
                    f"<blockquote>{_e(shorten(s.text, 500))}</blockquote>" for s in actor.evidence
                )
                out.append(
                    f'<li><span class="actor">{_e(actor.actor)}</span> '
                    f'<span class="meta">({_e(actor_kind_text(actor))})</span>{outlets}'
                    f"{evidence}</li>"
                )
            out.append("</ul>")
        out.append('<h4>outlets</h4><ul class="outlets">')
        for position in claim.positions:
            evidence = "".join(
                f"<blockquote>{_e(shorten(s.text, 500))}</blockquote>"
                for s in outlet_only_evidence(claim, position.article_id)
            )
            label = STANCE_LABELS[position.stance]
            out.append(
                f'<li><span class="stance {_e(position.stance)}">{_e(label)}</span> '
                f"{_e(names.get(position.article_id, position.article_id))}{evidence}</li>"
            )
        out.append("</ul>")

    out.append(f"<h2>Loaded language ({len(report.loaded_language)})</h2>")
    index = {id(term): n for n, term in enumerate(report.loaded_language)}
    groups = terms_by_article(report)
    if not groups:
        out.append("<p>No loaded language found.</p>")
    for article, terms in groups:
        out.append(f"<h3>{_e(names[article.id])}</h3>")
        out.append(
            "<table><tr><th>term</th><th>category</th><th>voice</th><th>confidence</th>"
            "<th>neutral alternative</th><th>why</th></tr>"
        )
        for term in terms:
            out.append(
                f'<tr><td><a href="#t{index[id(term)]}">{_e(term.span.text)}</a></td>'
                f"<td>{_e(term.category)}</td><td>{_e(voice(term))}</td>"
                f"<td>{_e(term_source(term))}</td>{_alternative_cell(term)}"
                f"<td>{_e(term.explanation)}</td></tr>"
            )
        out.append("</table>")

    out.append(f"<h2>Findings ({len(report.findings)})</h2>")
    if not report.findings:
        out.append("<p>No findings: every check passed.</p>")
    out.append("<ul>")
    for finding in findings_in_order(report):
        where = finding_where(finding)
        out.append(
            f'<li><span class="{finding.severity}">{finding.severity}</span> '
            f"<code>{_e(finding.check)}</code>: {_e(finding.message)}"
            + (f' <span class="meta">({_e(where)})</span>' if where else "")
            + (f"<br>Fix: {_e(finding.suggestion)}" if finding.suggestion else "")
            + "</li>"
        )
    out.append("</ul>")

    out.append("<h2>Articles</h2>")
    by_article = {article.id: terms for article, terms in terms_by_article(report)}
    for article in report.articles:
        out.append(f'<h3 id="a-{_e(article.id)}">{_e(names[article.id])}</h3>')
        if article.title:
            out.append(f"<p><strong>{_e(article.title)}</strong></p>")
        if article.url:
            out.append(f'<p class="meta">{_e(article.url)}</p>')
        terms = by_article.get(article.id, [])
        out.append(f'<div class="article-text">{_marked_text(article, terms, index)}</div>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
