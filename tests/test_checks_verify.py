"""verify_report runs the same checks on an engine's summary; the offline engine's report on the
bundled example passes with no error or warning."""

from __future__ import annotations

from pathlib import Path

from evenhand.engines.base import EngineResult
from evenhand.pipeline import analyze
from evenhand.report_checks import verify_report
from evenhand.schema import Article, Span, SummarySentence


def test_offline_summary_of_the_bundled_example_has_no_error_or_warning(
    example_files: list[Path],
) -> None:
    report = analyze(example_files)
    assert report.summary
    serious = [f for f in report.findings if f.severity in ("error", "warning")]
    assert serious == []


def test_summary_checks_point_at_the_sentence_and_offsets_inside_it() -> None:
    article = Article(id="a", text="The council voted 7 to 2 on Monday to close the library.")
    span = Span(article_id="a", start=0, end=len(article.text), text=article.text)
    draft = EngineResult(
        summary=[
            SummarySentence(
                text="The council voted on Monday to close the library.", support=[span]
            ),
            SummarySentence(text="The council voted 9 to 2 to close it.", support=[span]),
            SummarySentence(text="Nobody objected.", support=[]),
        ],
        contested_claims=[],
        loaded_language=[],
    )
    findings = verify_report([article], draft)
    number = next(f for f in findings if "“9”" in f.message)
    assert number.severity == "error"
    assert number.location is not None
    assert (number.location.target, number.location.index) == ("summary", 1)
    assert draft.summary[1].text[number.location.start : number.location.end] == "9"
    uncited = next(f for f in findings if f.location and f.location.index == 2)
    assert (uncited.check, uncited.severity) == ("unsupported_content", "error")
