"""The regression gate: the offline engine's figures on a fast subset must not fall below the
committed baseline (evals/baseline.json) by more than each metric's tolerance.

Raising the baseline is a deliberate commit: `evenhand eval gate --write-baseline` rewrites the
figures (keeping the tolerances) and the diff shows what moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from .metrics import METRICS
from .results import RunResult


class BaselineMetric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float
    tolerance: float = Field(ge=0)


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(alias="_comment", default="")
    engine: str = "offline"
    cases: str = Field(description="Glob(s) over case ids, comma-separated: the gate subset.")
    max_words: int = 130
    metrics: dict[str, BaselineMetric]


@dataclass(frozen=True)
class GateRow:
    metric: str
    baseline: float
    tolerance: float
    current: float | None
    passed: bool


def load_baseline(path: Path) -> Baseline:
    try:
        baseline = Baseline.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise InputError(f"cannot read the eval baseline {path}: {exc.strerror or exc}") from exc
    except ValidationError as exc:  # one line: pydantic's own text spans several
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise InputError(
            f"{path} is not an eval baseline: {where}: {first['msg']}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from exc
    except ValueError as exc:
        raise InputError(f"cannot read the eval baseline {path}: {exc}") from exc
    unknown = sorted(set(baseline.metrics) - set(METRICS))
    if unknown:
        raise InputError(f"{path}: unknown metric(s) {', '.join(unknown)}")
    return baseline


def check_gate(run: RunResult, baseline: Baseline) -> list[GateRow]:
    """One row per baseline metric: passed unless it moved the wrong way by more than the
    tolerance (for a metric with no better direction, by more than the tolerance either way)."""
    rows: list[GateRow] = []
    for name, expected in baseline.metrics.items():
        metric = run.overall.get(name)
        current = None if metric is None else metric.value
        direction = METRICS[name].direction
        if current is None:
            passed = False
        elif direction == "higher":
            passed = current >= expected.value - expected.tolerance
        elif direction == "lower":
            passed = current <= expected.value + expected.tolerance
        else:
            passed = abs(current - expected.value) <= expected.tolerance
        rows.append(GateRow(name, expected.value, expected.tolerance, current, passed))
    return rows


def _better(metric: str) -> str:
    direction = METRICS[metric].direction
    return "should stay near it" if direction == "neutral" else f"{direction} is better"


def gate_report(rows: list[GateRow]) -> str:
    lines = []
    for r in rows:
        current = "missing" if r.current is None else f"{r.current:.4f}"
        mark = "ok  " if r.passed else "FAIL"
        lines.append(
            f"{mark} {METRICS[r.metric].label:<30} {current:>9}  "
            f"(baseline {r.baseline:.4f} ± {r.tolerance:g}, {_better(r.metric)})"
        )
    failed = sum(1 for r in rows if not r.passed)
    lines.append("gate passed" if not failed else f"gate FAILED: {failed} metric(s) regressed")
    return "\n".join(lines)


def updated_baseline(run: RunResult, baseline: Baseline) -> dict[str, Any]:
    """The baseline file's content with the run's figures, tolerances kept."""
    metrics: dict[str, Any] = {}
    for name, info in baseline.metrics.items():
        metric = run.overall.get(name)
        if metric is None or metric.value is None:
            raise InputError(f"the run has no figure for {name}; cannot write the baseline")
        metrics[name] = {"value": round(metric.value, 4), "tolerance": info.tolerance}
    return {
        "_comment": baseline.comment,
        "engine": baseline.engine,
        "cases": baseline.cases,
        "max_words": baseline.max_words,
        "metrics": metrics,
    }
