"""Comparing two runs: which metrics and which cases got better or worse."""

from __future__ import annotations

from dataclasses import dataclass

from .metrics import METRICS
from .results import RunResult, overall
from .scoreboard import fmt

# Differences smaller than this are noise from rounding, not a change.
EPSILON = 1e-6


@dataclass(frozen=True)
class Change:
    metric: str
    before: float | None
    after: float | None
    verdict: str  # "better" | "worse" | "same" | "changed" | "new" | "gone"


def verdict(metric: str, before: float | None, after: float | None) -> str:
    if before is None and after is None:
        return "same"
    if before is None:
        return "new"
    if after is None:
        return "gone"
    delta = after - before
    if abs(delta) <= EPSILON:
        return "same"
    direction = METRICS[metric].direction if metric in METRICS else "neutral"
    if direction == "neutral":
        return "changed"
    return "better" if (delta > 0) == (direction == "higher") else "worse"


def metric_changes(a: dict[str, float | None], b: dict[str, float | None]) -> list[Change]:
    names = [n for n in METRICS if n in a or n in b]
    return [Change(n, a.get(n), b.get(n), verdict(n, a.get(n), b.get(n))) for n in names]


def compare_runs(a: RunResult, b: RunResult) -> str:
    """A plain-text report of what changed from run `a` to run `b`."""
    lines = [
        f"A: {a.run_id}  ({a.engine}{', ' + a.model if a.model else ''}; {len(a.cases)} cases)",
        f"B: {b.run_id}  ({b.engine}{', ' + b.model if b.model else ''}; {len(b.cases)} cases)",
    ]
    ids_a = {c.id for c in a.cases}
    ids_b = {c.id for c in b.cases}
    if ids_a == ids_b:
        lines += ["", "Overall (A -> B):"]
        overall_a = {k: v.value for k, v in a.overall.items()}
        overall_b = {k: v.value for k, v in b.overall.items()}
    else:
        # Means over different case sets are not comparable: recompute both over the shared ones.
        shared = ids_a & ids_b
        lines += ["", f"Overall over the {len(shared)} cases in both runs (A -> B):"]
        overall_a = {k: v.value for k, v in overall([c for c in a.cases if c.id in shared]).items()}
        overall_b = {k: v.value for k, v in overall([c for c in b.cases if c.id in shared]).items()}
    for change in metric_changes(overall_a, overall_b):
        name = METRICS[change.metric].label
        lines.append(
            f"  {change.verdict:<8} {name:<34} {fmt(change.before, change.metric):>9} -> "
            f"{fmt(change.after, change.metric)}"
        )
    lines += ["", "Per case (changed metrics only):"]
    counts = {"better": 0, "worse": 0}
    for case_id in sorted(ids_a & ids_b):
        ca, cb = a.case(case_id), b.case(case_id)
        assert ca is not None
        assert cb is not None
        changes = [
            c for c in metric_changes(ca.metrics, cb.metrics) if c.verdict in ("better", "worse")
        ]
        status = "" if ca.status == cb.status else f" [status {ca.status} -> {cb.status}]"
        if not changes and not status:
            continue
        better = [c for c in changes if c.verdict == "better"]
        worse = [c for c in changes if c.verdict == "worse"]
        counts["better"] += len(better)
        counts["worse"] += len(worse)
        lines.append(f"  {case_id}{status}")
        for label, group in (("better", better), ("worse", worse)):
            if group:
                parts = [
                    f"{METRICS[c.metric].label} {fmt(c.before, c.metric)} -> "
                    f"{fmt(c.after, c.metric)}"
                    for c in group
                ]
                lines.append(f"    {label}: " + "; ".join(parts))
    for label, only in (("A", sorted(ids_a - ids_b)), ("B", sorted(ids_b - ids_a))):
        if only:
            more = f" and {len(only) - 8} more" if len(only) > 8 else ""
            lines.append(f"  {len(only)} case(s) only in {label}: {', '.join(only[:8])}{more}")
    lines += [
        "",
        f"{len(ids_a & ids_b)} cases in both; case-level metric changes: "
        f"{counts['better']} better, {counts['worse']} worse",
    ]
    return "\n".join(lines)
