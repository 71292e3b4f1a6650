"""Rendering reports built here by hand: what each format shows, in which order, and escaping."""

from __future__ import annotations

import json
import re
import sys
import types
from datetime import UTC, datetime
from typing import Any

import pytest

from evenhand.errors import UsageError
from evenhand.renderers import FORMATS, render
from evenhand.schema import (
    ActorPosition,
    Article,
    CheckReport,
    ContestedClaim,
    Finding,
    LoadedTerm,
    Location,
    Position,
    Provenance,
    Report,
    Span,
    SummarySentence,
)

TEXT_A = (
    "The regime-friendly mayor said the budget protects schools. "
    "Critics claimed the vote was rigged, without providing any evidence. "
    '"These reckless | *bankers* <script>alert(1)</script> ruin us," one critic said.'
)
TEXT_B = (
    "Budget passes\n\nThe mayor said the budget protects schools. "
    "The opposition says the vote was rigged; the council denies it."
)


def span(article: Article, text: str) -> Span:
    start = article.text.index(text)
    return Span(article_id=article.id, start=start, end=start + len(text), text=text)


@pytest.fixture
def report() -> Report:
    a = Article(id="a", outlet="Daily Wire", text=TEXT_A, url="https://a.example/story")
    b = Article(id="b", outlet=None, title="Budget passes", text=TEXT_B)
    return Report(
        articles=[a, b],
        summary=[
            SummarySentence(
                text="The mayor said the budget protects schools.",
                support=[
                    span(a, "the budget protects schools"),
                    span(b, "The mayor said the budget protects schools."),
                ],
            ),
            SummarySentence(text="The opposition says the vote was rigged.", support=[]),
        ],
        contested_claims=[
            ContestedClaim(
                claim="The vote was rigged.",
                kind="disputed",
                positions=[
                    Position(
                        article_id="a",
                        stance="asserts",
                        evidence=[span(a, "Critics claimed the vote was rigged")],
                    ),
                    Position(
                        article_id="b",
                        stance="disputes",
                        evidence=[span(b, "the council denies it")],
                    ),
                ],
                note="Critics in a say the vote was rigged; the council in b denies it.",
                actors=[
                    ActorPosition(
                        actor="Critics",
                        kind="group",
                        stance="asserts",
                        evidence=[span(a, "Critics claimed the vote was rigged")],
                        reported_by=["a"],
                    ),
                    ActorPosition(
                        actor="The opposition",
                        kind="group",
                        stance="asserts",
                        evidence=[span(b, "The opposition says the vote was rigged")],
                        reported_by=["b"],
                    ),
                    ActorPosition(
                        actor="the council",
                        kind="organisation",
                        stance="disputes",
                        evidence=[span(b, "the council denies it")],
                        reported_by=["b"],
                    ),
                ],
                confidence=0.83,
            )
        ],
        loaded_language=[
            LoadedTerm(
                span=span(a, "without providing any evidence"),
                category="unsubstantiated",
                in_quote=False,
                neutral_alternative=None,
                explanation="The writer's own verdict on a claim.",
                confidence=0.6412,
                origin="model",
            ),
            LoadedTerm(
                span=span(a, "regime-friendly"),
                category="labelling",
                in_quote=False,
                neutral_alternative="government-aligned",
                explanation="A label that takes sides.",
                confidence=0.91,
                origin="both",
            ),
            LoadedTerm(
                span=span(a, "reckless"),
                category="sensational",
                in_quote=True,
                neutral_alternative="risky",
                explanation="Emotive wording.",
                confidence=0.5,
                origin="lexicon",
            ),
        ],
        findings=[
            Finding(check="single_source", severity="info", message="A note for the editor."),
            Finding(
                check="unsupported_content",
                severity="error",
                message="summary sentence 2 has no supporting span in any source",
                location=Location(target="summary", index=1),
                suggestion="Attribute it or drop it.",
            ),
        ],
        provenance=Provenance(
            engine="offline", duration_ms=12.5, created_at=datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
        ),
    )


@pytest.fixture
def empty_report() -> Report:
    return Report(
        articles=[Article(id="only", text="One short article.")],
        summary=[],
        contested_claims=[],
        loaded_language=[],
        findings=[],
        provenance=Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC)),
    )


# --- terminal text -----------------------------------------------------------------------------


def test_text_sections_come_in_the_editors_order(report: Report) -> None:
    out = render(report, "text")
    order = [out.index(h) for h in ("NEUTRAL SUMMARY", "CONTESTED CLAIMS", "LOADED LANGUAGE")]
    assert order == sorted(order)
    assert out.index("LOADED LANGUAGE") < out.index("FINDINGS (2)")


def test_text_summary_is_numbered_with_sources(report: Report) -> None:
    out = render(report, "text")
    assert "  1. The mayor said the budget protects schools." in out
    assert "  2. The opposition says the vote was rigged." in out
    assert "← a (Daily Wire): “the budget protects schools”" in out
    assert "← b: “The mayor said the budget protects schools.”" in out
    assert "! no supporting source span" in out


def test_text_claims_show_kind_who_asserts_who_disputes_and_evidence(report: Report) -> None:
    out = render(report, "text")
    claims = out[out.index("CONTESTED CLAIMS") : out.index("LOADED LANGUAGE")]
    assert "1. The vote was rigged.  [disputed]  confidence 0.83" in claims
    assert "Critics in a say the vote was rigged" in claims
    # Actors by side, each with the badges of the outlets that report them and the evidence.
    assert re.search(
        r"who asserts\n\s+Critics \(group\)  \[Daily Wire\]\n"
        r"\s+“Critics claimed the vote was rigged”\n"
        r"\s+The opposition \(group\)  \[b\]\n\s+“The opposition says the vote was rigged”",
        claims,
    )
    assert re.search(
        r"who disputes\n\s+the council \(organisation\)  \[b\]\n\s+“the council denies it”",
        claims,
    )
    # Then what each outlet does, in its own right; evidence already quoted is not repeated.
    assert re.search(
        r"outlets\n\s+asserts in its own voice\s+a \(Daily Wire\)\n"
        r"\s+disputes in its own voice\s+b\n",
        claims + "\n",
    )


def test_text_loaded_language_per_outlet_with_voice_and_alternatives(report: Report) -> None:
    out = render(report, "text")
    loaded = out[out.index("LOADED LANGUAGE") : out.index("FINDINGS")]
    assert "a (Daily Wire): 3 terms, 2 in the outlet's own voice" in loaded
    # In text order, whatever the report's order.
    assert loaded.index("regime-friendly") < loaded.index("without providing any evidence")
    assert "regime-friendly  labelling, outlet's own voice → government-aligned" in loaded
    assert "reckless  sensational, in a quote → risky  [0.50 lexicon]" in loaded
    # The term is marked in its context (which may wrap across lines).
    assert "vote was rigged, [without providing any evidence]." in " ".join(loaded.split())
    assert "\nb" not in loaded  # no section for an article without loaded terms


def test_text_loaded_terms_show_confidence_and_origin(report: Report) -> None:
    out = render(report, "text")
    lines = out[out.index("LOADED LANGUAGE") : out.index("FINDINGS")].split("\n")
    # a line too long for the width puts the confidence under the term
    at = lines.index("    • regime-friendly  labelling, outlet's own voice → government-aligned")
    assert lines[at + 1] == "        [0.91 tagger+lexicon]"
    # a term only the tagger found, with no alternative in the lexicon, says so
    at = lines.index("    • without providing any evidence  unsubstantiated, outlet's own voice")
    assert lines[at + 1] == "        (no neutral alternative listed)  [0.64 tagger]"


def test_text_findings_worst_first_with_location_and_fix(report: Report) -> None:
    out = render(report, "text")
    findings = out[out.index("FINDINGS") :]
    assert findings.index("error") < findings.index("info")
    assert "[unsupported_content; summary sentence 2]" in findings
    assert "fix: Attribute it or drop it." in findings


def test_text_colour_only_when_asked(report: Report) -> None:
    assert "\x1b[" not in render(report, "text")
    coloured = render(report, "text", color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render(report, "text")


def test_text_lines_fit_the_width(report: Report) -> None:
    # Long words (URLs) may overflow; everything else wraps at 88 columns.
    too_long = [
        line
        for line in render(report, "text").split("\n")
        if len(line) > 88 and " " in line.strip()
    ]
    assert too_long == []


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_structure(report: Report) -> None:
    out = render(report, "markdown")
    for heading in (
        "# evenhand report",
        "## Neutral summary",
        "## Contested claims (1)",
        "### 1. The vote was rigged. (disputed, confidence 0.83)",
        "## Loaded language (3)",
        "### a (Daily Wire)",
        "## Findings (2)",
    ):
        assert f"\n{heading}\n" in f"\n{out}"
    assert "1. The mayor said the budget protects schools." in out
    assert "### 1. The vote was rigged. (disputed, confidence 0.83)" in out
    assert "**Who asserts**\n\n- **Critics** (group) `Daily Wire`: “Critics claimed the vote" in out
    assert "- **the council** (organisation) `b`: “the council denies it”" in out
    assert "**Outlets**\n\n- a (Daily Wire) **asserts in its own voice**\n" in out
    assert (
        "| **regime-friendly** | labelling | **outlet's own voice** | 0.91 tagger+lexicon "
        "| government-aligned |"
    ) in out
    assert (
        "| **without providing any evidence** | unsubstantiated | **outlet's own voice** "
        "| 0.64 tagger | *no neutral alternative listed* |"
    ) in out
    assert "| **reckless** | sensational | in a quote | 0.50 lexicon | risky |" in out
    assert "- **error** `unsupported_content`:" in out


def test_markdown_escapes_article_text(report: Report) -> None:
    out = render(report, "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| **reckless**"))
    assert "\\<script\\>" in row
    assert "<script>" not in out
    assert "\\| \\*bankers\\*" in row  # a pipe in the text cannot break the table
    assert row.count(" | ") == 6  # seven cells


# --- JSON --------------------------------------------------------------------------------------


def test_json_round_trips_to_the_same_report(report: Report) -> None:
    out = render(report, "json")
    assert out.startswith('{\n  "schema_version": "2.0",')
    assert Report.model_validate_json(out) == report
    assert json.loads(out)["loaded_language"][2]["in_quote"] is True


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_self_contained_and_escapes_article_text(report: Report) -> None:
    out = render(report, "html")
    assert out.startswith("<!doctype html>")
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    # No external assets: no stylesheet links, no src attributes, no remote fetches.
    assert "<link" not in out
    assert "src=" not in out
    assert "@import" not in out
    assert "Content-Security-Policy" in out
    assert "default-src 'none'" in out


def test_html_shows_every_section_and_marks_terms_in_the_articles(report: Report) -> None:
    out = render(report, "html")
    for heading in (
        "Neutral summary",
        "Contested claims (1)",
        "Loaded language (3)",
        "Findings (2)",
    ):
        assert f"<h2>{heading}</h2>" in out
    assert '<mark class="own" id="t1"' in out  # regime-friendly, own voice
    assert re.search(
        r'<mark class="quote" id="t2" title="[^"]*neutral: risky">reckless</mark>', out
    )
    assert (
        'title="labelling, outlet&#x27;s own voice; confidence 0.91 tagger+lexicon; '
        'neutral: government-aligned">regime-friendly</mark>'
    ) in out
    assert ('<td>0.64 tagger</td><td class="none">no neutral alternative listed</td>') in out
    assert (
        'title="unsubstantiated, outlet&#x27;s own voice; confidence 0.64 tagger; no neutral' in out
    )
    assert '<a href="#t0">without providing any evidence</a>' in out
    assert '<span class="stance disputes">disputes in its own voice</span>' in out
    assert '<h4 class="asserts">who asserts</h4>' in out
    assert (
        '<li><span class="actor">Critics</span> <span class="meta">(group)</span>'
        '<span class="badge outlet">Daily Wire</span><blockquote>Critics claimed the vote'
    ) in out
    assert '<h4 class="disputes">who disputes</h4>' in out


def test_html_escapes_hostile_ids_titles_and_claims() -> None:
    evil = '"><img src=x onerror=alert(1)>'
    article = Article(id="x", outlet=evil, title=evil, text="Some text here.")
    report = Report(
        articles=[article],
        summary=[],
        contested_claims=[],
        loaded_language=[],
        findings=[Finding(check="c", severity="warning", message=evil)],
        provenance=Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC)),
    )
    out = render(report, "html")
    assert "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


# --- every format ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_report_renders_in_every_format(empty_report: Report, fmt: str) -> None:
    out = render(empty_report, fmt)
    assert out.endswith("\n")
    if fmt != "json":
        assert "No contested claims found." in out
        assert "No loaded language found." in out
        assert "No findings" in out


def test_unknown_format_is_a_usage_error(report: Report) -> None:
    with pytest.raises(UsageError, match="unknown format 'xml': choose one of text, markdown"):
        render(report, "xml")


def test_md_is_markdown(report: Report) -> None:
    assert render(report, "md") == render(report, "markdown")


def test_check_reports_go_to_the_check_renderer(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    def render_check(check_report: CheckReport, fmt: str, *, color: bool) -> str:
        calls.append((check_report, fmt, color))
        return "check report"

    fake = types.ModuleType("evenhand.renderers.check")
    fake.render_check = render_check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evenhand.renderers.check", fake)
    check_report = CheckReport(
        draft="A draft.",
        articles=report.articles,
        findings=[],
        provenance=report.provenance,
    )
    assert render(check_report, "Markdown", color=True) == "check report"
    assert calls == [(check_report, "markdown", True)]


def test_a_span_with_its_own_quotation_mark_is_not_quoted_twice() -> None:
    article = Article(id="q", text="“We will not hesitate,” he said. Critics disagreed strongly.")
    quote = article.text[: article.text.index(" he said")]
    report = Report(
        articles=[article],
        summary=[
            SummarySentence(text="He said they would not hesitate.", support=[span(article, quote)])
        ],
        contested_claims=[],
        loaded_language=[],
        findings=[],
        provenance=Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC)),
    )
    out = render(report, "text")
    assert "← q: “We will not hesitate,”" in out
    assert "““" not in out
    assert "““" not in render(report, "markdown")


def test_public_render_stays_a_function_after_renderer_modules_load() -> None:
    # The renderers live in `evenhand.renderers`, so importing one never rebinds `evenhand.render`.
    import evenhand
    import evenhand.renderers.check
    import evenhand.renderers.text

    assert callable(evenhand.render)
    assert evenhand.render is evenhand.renderers.render


def test_counts_of_one_are_singular() -> None:
    # "[a] · 1 words" and "evenhand check: 1 sources"; a draft's final newline made an empty line.
    article = Article(id="a", text="Hello")
    provenance = Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC))
    report = Report(
        articles=[article],
        summary=[],
        contested_claims=[],
        loaded_language=[],
        findings=[],
        provenance=provenance,
    )
    assert "· 1 word\n" in render(report, "text")
    assert ">1 word</span>" in render(report, "html")
    check_report = CheckReport(
        draft="A draft.\n", articles=[article], findings=[], provenance=provenance
    )
    text = render(check_report, "text")
    assert text.startswith("evenhand check: 1 source, 0 errors")
    assert "  A draft.\n\nNo findings" in text


def _claim_report(outlet: str) -> Report:
    """Three outlets: one takes a side in its own voice, one reports an actor, one omits."""
    a = Article(id="a", outlet=outlet, text="The vote was rigged, without any doubt.")
    b = Article(id="b", text="The board denied that the vote was rigged.")
    c = Article(id="c", text="Turnout was high.")
    return Report(
        articles=[a, b, c],
        summary=[],
        contested_claims=[
            ContestedClaim(
                claim="Whether the vote was rigged",
                kind="disputed",
                actors=[
                    ActorPosition(
                        actor=outlet,
                        kind="outlet",
                        stance="asserts",
                        evidence=[span(a, "The vote was rigged")],
                        reported_by=["a"],
                    ),
                    ActorPosition(
                        actor="The board",
                        kind="organisation",
                        stance="disputes",
                        evidence=[span(b, "The board denied that the vote was rigged.")],
                        reported_by=["b"],
                    ),
                ],
                positions=[
                    Position(article_id="a", stance="asserts", evidence=[span(a, "rigged")]),
                    Position(
                        article_id="b",
                        stance="reports",
                        evidence=[span(b, "The board denied that the vote was rigged.")],
                    ),
                    Position(article_id="c", stance="omits"),
                ],
                note=f"{outlet} says so in its own voice; the board denies it.",
                confidence=0.74,
            )
        ],
        loaded_language=[],
        findings=[],
        provenance=Provenance(engine="offline", duration_ms=1, created_at=datetime.now(UTC)),
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_format_shows_outlet_actors_badges_and_omitting_outlets(fmt: str) -> None:
    out = render(_claim_report("Daily Wire"), fmt)
    assert "outlet's own voice" in out or "outlet&#x27;s own voice" in out
    assert "The board" in out
    assert "omits" in out
    assert "0.74" in out
    # The outlet's own evidence that no actor shows ("rigged") is quoted under the outlet.
    assert "“rigged”" in out or "<blockquote>rigged</blockquote>" in out


def test_hostile_outlet_names_in_badges_are_escaped() -> None:
    hostile = "<b>Wire</b> `x` | *y*"
    html_out = render(_claim_report(hostile), "html")
    assert "<b>Wire</b>" not in html_out
    assert '<span class="badge outlet">&lt;b&gt;Wire&lt;/b&gt; `x` | *y*</span>' in html_out
    markdown_out = render(_claim_report(hostile), "markdown")
    assert "`<b>Wire</b> 'x' | *y*`" in markdown_out  # a code span: shown as typed, not markup
    assert "- **\\<b\\>Wire\\</b\\>" in markdown_out
