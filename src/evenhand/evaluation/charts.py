"""PNG charts of a run, drawn headless (matplotlib's Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..extras import import_optional
from .metrics import METRICS
from .results import RunResult
from .scoreboard import origin_line

QUALITY = (
    "schema_valid",
    "grounding_rate",
    "loaded_precision",
    "loaded_recall",
    "leak_rate",
    "claim_recall",
    "claim_precision",
    "fact_coverage",
    "rouge1",
    "rouge2",
    "rougeL",
    "consistency_claims",
    "consistency_summary",
    "consistency_loaded",
    "offline_agreement_claims",
    "offline_agreement_summary",
    "offline_agreement_loaded",
)


def _pyplot() -> Any:
    import_optional("matplotlib").use("Agg")
    return import_optional("matplotlib.pyplot")


def write_charts(run: RunResult, folder: Path) -> list[Path]:
    """overall.png (mean of each 0-1 metric) and per_case.png (its spread over cases)."""
    plt = _pyplot()
    written: list[Path] = []
    names = [n for n in QUALITY if n in run.overall and run.overall[n].value is not None]
    if not names:
        return written
    labels = [METRICS[n].label for n in names]
    values = [run.overall[n].value or 0.0 for n in names]

    fig, ax = plt.subplots(figsize=(9, 0.38 * len(names) + 1.4))
    colors = ["#b5523b" if METRICS[n].direction == "lower" else "#3b6fb5" for n in names]
    ax.barh(labels, values, color=colors)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    for y, v in enumerate(values):
        ax.text(v + 0.01, y, f"{v:.3f}", va="center", fontsize=8)
    # The origin of the responses travels with the chart: a chart of authored fixtures must never
    # pass for a model's measured figures once it is copied out of its scoreboard.
    origin = origin_line(run)
    ax.set_title(f"{run.run_id}: overall (red: lower is better)\n{origin}", fontsize=9)
    fig.tight_layout()
    path = folder / "overall.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)

    spread = [[c.metrics[n] for c in run.cases if c.metrics.get(n) is not None] for n in names]
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(names) + 1.4))
    ax.boxplot(spread, orientation="horizontal", tick_labels=labels, showmeans=True)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.set_title(f"{run.run_id}: spread over cases (triangle: mean)\n{origin}", fontsize=9)
    fig.tight_layout()
    path = folder / "per_case.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)
    return written
