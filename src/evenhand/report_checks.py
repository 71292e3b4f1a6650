"""The neutrality checks run on every report, whatever engine produced it.

An engine's summary is checked exactly as an editor's draft is (`evenhand.checks`), with the
support each sentence claims; contested claims must carry grounded evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

from .engines.base import EngineResult
from .schema import Article, Finding, Location


def verify_report(articles: Sequence[Article], result: EngineResult) -> list[Finding]:
    """Findings about an engine's result: the checks on its summary, and claims without evidence."""
    from .checks import CheckedText, run_checks

    findings: list[Finding] = []
    if result.summary:
        findings += run_checks(
            CheckedText.from_summary(result.summary),
            articles,
            contested=result.contested_claims,
            loaded=result.loaded_language,
        )
    for i, claim in enumerate(result.contested_claims):
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
