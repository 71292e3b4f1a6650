"""Per-sample metrics: how one report scores against one case's expectations.

Every metric is a float, or None when the case has nothing to measure it against (a case with no
reference summary has no ROUGE). `METRICS` lists them with the direction that counts as better,
which the scoreboard, `compare` and the regression gate all read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ..extras import import_optional
from ..schema import Finding, Report
from ..text import QuoteIndex, words
from .cases import Case
from .matching import claim_text, contains_phrase, overlaps, own_voice_hits

Direction = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class MetricInfo:
    name: str
    label: str
    direction: Direction
    unit: Literal["ratio", "count", "usd"]


METRICS: dict[str, MetricInfo] = {
    m.name: m
    for m in (
        MetricInfo("schema_valid", "schema validity", "higher", "ratio"),
        MetricInfo("grounding_rate", "grounding rate", "higher", "ratio"),
        MetricInfo("loaded_precision", "loaded-term precision", "higher", "ratio"),
        MetricInfo("loaded_recall", "loaded-term recall", "higher", "ratio"),
        MetricInfo("leak_rate", "leak rate", "lower", "ratio"),
        MetricInfo("claim_recall", "contested-claim recall", "higher", "ratio"),
        MetricInfo("claim_precision", "contested-claim precision", "higher", "ratio"),
        MetricInfo("fact_coverage", "required-fact coverage", "higher", "ratio"),
        MetricInfo("rouge1", "ROUGE-1 F", "higher", "ratio"),
        MetricInfo("rouge2", "ROUGE-2 F", "higher", "ratio"),
        MetricInfo("rougeL", "ROUGE-L F", "higher", "ratio"),
        MetricInfo("summary_words", "summary length (words)", "neutral", "count"),
        MetricInfo("check_errors", "check errors", "lower", "count"),
        MetricInfo("check_warnings", "check warnings", "lower", "count"),
        MetricInfo("prompt_tokens", "prompt tokens", "lower", "count"),
        MetricInfo("completion_tokens", "completion tokens", "lower", "count"),
        MetricInfo("cost_usd", "cost (USD)", "lower", "usd"),
        # Across samples of one case (LLM engine, --samples >= 2).
        MetricInfo("consistency_claims", "self-consistency: claim sets", "higher", "ratio"),
        MetricInfo("consistency_summary", "self-consistency: summaries", "higher", "ratio"),
        MetricInfo("consistency_loaded", "self-consistency: loaded terms", "higher", "ratio"),
        # LLM samples against the offline engine on the same case.
        MetricInfo("offline_agreement_claims", "agreement with offline: claims", "higher", "ratio"),
        MetricInfo(
            "offline_agreement_summary", "agreement with offline: summary", "higher", "ratio"
        ),
        MetricInfo("offline_agreement_loaded", "agreement with offline: loaded", "higher", "ratio"),
    )
}

Metrics = dict[str, float | None]


@cache
def _rouge_scorer() -> Any:
    rouge_scorer = import_optional("rouge_score.rouge_scorer")
    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def rouge_f(reference: str, candidate: str) -> dict[str, float]:
    """ROUGE-1/2/L F-measures (Google's rouge-score, Porter stemming)."""
    scores = _rouge_scorer().score(reference, candidate)
    return {name: round(float(s.fmeasure), 4) for name, s in scores.items()}


def summary_text(report: Report) -> str:
    return " ".join(s.text for s in report.summary)


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def grounding_rate(report: Report, engine_findings: list[Finding]) -> float | None:
    """Quotes located / quotes given: every span in the report is a located quote; each
    `grounding` finding the engine raised is one it could not locate."""
    located = len(report.all_spans())
    missing = sum(1 for f in engine_findings if f.check == "grounding")
    return _ratio(located, located + missing)


def loaded_scores(case: Case, report: Report) -> tuple[float | None, float | None]:
    """(precision, recall) of the flagged terms against the expected ones, matched by overlap."""
    expected = case.expectations.loaded_terms
    if not expected:
        return None, None
    flagged = [t.span for t in report.loaded_language]
    found = sum(
        1 for e in expected if any(overlaps(e.article_id, e.start, e.end, s) for s in flagged)
    )
    right = sum(
        1 for s in flagged if any(overlaps(e.article_id, e.start, e.end, s) for e in expected)
    )
    return _ratio(right, len(flagged)), _ratio(found, len(expected))


def _lexicon_leaks(sentence: str) -> int:
    from ..lexicon import find_loaded

    matches = find_loaded(sentence)
    if not matches:
        return 0
    quotes = QuoteIndex(sentence)
    return sum(1 for m in matches if not quotes.contains(m.start, m.end))


def leak_rate(case: Case, report: Report) -> float | None:
    """Share of summary sentences that use a loaded term in their own voice."""
    banned = case.expectations.banned_in_summary
    leaking = sum(
        1 for s in report.summary if own_voice_hits(s.text, banned) or _lexicon_leaks(s.text)
    )
    return _ratio(leaking, len(report.summary))


def claim_scores(case: Case, report: Report) -> tuple[float | None, float | None]:
    """(precision, recall): a found claim matches an expected one when its wording, note and
    evidence contain every key phrase of it."""
    expected = case.expectations.contested_claims
    if not expected:
        return None, None
    texts = [claim_text(c) for c in report.contested_claims]

    def matches(text: str, i: int) -> bool:
        return all(contains_phrase(text, k) for k in expected[i].key_phrases)

    found = sum(1 for i in range(len(expected)) if any(matches(t, i) for t in texts))
    right = sum(1 for t in texts if any(matches(t, i) for i in range(len(expected))))
    return _ratio(right, len(texts)), _ratio(found, len(expected))


def fact_coverage(case: Case, report: Report) -> float | None:
    facts = case.expectations.required_facts
    if not facts:
        return None
    text = summary_text(report)
    covered = sum(1 for f in facts if any(contains_phrase(text, alt) for alt in f.any_of))
    return covered / len(facts)


def score_report(case: Case, report: Report, engine_findings: list[Finding]) -> Metrics:
    """Every per-sample metric of one report on one case."""
    precision, recall = loaded_scores(case, report)
    claim_precision, claim_recall = claim_scores(case, report)
    summary = summary_text(report)
    metrics: Metrics = {
        "schema_valid": 1.0,
        "grounding_rate": grounding_rate(report, engine_findings),
        "loaded_precision": precision,
        "loaded_recall": recall,
        "leak_rate": leak_rate(case, report),
        "claim_recall": claim_recall,
        "claim_precision": claim_precision,
        "fact_coverage": fact_coverage(case, report),
        "summary_words": float(len(words(summary))),
        "check_errors": float(sum(1 for f in report.findings if f.severity == "error")),
        "check_warnings": float(sum(1 for f in report.findings if f.severity == "warning")),
    }
    if case.reference_summary:
        metrics.update(rouge_f(case.reference_summary, summary))
    usage = report.provenance.token_usage
    if usage is not None and usage.calls:
        metrics["prompt_tokens"] = float(usage.prompt_tokens)
        metrics["completion_tokens"] = float(usage.completion_tokens)
        metrics["cost_usd"] = usage.estimated_cost_usd
    return metrics


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return None if not present else sum(present) / len(present)
