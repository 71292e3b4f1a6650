"""A `CheckReport` (findings on an editor's draft) as terminal text, Markdown, JSON or HTML.

Every format shows the draft itself with each finding marked where it applies, numbered, and
then the numbered findings with their explanations and suggested fixes. Findings that apply to
the whole draft or to a source (balance, omissions) are listed without a mark.
"""

from __future__ import annotations

import html
from collections import Counter

from ..schema import SEVERITY_RANK, CheckReport, Finding
from .colour import Painter
from .common import counted
from .markdown import escape as escape_markdown

WIDTH = 88
_UNDERLINE = {"error": "^", "warning": "~", "info": "-"}
_STYLE = {"error": "red", "warning": "yellow", "info": "cyan", "bold": "bold"}


def _anchored(report: CheckReport) -> list[tuple[int, Finding]]:
    """Findings (numbered from 1, worst first, then by place) with their draft span, if any."""
    ordered = sorted(
        report.findings,
        key=lambda f: (
            -SEVERITY_RANK[f.severity],
            f.location.start if f.location and f.location.start is not None else -1,
        ),
    )
    return list(enumerate(ordered, start=1))


def _span(report: CheckReport, finding: Finding) -> tuple[int, int] | None:
    loc = finding.location
    if loc is None or loc.target != "draft" or loc.start is None or loc.end is None:
        return None
    if loc.start == 0 and loc.end >= len(report.draft.rstrip()):
        return None  # the whole draft: nothing to point at
    return loc.start, min(loc.end, len(report.draft))


def _counts(report: CheckReport) -> str:
    counts = Counter(f.severity for f in report.findings)
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info")
    ]
    return ", ".join(parts)


def _where(report: CheckReport, finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return "the draft"
    if loc.target == "draft" and loc.start is not None and loc.end is not None:
        line = report.draft.count("\n", 0, loc.start) + 1
        return f"line {line}, characters {loc.start}-{loc.end}"
    if loc.target == "article" and loc.article_id:
        return f"in {loc.article_id}"
    return "the draft as a whole"


def _chunks(text: str, width: int) -> list[tuple[int, int]]:
    """The draft cut into display lines (at spaces, at most `width` wide) as offsets."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        while end - start > width:
            cut = text.rfind(" ", start, start + width)
            if cut <= start:
                cut = start + width
            out.append((start, cut))
            start = cut + 1 if text[cut : cut + 1] == " " else cut
        out.append((start, end))
        pos = end + 1
    return out


def render_check(report: CheckReport, fmt: str, *, color: bool) -> str:
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "html":
        return _html(report)
    return _text(report, color)


def _paint(color: bool, text: str, style: str) -> str:
    return Painter(color)(text, _STYLE[style])


def _text(report: CheckReport, color: bool) -> str:
    numbered = _anchored(report)
    spans = [(n, f, _span(report, f)) for n, f in numbered]
    lines = [
        _paint(color, "evenhand check", "bold")
        + f": {counted(len(report.articles), 'source')}, {_counts(report)}",
        "",
    ]
    chunks = _chunks(report.draft, WIDTH)
    if len(chunks) > 1 and chunks[-1][0] == chunks[-1][1]:
        chunks.pop()  # the draft's final newline: no empty display line
    for start, end in chunks:
        lines.append("  " + report.draft[start:end])
        marks = [" "] * (end - start)
        labels = [" "] * (end - start + 8)
        for n, f, span in spans:
            if span is None or span[1] <= start or span[0] >= end:
                continue
            lo, hi = max(span[0], start), min(span[1], end)
            for i in range(lo - start, hi - start):
                marks[i] = _UNDERLINE[f.severity]
            if span[0] >= start:
                tag = f"[{n}]"
                at = span[0] - start
                if all(c == " " for c in labels[at : at + len(tag)]):
                    labels[at : at + len(tag)] = list(tag)
        if any(c != " " for c in marks):
            lines.append("  " + _colour_marks("".join(marks), color).rstrip())
            lines.append("  " + "".join(labels).rstrip())
    lines.append("")
    if not numbered:
        lines.append("No findings: every check passed.")
    for n, f in numbered:
        head = f"[{n}] {f.severity} {f.check}"
        lines.append(_paint(color, head, f.severity) + f" ({_where(report, f)})")
        lines.append(f"    {f.message}")
        if f.suggestion:
            lines.append(f"    fix: {f.suggestion}")
    return "\n".join(lines) + "\n"


def _colour_marks(marks: str, color: bool) -> str:
    if not color:
        return marks
    style = {v: k for k, v in _UNDERLINE.items()}
    return "".join(_paint(True, c, style[c]) if c in style else c for c in marks)


def _markdown(report: CheckReport) -> str:
    numbered = _anchored(report)
    # Marks go in from the end of the draft so earlier offsets stay valid.
    # The draft and the sources are untrusted: the draft is escaped character by character, and
    # the marks are kept apart by offset (marks[i] goes before character i) until the end.
    draft = report.draft
    inserts: list[tuple[int, int, int]] = []
    for n, f in numbered:
        span = _span(report, f)
        if span is not None:
            inserts.append((span[0], span[1], n))
    marks: list[list[str]] = [[] for _ in range(len(draft) + 1)]
    taken: list[tuple[int, int]] = []
    for start, end, n in sorted(inserts, key=lambda x: -x[0]):
        if any(s < end and start < e for s, e in taken):
            marks[end].append(f"<sup>[{n}]</sup>")
            continue
        taken.append((start, end))
        marks[end].insert(0, f"**<sup>[{n}]</sup>")
        marks[start].append("**")
    marked = "".join(
        "".join(marks[i]) + (c if c == "\n" else escape_markdown(c, strip=False))
        for i, c in enumerate(draft)
    ) + "".join(marks[len(draft)])
    out = [
        "# evenhand check",
        "",
        f"{len(report.articles)} sources; {_counts(report)}.",
        "",
        "## Draft",
        "",
        *[f"> {line}" if line else ">" for line in marked.split("\n")],
        "",
        "## Findings",
        "",
    ]
    if not numbered:
        out.append("No findings: every check passed.")
    for n, f in numbered:
        where, message = escape_markdown(_where(report, f)), escape_markdown(f.message)
        out.append(f"{n}. **{f.severity}** `{f.check}` ({where}): {message}")
        if f.suggestion:
            out.append(f"   - fix: {escape_markdown(f.suggestion)}")
    return "\n".join(out) + "\n"


_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}
.draft{white-space:pre-wrap;border-left:4px solid #ccc;padding:.5rem 1rem}
mark{background:none;border-bottom:3px solid}mark.error{border-color:#c00}
mark.warning{border-color:#d80}mark.info{border-color:#08a}sup{font-size:.7em}
.error b{color:#c00}.warning b{color:#a60}.info b{color:#068}li{margin:.4rem 0}"""


def _html(report: CheckReport) -> str:
    numbered = _anchored(report)
    draft = report.draft
    marks: list[tuple[int, int, int, Finding]] = []
    for n, f in numbered:
        span = _span(report, f)
        if span is not None and not any(s < span[1] and span[0] < e for s, e, _, _ in marks):
            marks.append((span[0], span[1], n, f))
    parts: list[str] = []
    pos = 0
    for start, end, n, f in sorted(marks, key=lambda m: m[0]):
        parts.append(html.escape(draft[pos:start]))
        title = html.escape(f"{f.severity} {f.check}: {f.message}", quote=True)
        parts.append(
            f'<mark class="{f.severity}" title="{title}">{html.escape(draft[start:end])}</mark>'
            f'<sup><a href="#f{n}">[{n}]</a></sup>'
        )
        pos = end
    parts.append(html.escape(draft[pos:]))
    items = []
    for n, f in numbered:
        fix = f"<br>fix: {html.escape(f.suggestion)}" if f.suggestion else ""
        items.append(
            f'<li id="f{n}" class="{f.severity}"><b>{f.severity}</b> <code>{f.check}</code> '
            f"({html.escape(_where(report, f))}): {html.escape(f.message)}{fix}</li>"
        )
    body = "\n".join(items) if items else "<p>No findings: every check passed.</p>"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>evenhand check</title>"
        f"<style>{_CSS}</style></head><body>\n<h1>evenhand check</h1>\n"
        f"<p>{len(report.articles)} sources; {_counts(report)}.</p>\n"
        f'<h2>Draft</h2>\n<div class="draft">{"".join(parts)}</div>\n'
        f"<h2>Findings</h2>\n<ol>\n{body}\n</ol>\n</body></html>\n"
    )
