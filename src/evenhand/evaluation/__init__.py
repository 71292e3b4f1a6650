"""The eval suite: cases with expectations, a runner that scores engines on them, the scoreboard,
charts, run comparison and the regression gate. Cases and results live in the repository's
`evals/` folder (research data is never shipped in the package); see evals/README.md."""

from __future__ import annotations

from .cases import Case, load_case, load_cases
from .compare import compare_runs
from .gate import check_gate, load_baseline
from .metrics import METRICS
from .results import RunResult, load_run
from .runner import OfflineProducer, RunOptions, run_eval

__all__ = [
    "METRICS",
    "Case",
    "OfflineProducer",
    "RunOptions",
    "RunResult",
    "check_gate",
    "compare_runs",
    "load_baseline",
    "load_case",
    "load_cases",
    "load_run",
    "run_eval",
]
