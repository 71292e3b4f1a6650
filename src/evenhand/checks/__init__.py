"""The neutrality checks. Each takes a `CheckContext` (the checked text, its sources and what a
report found in them) and returns findings anchored in the checked text.

`run_checks` runs them all in a fixed order; `CHECKS` names them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..schema import SEVERITY_RANK, Article, ContestedClaim, Finding, LoadedTerm
from .balance import check_balance
from .context import CheckContext, CheckedText, SourceIndex
from .loaded_leak import check_loaded_leak
from .omission import check_omission
from .one_source import check_one_source
from .quotations import check_grounding
from .unattributed_contested import check_unattributed_contested
from .unsupported import check_unsupported
from .unsupported_claim import check_unsupported_claim

Check = Callable[[CheckContext], list[Finding]]

CHECKS: dict[str, Check] = {
    "grounding": check_grounding,
    "unsupported_content": check_unsupported,
    "unsupported_claim": check_unsupported_claim,
    "one_source": check_one_source,
    "loaded_leak": check_loaded_leak,
    "unattributed_contested": check_unattributed_contested,
    "balance": check_balance,
    "omission": check_omission,
}


def run_checks(
    checked: CheckedText,
    articles: Sequence[Article],
    *,
    contested: Sequence[ContestedClaim] = (),
    loaded: Sequence[LoadedTerm] = (),
    only: Sequence[str] | None = None,
) -> list[Finding]:
    """Every check (or those named in `only`) on `checked`; findings worst first, then by place."""
    ctx = CheckContext(checked, SourceIndex(articles), list(contested), list(loaded))
    findings: list[Finding] = []
    for name, check in CHECKS.items():
        if only is None or name in only:
            findings += check(ctx)
    findings = _once_per_sentence(findings)
    findings.sort(
        key=lambda f: (
            -SEVERITY_RANK[f.severity],
            f.location.index if f.location and f.location.index is not None else -1,
            f.location.start if f.location and f.location.start is not None else -1,
        )
    )
    return findings


def _once_per_sentence(findings: list[Finding]) -> list[Finding]:
    """A draft sentence that no source backs is reported once: `unsupported_claim` says so (and
    names the nearest source sentence), so `unsupported_content`'s warning on the same sentence
    goes."""
    claimed = {
        (f.location.start, f.location.end)
        for f in findings
        if f.check == "unsupported_claim" and f.location is not None
    }
    return [
        f
        for f in findings
        if not (
            f.check == "unsupported_content"
            and f.severity == "warning"
            and f.location is not None
            and (f.location.start, f.location.end) in claimed
        )
    ]


__all__ = ["CHECKS", "CheckContext", "CheckedText", "SourceIndex", "run_checks"]
