"""Speed of the command line and the renderers (prints figures; never asserts on time).

    python bench/bench_cli.py             # 10 runs of each command, 20 of each renderer
    python bench/bench_cli.py --runs 30

Figures:
- wall time of `evenhand --help`, `evenhand analyze --help` and `evenhand --version` as new
  processes (target for `--help`: under 0.5 s; heavy modules load lazily);
- wall time of `evenhand demo` (the bundled example, offline engine, terminal report);
- in process: rendering the example's report in each format.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def _command() -> list[str]:
    """The installed `evenhand` script beside this Python, else the same entry point via -c."""
    script = Path(sys.executable).parent / "evenhand"
    if script.exists():
        return [str(script)]
    found = shutil.which("evenhand")
    if found:
        return [found]
    return [sys.executable, "-c", "from evenhand.cli import main; main()"]


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _row(label: str, times: list[float], target_ms: float | None = None) -> str:
    median = statistics.median(times)
    verdict = ""
    if target_ms is not None:
        verdict = f"  target < {target_ms:.0f} ms: {'met' if median < target_ms else 'MISSED'}"
    return (
        f"{label:<34} median {median:8.1f} ms   min {min(times):8.1f} ms   "
        f"max {max(times):8.1f} ms  (n={len(times)}){verdict}"
    )


def _run_process(args: list[str]) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(args, check=True, capture_output=True)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description="CLI and renderer speed")
    parser.add_argument("--runs", type=int, default=10, help="runs of each command")
    options = parser.parse_args()
    evenhand = _command()
    print(f"command: {' '.join(evenhand)}")
    print(f"python:  {sys.version.split()[0]}")
    print()
    print("new processes (wall time)")
    _run_process([*evenhand, "--help"])()  # warm the file system cache once
    print(_row("evenhand --help", _time(_run_process([*evenhand, "--help"]), options.runs), 500))
    print(_row("evenhand --version", _time(_run_process([*evenhand, "--version"]), options.runs)))
    analyze_help = _time(_run_process([*evenhand, "analyze", "--help"]), options.runs)
    print(_row("evenhand analyze --help", analyze_help, 500))
    demo_runs = max(3, options.runs // 2)
    print(_row("evenhand demo", _time(_run_process([*evenhand, "demo"]), demo_runs)))

    import evenhand as api
    from evenhand.data import example_paths
    from evenhand.renderers import FORMATS, render

    report = api.analyze(example_paths())
    print()
    print("in process: rendering the bundled example's report")
    for fmt in FORMATS:
        for _ in range(2):  # import the renderer and warm up
            render(report, fmt)
        times = _time(lambda fmt=fmt: render(report, fmt), options.runs * 2)  # type: ignore[misc]
        print(_row(f"render {fmt} ({len(render(report, fmt)):,} chars)", times))


if __name__ == "__main__":
    main()
