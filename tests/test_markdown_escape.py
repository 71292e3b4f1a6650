"""Markdown exports carry no live HTML from article text, outlet names or the draft.

Rendered with markdown-it (CommonMark, which rich already depends on), the Markdown of a check
report must show `<script>` as text, never as a tag, and the finding marks must stay where
the findings are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from markdown_it import MarkdownIt

from evenhand.renderers import render
from evenhand.schema import Article, CheckReport, Finding, Location, Provenance

HOSTILE = "<script>alert(1)</script>"


def _as_html(markdown: str) -> str:
    html: str = MarkdownIt("commonmark").enable("table").render(markdown)
    return html


def _check_report() -> CheckReport:
    draft = f"The mayor *said* {HOSTILE} the vote was rigged.\n<img src=x onerror=alert(2)>\n"
    start = draft.index("rigged")
    article = Article(id="a", outlet=HOSTILE, text=f"The vote was rigged, {HOSTILE} said.")
    return CheckReport(
        draft=draft,
        articles=[article],
        findings=[
            Finding(
                check="loaded_leak",
                severity="warning",
                message=f"“rigged” is loaded wording that {HOSTILE} uses",
                location=Location(target="draft", start=start, end=start + len("rigged")),
                suggestion=f"attribute it to {HOSTILE}",
            ),
            Finding(
                check="unattributed_contested",
                severity="warning",
                message="states a contested claim as fact",
                location=Location(target="draft", start=draft.index("the vote"), end=start + 7),
            ),
        ],
        provenance=Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC)),
    )


def test_check_markdown_escapes_draft_and_messages() -> None:
    out = render(_check_report(), "markdown")
    assert not re.search(r"(?<!\\)<(script|img)", out)  # every `<` is backslash-escaped
    html = _as_html(out)
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The draft's own asterisks are text, not emphasis; the marks are still at their offsets.
    assert "\\*said\\*" in out
    assert "the vote was **rigged**<sup>[2]</sup>.<sup>[1]</sup>" in out


def test_check_markdown_marks_unchanged_for_plain_drafts() -> None:
    report = _check_report().model_copy(update={"draft": "The vote was rigged.\n"})
    report.findings[0].location = Location(target="draft", start=13, end=19)
    report.findings[1].location = Location(target="draft", start=4, end=20)
    out = render(report, "markdown")
    assert "> The vote was **rigged**<sup>[2]</sup>.<sup>[1]</sup>\n" in out
