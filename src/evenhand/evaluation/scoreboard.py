"""The markdown scoreboard of a run: what was scored, from which responses, and how it did."""

from __future__ import annotations

from .metrics import METRICS
from .results import RunResult

# The per-case table shows these (the full set is in results.json).
CASE_COLUMNS = (
    "schema_valid",
    "grounding_rate",
    "loaded_recall",
    "leak_rate",
    "claim_recall",
    "fact_coverage",
    "rougeL",
    "summary_words",
    "consistency_claims",
    "consistency_summary",
    "offline_agreement_summary",
)


def fmt(value: float | None, name: str) -> str:
    if value is None:
        return "–"
    unit = METRICS[name].unit if name in METRICS else "ratio"
    if unit == "usd":
        return f"${value:.4f}"
    if unit == "count":
        return f"{value:.1f}" if value % 1 else f"{value:.0f}"
    return f"{value:.3f}"


def origin_line(run: RunResult) -> str:
    """Where the scored responses came from, e.g. "18 sample(s) from authored fixture (...)"."""
    if not run.origins:
        return "no responses were scored"
    parts = [f"{n} sample(s) from {origin}" for origin, n in sorted(run.origins.items())]
    return "; ".join(parts)


def scoreboard(run: RunResult) -> str:
    """The scoreboard as markdown."""
    lines = [
        f"# Eval scoreboard: {run.run_id}",
        "",
        f"- engine: **{run.engine}**"
        + (f", model `{run.model}`" if run.model else "")
        + (f", prompt version `{run.prompt_version}`" if run.prompt_version else ""),
        f"- responses scored: {origin_line(run)}",
        f"- cases: {len(run.cases)} matching `{run.case_pattern}`; "
        + ", ".join(f"{n} {s}" for s, n in sorted(run.status_counts.items())),
        f"- samples per case: {run.samples}; run took {run.duration_s:.1f} s; "
        f"evenhand {run.evenhand_version}; {run.created_at}",
    ]
    if "cost_usd" in run.totals or "prompt_tokens" in run.totals:
        lines.append(
            f"- tokens: {run.totals.get('prompt_tokens', 0):.0f} prompt, "
            f"{run.totals.get('completion_tokens', 0):.0f} completion; "
            f"estimated cost {fmt(run.totals.get('cost_usd'), 'cost_usd')}"
        )
    lines += [
        "",
        "## Overall",
        "",
        "| metric | value | cases | better |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, info in METRICS.items():
        metric = run.overall.get(name)
        if metric is None:
            continue
        better = {"higher": "higher", "lower": "lower", "neutral": "–"}[info.direction]
        lines.append(f"| {info.label} | {fmt(metric.value, name)} | {metric.cases} | {better} |")
    missing = [c for c in run.cases if c.status != "scored"]
    if missing:
        lines += ["", "## Not scored", "", "| case | status | why |", "| --- | --- | --- |"]
        lines += [f"| {c.id} | {c.status} | {c.message or ''} |" for c in missing]
    columns = [c for c in CASE_COLUMNS if any(c in case.metrics for case in run.cases)]
    header = ["case", "source", "status", *(METRICS[c].label for c in columns)]
    lines += [
        "",
        "## Per case",
        "",
        "| " + " | ".join(header) + " |",
        "| --- | --- | --- |" + "".join(" ---: |" for _ in columns),
    ]
    for case in run.cases:
        cells = [case.id, case.source, case.status, *(fmt(case.metrics.get(c), c) for c in columns)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Metric definitions: evals/README.md. Every figure: results.json.", ""]
    return "\n".join(lines)
