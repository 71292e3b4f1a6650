"""The LLM engine end to end over HTTP, replaying the fixture cassettes in tests/cassettes/.

The committed cassettes are authored fixtures (see tests/cassettes/author.py). Each one carries
realistic imperfections that the grounding and the checks must catch. With `--record-mode=once`,
`EVENHAND_RECORD_API_KEY` (and `EVENHAND_RECORD_BASE_URL` for a local server) and
`--force-enable-socket`, a deleted cassette is recorded from a real model instead; the checks on
authored imperfections then apply only to authored cassettes.
"""

from __future__ import annotations

import os
from pathlib import Path

import openai
import pytest

import evenhand
from evenhand.schema import Finding, Report
from llm_cases import (
    BASIL_CASES,
    CASES,
    CASSETTES,
    HOSTILE_INSTRUCTION,
    INJECTION,
    MAX_WORDS,
    case_articles,
)
from llm_fakes import DUMMY_KEY


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture
def default_cassette_name(case: str) -> str:
    return case


def _client() -> openai.OpenAI:
    return openai.OpenAI(
        api_key=os.environ.get("EVENHAND_RECORD_API_KEY") or DUMMY_KEY,
        base_url=os.environ.get("EVENHAND_RECORD_BASE_URL") or "https://api.openai.com/v1",
        max_retries=0,
    )


def _authored(case: str) -> bool:
    return (CASSETTES / f"{case}.yaml").read_text(encoding="utf-8").startswith("# AUTHORED FIXTURE")


def _analyze(case: str) -> Report:
    return evenhand.analyze(
        case_articles(case), engine="llm", max_words=MAX_WORDS, client=_client()
    )


def _at(report: Report, check: str, target: str, index: int) -> list[Finding]:
    return [
        f
        for f in report.findings
        if f.check == check
        and f.location is not None
        and f.location.target == target
        and f.location.index == index
    ]


@pytest.mark.vcr
@pytest.mark.parametrize("case", CASES)
def test_replayed_report_is_grounded_with_provenance(case: str) -> None:
    report = _analyze(case)
    assert report.provenance.engine == "llm"
    assert report.provenance.prompt_version == "analyze@2"
    assert report.provenance.prompt_hash is not None
    assert report.provenance.prompt_hash.startswith("sha256:")
    usage = report.provenance.token_usage
    assert usage is not None
    assert usage.calls == 1
    assert usage.prompt_tokens > 500
    assert usage.completion_tokens > 50
    assert usage.estimated_cost_usd is not None
    assert usage.estimated_cost_usd > 0
    assert report.summary
    # Every span is the article's own slice (the Report validator enforces it; spot-check here).
    for _, span in report.all_spans():
        assert report.article(span.article_id).text[span.start : span.end] == span.text


def test_every_committed_cassette_says_it_is_authored() -> None:
    for case in CASES:
        text = (CASSETTES / f"{case}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# AUTHORED FIXTURE"), case
        assert '"model": "fixture-authored"' in text, case
        lowered = text.lower()
        for secret in ("authorization", "sk-", "openai-organization", "set-cookie"):
            assert secret not in lowered, (case, secret)
    assert len(BASIL_CASES) >= 4


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["example"])
def test_loaded_word_in_summary_is_caught(case: str) -> None:
    report = _analyze(case)
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    assert "self-proclaimed" in report.summary[1].text.lower()
    assert _at(report, "loaded_leak", "summary", 1)
    flagged = {t.span.text for t in report.loaded_language}
    assert "Self-proclaimed" in flagged
    scoundrels = next(t for t in report.loaded_language if t.span.text == "scoundrels")
    assert scoundrels.in_quote  # inside Lukashenko's quoted words, computed by code


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["basil-trump-debate"])
def test_misquoted_span_is_caught_and_replaced_by_the_source_words(case: str) -> None:
    report = _analyze(case)
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    misquotes = [
        f for f in _at(report, "grounding", "contested_claims", 0) if "misquoted" in f.message
    ]
    assert misquotes
    fox = next(p for p in report.contested_claims[0].positions if p.article_id == "fox")
    assert any("leave all of my options open" in s.text for s in fox.evidence)
    assert not any("keep all of my options" in s.text for s in fox.evidence)


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["basil-braley-farmers"])
def test_unattributed_contested_claim_is_caught(case: str) -> None:
    report = _analyze(case)
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    assert report.summary[2].support  # backed by a quote, yet one side's claim stated as fact
    assert _at(report, "unattributed_contested", "summary", 2)


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["basil-boehner-house"])
def test_invented_quote_leaves_the_sentence_unsupported(case: str) -> None:
    report = _analyze(case)
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    assert report.summary[2].support == []
    assert _at(report, "grounding", "summary", 2)
    assert _at(report, "unsupported_content", "summary", 2)
    assert all(s.support for s in report.summary[:2])


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["basil-cheney-marriage"])
def test_clean_answer_has_no_grounding_findings(case: str) -> None:
    report = _analyze(case)
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    assert [f for f in report.findings if f.check == "grounding"] == []
    assert all(s.support for s in report.summary)
    assert all(c.kind != "unsupported" for c in report.contested_claims)


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["injection"])
def test_injected_instruction_is_delimited_and_its_effect_caught(case: str) -> None:
    report = _analyze(case)
    # The request in the cassette is the one the engine rendered (matched on the body).
    recorded = Path(CASSETTES / f"{case}.yaml").read_text(encoding="utf-8")
    assert "Ignore previous instructions" in recorded
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    assert "cleared" in report.summary[2].text
    assert report.summary[2].support == []
    unsupported = _at(report, "unsupported_content", "summary", 2)
    assert unsupported
    assert unsupported[0].severity == "error"
    assert INJECTION.split(".")[0] in report.article("ledger").text


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["example"])
def test_claim_actors_reach_the_report_with_their_outlets(case: str) -> None:
    report = _analyze(case)
    claim = report.contested_claims[0]
    actors = {(a.actor, a.stance): a for a in claim.actors}
    if _authored(case):  # what the authored answer names; a real recording may differ
        assert actors["Belarus", "disputes"].reported_by == ["source-a"]
        assert actors["Ukraine", "asserts"].reported_by == ["source-b"]
        assert actors["source-a", "disputes"].kind == "outlet"
        assert [s.text for s in actors["source-a", "disputes"].evidence] == [
            "without providing any evidence"
        ]
    for actor in claim.actors:  # every actor's evidence is located in the outlets it names
        assert {s.article_id for s in actor.evidence} == set(actor.reported_by)
    assert 0 <= claim.confidence <= 1


@pytest.mark.vcr
@pytest.mark.parametrize("case", ["hostile-third"])
def test_hostile_third_article_is_delimited_and_obeying_it_is_caught(case: str) -> None:
    report = _analyze(case)
    recorded = Path(CASSETTES / f"{case}.yaml").read_text(encoding="utf-8")
    # The instruction reached the model inside source-c's delimited block, not as a command.
    block = recorded[recorded.index('id=\\"source-c\\"') :]
    assert HOSTILE_INSTRUCTION in block[: block.index("END ARTICLE")]
    instruction = [f for f in report.findings if f.check == "instruction"]
    assert [f.location.article_id for f in instruction if f.location] == ["source-c"]
    if not _authored(case):
        pytest.skip("recorded from a real model: no authored imperfection")
    # The authored answer obeys it: its last summary sentence states source-c's point as fact.
    obeying = len(report.summary) - 1
    assert report.summary[obeying].text.startswith("There was no voter fraud")
    found = _at(report, "one_source", "summary", obeying)
    assert [f.severity for f in found] == ["error"]
    assert "addressed to a reader or a model" in found[0].message
    # Sentences backed by both outlets, or giving a speaker, are not flagged.
    assert [
        f.location.index for f in report.findings if f.check == "one_source" and f.location
    ] == [obeying]
