"""The neutrality checks run on every report, whatever engine produced it."""

from __future__ import annotations

from collections.abc import Sequence

from .engines.base import Draft
from .schema import Article, Finding, Location


def verify_report(articles: Sequence[Article], draft: Draft) -> list[Finding]:
    """Findings about an engine's draft: unsupported summary sentences and claims without evidence."""
    findings: list[Finding] = []
    for i, sentence in enumerate(draft.summary):
        if not sentence.support:
            findings.append(
                Finding(
                    check="unsupported_content",
                    severity="error",
                    message=f"summary sentence {i + 1} has no supporting span in any source",
                    location=Location(target="summary", index=i),
                )
            )
    for i, claim in enumerate(draft.contested_claims):
        if not any(p.evidence for p in claim.positions):
            findings.append(
                Finding(
                    check="grounding",
                    severity="error",
                    message=f"contested claim {i + 1} ({claim.claim!r}) has no grounded evidence",
                    location=Location(target="contested_claims", index=i),
                )
            )
    return findings
