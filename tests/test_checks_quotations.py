"""The grounding check: quotations verbatim and rightly attributed; spans are article text."""

from __future__ import annotations

from checks_helpers import A, B, context, marked
from evenhand.checks import CheckedText, run_checks
from evenhand.checks.quotations import check_grounding
from evenhand.schema import Span, SummarySentence


def test_verbatim_quotation_rightly_attributed_passes() -> None:
    draft = "“The bridge is no longer safe for heavy trucks,” Holt said."
    assert check_grounding(context(draft)) == []


def test_case_quote_marks_and_ellipsis_are_not_alterations() -> None:
    draft = "Holt said “the bridge is no longer safe ... trucks.”"
    assert check_grounding(context(draft)) == []


def test_altered_quotation_is_an_error_at_the_quotation() -> None:
    draft = "Holt said, “The bridge is no longer safe for any trucks.”"
    [finding] = check_grounding(context(draft))
    assert finding.severity == "error"
    assert "differs" in finding.message
    assert "heavy trucks" in (finding.suggestion or "")
    assert marked(draft, finding.location.start, finding.location.end).startswith("“The bridge")  # type: ignore[union-attr]


def test_fabricated_quotation_is_an_error() -> None:
    draft = "Ortiz said: “This is the worst decision the council has ever made.”"
    [finding] = check_grounding(context(draft))
    assert finding.severity == "error"
    assert "appears in no source" in finding.message


def test_quotation_in_the_wrong_mouth_is_an_error() -> None:
    draft = "“We are not taking any chances,” Holt said."
    [finding] = check_grounding(context(draft))
    assert finding.severity == "error"
    assert "attributed to Holt" in finding.message
    assert "reed" in finding.message.lower()


def test_summary_span_that_is_not_the_article_text_is_an_error() -> None:
    good = Span(article_id="a", start=0, end=10, text=A.text[:10])
    bad = Span(article_id="b", start=0, end=10, text="not this!!")
    summary = [
        SummarySentence(text="Mayor Jane Holt closed a bridge.", support=[good]),
        SummarySentence(text="The city closes the Elm Street bridge.", support=[bad]),
    ]
    findings = run_checks(CheckedText.from_summary(summary), [A, B], only=["grounding"])
    assert [(f.severity, f.location.target, f.location.index) for f in findings] == [  # type: ignore[union-attr]
        ("error", "summary", 1)
    ]
