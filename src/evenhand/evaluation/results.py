"""What a run records in results.json, and how it is read back (for `compare` and the gate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from .metrics import METRICS, Metrics, mean

SampleStatus = Literal["ok", "invalid", "error", "not recorded"]
CaseStatus = Literal["scored", "invalid", "error", "not recorded"]

RESULTS_FILE = "results.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SampleResult(_Model):
    index: int
    status: SampleStatus
    message: str | None = None
    origin: str | None = Field(
        default=None, description="Where the responses came from: offline engine, fixture, ..."
    )
    cassette: str | None = None
    metrics: Metrics = Field(default_factory=dict)
    duration_ms: float = 0.0


class CaseResult(_Model):
    id: str
    title: str
    source: str
    status: CaseStatus
    message: str | None = None
    samples: list[SampleResult]
    metrics: Metrics = Field(default_factory=dict)


class OverallMetric(_Model):
    value: float | None
    cases: int = Field(description="Cases that had this metric (the mean is over them).")


class RunResult(_Model):
    run_id: str
    engine: str
    model: str | None = None
    prompt_version: str | None = None
    samples: int
    case_pattern: str
    created_at: str
    evenhand_version: str
    duration_s: float
    origins: dict[str, int] = Field(description="Samples scored, by the origin of their responses.")
    status_counts: dict[str, int]
    overall: dict[str, OverallMetric]
    totals: dict[str, float]
    cases: list[CaseResult]

    def case(self, case_id: str) -> CaseResult | None:
        return next((c for c in self.cases if c.id == case_id), None)


def case_status(samples: list[SampleResult]) -> CaseStatus:
    """Scored when any sample scored; otherwise the most telling failure."""
    statuses = {s.status for s in samples}
    if "ok" in statuses:
        return "scored"
    for status in ("error", "invalid"):
        if status in statuses:
            return status
    return "not recorded"


def aggregate_case(samples: list[SampleResult]) -> Metrics:
    """Mean of each metric over the case's samples. Schema validity counts every attempted
    sample (an invalid output scores 0); the other metrics average the valid samples only."""
    attempted = [s for s in samples if s.status in ("ok", "invalid")]
    metrics: Metrics = {}
    names = {n for s in attempted for n in s.metrics}
    for name in sorted(names, key=list(METRICS).index):
        pool = (
            attempted
            if name in ("schema_valid", "prompt_tokens", "completion_tokens", "cost_usd")
            else [s for s in attempted if s.status == "ok"]
        )
        metrics[name] = mean([s.metrics.get(name) for s in pool])
    return metrics


def overall(cases: list[CaseResult]) -> dict[str, OverallMetric]:
    """Mean of each case-level metric over the scored cases that have it."""
    scored = [c for c in cases if c.status in ("scored", "invalid")]
    result: dict[str, OverallMetric] = {}
    for name in METRICS:
        values = [c.metrics.get(name) for c in scored]
        present = [v for v in values if v is not None]
        if present:
            result[name] = OverallMetric(value=mean(present), cases=len(present))
    return result


def load_run(where: str | Path, results_root: Path) -> RunResult:
    """A run by folder path, by results.json path, or by run id under `results_root`."""
    path = Path(where)
    candidates = [path, path / RESULTS_FILE, results_root / str(where) / RESULTS_FILE]
    for candidate in candidates:
        if candidate.is_file():
            try:
                return RunResult.model_validate(json.loads(candidate.read_text(encoding="utf-8")))
            except (OSError, ValueError, ValidationError) as exc:
                raise InputError(f"{candidate} is not an eval results file: {exc}") from exc
    raise InputError(f"no eval run {str(where)!r}: give a run id under {results_root} or a folder")
