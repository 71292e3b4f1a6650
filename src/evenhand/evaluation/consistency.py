"""Agreement between reports on the same case: across samples of one engine (self-consistency)
and between the LLM engine and the offline engine.

Claims are matched one to one (same evidence, or similar wording) before their sets are
compared, so two samples that word the same claim differently still agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from ..schema import Report, Span
from .matching import CLAIM_MATCH_THRESHOLD, claim_similarity, match_pairs, set_agreement
from .metrics import Metrics, mean, rouge_f, summary_text


def claim_agreement(a: Report, b: Report) -> float | None:
    """Dice agreement of the two contested-claim sets after matching claims."""
    pairs = match_pairs(
        a.contested_claims, b.contested_claims, claim_similarity, CLAIM_MATCH_THRESHOLD
    )
    return set_agreement(len(a.contested_claims), len(b.contested_claims), len(pairs))


def _span_overlap(x: Span, y: Span) -> float:
    return 1.0 if x.article_id == y.article_id and x.start < y.end and y.start < x.end else 0.0


def loaded_agreement(a: Report, b: Report) -> float | None:
    """Dice agreement of the flagged loaded terms, matched by overlapping spans."""
    left = [t.span for t in a.loaded_language]
    right = [t.span for t in b.loaded_language]
    pairs = match_pairs(left, right, _span_overlap, 1.0)
    return set_agreement(len(left), len(right), len(pairs))


def summary_similarity(a: Report, b: Report) -> float | None:
    """ROUGE-L F between the two summaries (symmetric)."""
    sa, sb = summary_text(a), summary_text(b)
    if not sa.strip() and not sb.strip():
        return None
    return rouge_f(sa, sb)["rougeL"]


def self_consistency(reports: Sequence[Report]) -> Metrics:
    """Mean pairwise agreement over the valid samples of one case (needs at least two)."""
    if len(reports) < 2:
        return {}
    pairs = list(combinations(reports, 2))
    return {
        "consistency_claims": mean([claim_agreement(a, b) for a, b in pairs]),
        "consistency_summary": mean([summary_similarity(a, b) for a, b in pairs]),
        "consistency_loaded": mean([loaded_agreement(a, b) for a, b in pairs]),
    }


def engine_agreement(samples: Sequence[Report], offline: Report) -> Metrics:
    """Mean agreement of each sample with the offline engine's report on the same case."""
    if not samples:
        return {}
    return {
        "offline_agreement_claims": mean([claim_agreement(s, offline) for s in samples]),
        "offline_agreement_summary": mean([summary_similarity(s, offline) for s in samples]),
        "offline_agreement_loaded": mean([loaded_agreement(s, offline) for s in samples]),
    }
