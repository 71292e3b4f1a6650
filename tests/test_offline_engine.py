"""The offline engine end to end on hand-built articles: a valid, grounded draft."""

from __future__ import annotations

import time

import evenhand
from evenhand.engines import EngineResult, get_engine
from evenhand.engines.offline import OfflineEngine
from evenhand.pipeline import build_report
from evenhand.schema import Article, Span

A = Article(
    id="left",
    outlet="Left Daily",
    text=(
        "The regime of Governor Jane Roe slammed the new water tax on Monday. "
        "Roe said the tax would be suspended until the audit ends in March. "
        "Critics claimed the audit was rigged, without providing any evidence."
    ),
)
B = Article(
    id="right",
    outlet="Right Times",
    text=(
        "Governor Jane Roe said on Monday that the water tax would be suspended until the audit "
        "ends in March. "
        'Roe called her opponents "scoundrels" at a rally in the capital city. '
        "The state auditor denied that the audit was rigged and said the figures were public."
    ),
)


def _spans_are_slices(spans: list[Span], articles: list[Article]) -> None:
    by_id = {a.id: a for a in articles}
    for span in spans:
        assert by_id[span.article_id].text[span.start : span.end] == span.text


def test_get_engine_returns_the_offline_engine() -> None:
    assert isinstance(get_engine("offline"), OfflineEngine)


def test_draft_is_grounded_and_within_budget() -> None:
    draft = OfflineEngine().analyze([A, B], max_words=130)
    spans = [s for sentence in draft.summary for s in sentence.support]
    spans += [t.span for t in draft.loaded_language]
    spans += [s for c in draft.contested_claims for p in c.positions for s in p.evidence]
    _spans_are_slices(spans, [A, B])
    assert draft.summary, "a summary is always written"
    assert all(sentence.support for sentence in draft.summary)
    assert sum(len(s.text.split()) for s in draft.summary) <= 130


def test_loaded_language_marks_quotes_and_outlet_voice() -> None:
    draft = OfflineEngine().analyze([A, B], max_words=130)
    found = {(t.span.article_id, t.span.text): t for t in draft.loaded_language}
    assert found["left", "regime"].in_quote is False
    assert found["left", "regime"].neutral_alternative == "government"
    assert found["left", "slammed"].in_quote is False
    assert found["left", "without providing any evidence"].category == "unsubstantiated"
    assert found["right", "scoundrels"].in_quote is True


def test_summary_carries_no_outlet_voice_loaded_term() -> None:
    draft = OfflineEngine().analyze([A, B], max_words=130)
    text = " ".join(s.text for s in draft.summary).lower()
    for word in ("regime", "slammed", "without providing any evidence"):
        assert word not in text


def test_one_article_alone_gives_a_finding_and_no_claims() -> None:
    report = evenhand.analyze([A])
    assert report.contested_claims == []
    assert [f.check for f in report.findings].count("single_source") == 1


def test_input_findings_come_with_every_engine() -> None:
    # The pipeline, not the engine, says what limits a report: an llm draft gets them too.
    empty = EngineResult(summary=[], contested_claims=[], loaded_language=[])
    report = build_report([A], empty, "llm", time.perf_counter())
    assert [f.check for f in report.findings] == ["single_source"]


def test_non_english_text_gets_a_language_finding() -> None:
    german = Article(
        id="de",
        text=(
            "Der Präsident der Republik erklärte am Montag in der Hauptstadt, dass die Regierung "
            "die neue Steuer auf Wasser bis zum Ende der Prüfung im März aussetzen werde. "
            "Kritiker sprachen von einem Skandal und forderten einen Untersuchungsausschuss."
        ),
    )
    report = evenhand.analyze([A, german])
    language = [f for f in report.findings if f.check == "language"]
    assert len(language) == 1
    assert language[0].location is not None
    assert language[0].location.article_id == "de"
    assert "English-only" in language[0].message


def test_the_draft_is_deterministic() -> None:
    first = OfflineEngine().analyze([A, B], max_words=130)
    second = OfflineEngine().analyze([A, B], max_words=130)
    assert first == second
