"""The eval metrics on hand-made reports, where the right answer is known."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from evenhand.evaluation.cases import (
    Case,
    Expectations,
    ExpectedClaim,
    ExpectedTerm,
    RequiredFact,
)
from evenhand.evaluation.consistency import (
    claim_agreement,
    engine_agreement,
    loaded_agreement,
    self_consistency,
    summary_similarity,
)
from evenhand.evaluation.matching import own_voice_hits
from evenhand.evaluation.metrics import (
    claim_scores,
    fact_coverage,
    grounding_rate,
    leak_rate,
    loaded_scores,
    rouge_f,
    score_report,
)
from evenhand.schema import (
    Article,
    ContestedClaim,
    Finding,
    LoadedTerm,
    Position,
    Provenance,
    Report,
    Span,
    SummarySentence,
)

TEXT_A = (
    "The self-proclaimed president said troops would come. "
    "Critics say the vote was rigged. The ministry denied it."
)
TEXT_B = (
    "The president said troops could be deployed if necessary. Officials rejected fraud claims."
)
ARTICLES = [Article(id="a", text=TEXT_A), Article(id="b", text=TEXT_B)]


def span(article: str, phrase: str) -> Span:
    text = TEXT_A if article == "a" else TEXT_B
    start = text.index(phrase)
    return Span(article_id=article, start=start, end=start + len(phrase), text=phrase)


def term(article: str, phrase: str) -> LoadedTerm:
    return LoadedTerm(
        span=span(article, phrase),
        category="labelling",
        in_quote=False,
        explanation="x",
        confidence=0.9,
        origin="lexicon",
    )


def claim(wording: str, *evidence: tuple[str, str]) -> ContestedClaim:
    return ContestedClaim(
        claim=wording,
        kind="disputed",
        positions=[
            Position(article_id=a, stance="asserts", evidence=[span(a, p)]) for a, p in evidence
        ],
        note="",
        actors=[],
        confidence=0.5,
    )


def report(
    summary: list[str],
    claims: list[ContestedClaim] | None = None,
    loaded: list[LoadedTerm] | None = None,
) -> Report:
    return Report(
        articles=ARTICLES,
        summary=[SummarySentence(text=s, support=[span("a", "troops")]) for s in summary],
        contested_claims=claims or [],
        loaded_language=loaded or [],
        findings=[],
        provenance=Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC)),
    )


def case(**expectations: object) -> Case:
    return Case(
        id="t",
        title="t",
        folder=Path("."),
        articles=ARTICLES,
        expectations=Expectations.model_validate(expectations),
        reference_summary="The president said troops could be deployed if necessary.",
        provenance={"source": "test"},
    )


def expected_term(article: str, phrase: str) -> ExpectedTerm:
    s = span(article, phrase)
    return ExpectedTerm(article_id=article, start=s.start, end=s.end, text=phrase)


def test_loaded_precision_and_recall_count_overlapping_spans() -> None:
    c = case(
        loaded_terms=[expected_term("a", "self-proclaimed president"), expected_term("a", "rigged")]
    )
    r = report(["x"], loaded=[term("a", "self-proclaimed"), term("b", "fraud")])
    precision, recall = loaded_scores(c, r)
    assert precision == pytest.approx(0.5)  # "fraud" was not expected
    assert recall == pytest.approx(0.5)  # "rigged" was missed
    assert loaded_scores(case(), r) == (None, None)


def test_leak_rate_counts_own_voice_only() -> None:
    c = case(banned_in_summary=["rigged"])
    r = report(
        [
            "Critics say the vote was rigged.",
            'Critics called the vote "rigged".',
            "The ministry denied it.",
        ]
    )
    assert leak_rate(c, r) == pytest.approx(1 / 3)


def test_own_voice_hits_match_whole_words_outside_quotes() -> None:
    assert own_voice_hits("A rigged vote", ["rigged"]) == ["rigged"]
    assert own_voice_hits("An unrigged vote", ["rigged"]) == []
    assert own_voice_hits("He said “it was rigged” today", ["rigged"]) == []
    assert own_voice_hits("Rigged, he said", ["rigged"]) == ["rigged"]


def test_claim_scores_need_every_key_phrase() -> None:
    c = case(
        contested_claims=[
            ExpectedClaim(claim="vote rigging", key_phrases=["rigged|fraud", "vote"]),
            ExpectedClaim(claim="troops", key_phrases=["deploy"]),
        ]
    )
    found = claim("Whether the vote was rigged", ("a", "the vote was rigged"))
    unrelated = claim("Whether the ministry denied it", ("a", "The ministry denied it"))
    precision, recall = claim_scores(c, report(["x"], claims=[found, unrelated]))
    assert recall == pytest.approx(0.5)
    assert precision == pytest.approx(0.5)
    assert claim_scores(c, report(["x"]))[0] is None  # no claims: precision undefined
    assert claim_scores(c, report(["x"]))[1] == 0.0


def test_fact_coverage_and_rouge() -> None:
    c = case(
        required_facts=[
            RequiredFact(fact="troops", any_of=["Russian troops", "troops"]),
            RequiredFact(fact="fraud", any_of=["fraud"]),
        ]
    )
    r = report(["The president said troops could be deployed if necessary."])
    assert fact_coverage(c, r) == pytest.approx(0.5)
    scores = score_report(c, r, [])
    assert scores["rouge1"] == pytest.approx(1.0)
    assert scores["rougeL"] == pytest.approx(1.0)
    assert scores["summary_words"] == 9
    assert rouge_f("troops came", "nothing alike here")["rouge1"] == 0.0


def test_grounding_rate_counts_engine_grounding_findings() -> None:
    r = report(["one", "two"])  # two located spans
    missing = Finding(check="grounding", severity="error", message="quote not found")
    other = Finding(check="balance", severity="warning", message="one source")
    assert grounding_rate(r, [missing, other]) == pytest.approx(2 / 3)
    assert grounding_rate(r, []) == 1.0


def test_claim_agreement_matches_by_evidence_or_wording() -> None:
    rig_1 = claim("The vote was rigged", ("a", "the vote was rigged"))
    rig_2 = claim("Was the election fraudulent?", ("a", "Critics say the vote was rigged"))
    deny = claim("The ministry denied it", ("a", "The ministry denied it"))
    assert claim_agreement(report(["x"], [rig_1, deny]), report(["x"], [rig_2, deny])) == 1.0
    # One sample misses a claim: Dice 2*1 / (2+1).
    assert claim_agreement(report(["x"], [rig_1, deny]), report(["x"], [rig_2])) == pytest.approx(
        2 / 3
    )
    assert claim_agreement(report(["x"]), report(["x"])) is None


def test_consistency_across_samples_and_engines() -> None:
    a = report(["The president said troops would come."], loaded=[term("a", "self-proclaimed")])
    b = report(["The president said troops would come."], loaded=[term("a", "self-proclaimed")])
    c = report(["Officials rejected fraud claims."], loaded=[term("b", "fraud")])
    assert summary_similarity(a, b) == 1.0
    assert loaded_agreement(a, c) == 0.0
    same = self_consistency([a, b])
    assert same["consistency_summary"] == 1.0
    assert same["consistency_loaded"] == 1.0
    mixed = self_consistency([a, b, c])
    assert mixed["consistency_loaded"] == pytest.approx(1 / 3)
    assert self_consistency([a]) == {}
    agreement = engine_agreement([a, c], b)
    assert agreement["offline_agreement_loaded"] == pytest.approx(0.5)
