"""Acceptance on the bundled example (two outlets on Lukashenko and Russian troops).

What an editor must get from `evenhand.analyze(example_paths())`: the disputed 2020 election
result with evidence from both articles, the framing of Lukashenko's title, the loaded language
of each outlet, and a clean, attributed summary of what both report. Every span is a slice.
"""

from __future__ import annotations

import re

import pytest

import evenhand
from evenhand.annotate.cues import cue_kinds
from evenhand.data import example_paths
from evenhand.offline.clean import has_unquoted_loaded
from evenhand.schema import Report


@pytest.fixture(scope="module")
def report() -> Report:
    return evenhand.analyze(example_paths())


def test_every_span_is_its_articles_slice(report: Report) -> None:
    spans = report.all_spans()
    assert spans
    for _, span in spans:
        assert report.article(span.article_id).text[span.start : span.end] == span.text


def test_election_result_is_a_disputed_claim_with_evidence_from_both(report: Report) -> None:
    disputed = [c for c in report.contested_claims if c.kind == "disputed"]
    election = [
        c
        for c in disputed
        if any(re.search(r"elect|vote", e.text) for p in c.positions for e in p.evidence)
    ]
    assert len(election) == 1
    claim = election[0]
    assert {p.article_id for p in claim.positions} == {"source-a", "source-b"}
    assert all(p.evidence for p in claim.positions)
    assert all(p.stance != "omits" for p in claim.positions)
    evidence = {p.article_id: " ".join(e.text for e in p.evidence) for p in claim.positions}
    # The opposition and Western governments allege fraud; Belarus rejects it.
    assert "voter fraud" in evidence["source-a"]
    assert "Western governments" in evidence["source-a"]
    assert "Belarus has rejected" in evidence["source-a"]
    # source-a adds in its own voice that no evidence was given: it disputes the allegation.
    assert "without providing any evidence" in evidence["source-a"]
    stance = {p.article_id: p.stance for p in claim.positions}
    assert stance["source-a"] == "disputes"
    assert "recognize Lukashenko's victory in the 2020 elections" in evidence["source-b"]
    assert "Western governments" in claim.note
    assert "Belarus rejects this" in claim.note
    assert "source-a says in its own voice" in claim.note
    assert "fraud" in claim.claim.lower() or "rigging" in claim.claim.lower()


def test_election_claim_names_who_holds_it_and_who_rejects_it(report: Report) -> None:
    claim = next(c for c in report.contested_claims if c.kind == "disputed")
    actors = {(a.actor, a.stance): a for a in claim.actors}
    # Held by the opposition leader and Western governments, as source-a reports them.
    tsikhanouskaya = actors["Sviatlana Tsikhanouskaya", "asserts"]
    assert tsikhanouskaya.kind == "person"
    assert tsikhanouskaya.reported_by == ["source-a"]
    assert "claimed there had been voter fraud" in tsikhanouskaya.evidence[0].text
    western = actors["Western governments", "asserts"]
    assert western.kind == "government"
    assert "repeating the allegations of vote rigging" in western.evidence[0].text
    # Disputed by Belarus.
    belarus = actors["Belarus", "disputes"]
    assert belarus.kind == "government"
    assert belarus.reported_by == ["source-a"]
    assert "which Belarus has rejected as baseless" in belarus.evidence[0].text
    # source-a's own voice: an outlet actor whose evidence is its own words.
    outlet = actors["source-a", "disputes"]
    assert outlet.kind == "outlet"
    assert [e.text for e in outlet.evidence] == [
        "without providing any evidence",
        "also without proof",
    ]
    disputers = {a.actor for a in claim.actors if a.stance == "disputes"}
    assert disputers == {"Belarus", "source-a"}
    assert {"Sviatlana Tsikhanouskaya", "Western governments"} <= {
        a.actor for a in claim.actors if a.stance == "asserts"
    }
    assert claim.confidence >= 0.7


def test_lukashenkos_title_is_a_framing_claim(report: Report) -> None:
    framing = [c for c in report.contested_claims if c.kind == "framing"]
    lukashenko = [c for c in framing if "Lukashenko" in c.claim]
    assert len(lukashenko) == 1
    evidence = {p.article_id: p.evidence[0].text for p in lukashenko[0].positions}
    assert evidence["source-b"].startswith("Self-proclaimed president")
    assert evidence["source-a"].startswith("Belarusian President")
    stance = {p.article_id: p.stance for p in lukashenko[0].positions}
    assert stance == {"source-a": "reports", "source-b": "asserts"}
    # The outlet that uses the loaded label holds that framing in its own voice.
    [actor] = lukashenko[0].actors
    assert (actor.actor, actor.kind, actor.stance) == ("source-b", "outlet", "asserts")
    assert actor.evidence[0].text.startswith("Self-proclaimed president")
    assert 0 < lukashenko[0].confidence < 1


def test_loaded_language_of_each_outlet(report: Report) -> None:
    found = {(t.span.article_id, t.span.text): t for t in report.loaded_language}
    assert found["source-b", "Self-proclaimed"].in_quote is False
    assert found["source-b", "Self-proclaimed"].category == "labelling"
    assert found["source-a", "without providing any evidence"].in_quote is False
    assert found["source-a", "also without proof"].in_quote is False
    assert found["source-a", "also without proof"].category == "unsubstantiated"
    assert found["source-b", "scoundrels"].in_quote is True
    for term in report.loaded_language:
        assert term.explanation


def test_summary_is_clean_attributed_and_states_the_shared_facts(report: Report) -> None:
    summary = report.summary
    assert 3 <= len(summary) <= 6
    assert sum(len(s.text.split()) for s in summary) <= 130
    assert all(s.support for s in summary)
    text = " ".join(s.text for s in summary)
    outlet_voice = {t.span.text.lower() for t in report.loaded_language if not t.in_quote}
    assert outlet_voice  # the check below has something to check
    for term in outlet_voice:
        assert term not in text.lower()
    assert not any(has_unquoted_loaded(s.text) for s in summary)
    # What both sources report: troops would be deployed if needed, and no need for it now.
    assert "Lukashenko" in text
    assert "Russian troops" in text
    assert "if necessary" in text or "If it is required" in text
    assert "no need for that now" in text
    # Contested points are attributed, not stated in the summary's own voice.
    contested = [s for s in summary if re.search(r"fraud|rigging|allegation", s.text)]
    assert contested
    for sentence in contested:
        assert cue_kinds(sentence.text) & {"allegation", "dispute", "report"}


def test_summary_sentences_are_supported_by_both_articles(report: Report) -> None:
    supporting = {span.article_id for s in report.summary for span in s.support}
    assert supporting == {"source-a", "source-b"}


def test_no_engine_findings_about_inputs(report: Report) -> None:
    checks = {f.check for f in report.findings}
    assert "single_source" not in checks
    assert "language" not in checks
    assert report.provenance.engine == "offline"
