"""Writing a run's folder: results.json, scoreboard.md and the charts, each file atomically."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..safe_write import atomic_write_text
from .charts import write_charts
from .results import RESULTS_FILE, RunResult
from .scoreboard import scoreboard

DEFAULT_RESULTS_DIR = Path("evals") / "results"


def write_run(run: RunResult, root: Path = DEFAULT_RESULTS_DIR) -> Path:
    """Write the run under `root/<run-id>/` (a fresh folder) and return it."""
    folder = root / run.run_id
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = root / f"{run.run_id}-{suffix}"
    if folder.name != run.run_id:
        run = run.model_copy(update={"run_id": folder.name})
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    atomic_write_text(folder / RESULTS_FILE, run.model_dump_json(indent=2) + "\n")
    atomic_write_text(folder / "scoreboard.md", scoreboard(run))
    write_charts(run, folder)
    return folder
