"""The regression gate: the offline engine on the baseline's subset must hold its figures.

`test_offline_engine_holds_the_committed_baseline` IS the CI gate (it runs in `make test`): it
fails when a metric falls below evals/baseline.json by more than its tolerance.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evenhand.cli import main
from evenhand.evaluation.cases import load_cases
from evenhand.evaluation.gate import check_gate, gate_report, load_baseline
from evenhand.evaluation.results import OverallMetric
from evenhand.evaluation.runner import OfflineProducer, RunOptions, run_eval

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "evals" / "baseline.json"
CASES = REPO / "evals" / "cases"


def test_offline_engine_holds_the_committed_baseline() -> None:
    baseline = load_baseline(BASELINE)
    run = run_eval(
        load_cases(CASES, baseline.cases),
        OfflineProducer(),
        RunOptions(max_words=baseline.max_words, case_pattern=baseline.cases),
    )
    rows = check_gate(run, baseline)
    assert all(r.passed for r in rows), gate_report(rows)


def test_gate_fails_on_a_drop_beyond_tolerance_only() -> None:
    baseline = load_baseline(BASELINE)
    run = run_eval(load_cases(CASES, "lukashenko-troops"), OfflineProducer(), RunOptions())
    figures = {name: m.value for name, m in baseline.metrics.items()}
    run.overall = {n: OverallMetric(value=v, cases=1) for n, v in figures.items()}
    assert all(r.passed for r in check_gate(run, baseline))

    recall = baseline.metrics["loaded_recall"]
    run.overall["loaded_recall"] = OverallMetric(value=recall.value - recall.tolerance / 2, cases=1)
    assert all(r.passed for r in check_gate(run, baseline))
    run.overall["loaded_recall"] = OverallMetric(
        value=recall.value - recall.tolerance - 0.01, cases=1
    )
    leak = baseline.metrics["leak_rate"]
    run.overall["leak_rate"] = OverallMetric(value=leak.value + leak.tolerance + 0.01, cases=1)
    del run.overall["rougeL"]
    failed = {r.metric for r in check_gate(run, baseline) if not r.passed}
    assert failed == {"loaded_recall", "leak_rate", "rougeL"}
    assert "gate FAILED: 3 metric(s) regressed" in gate_report(check_gate(run, baseline))


def test_cli_gate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    strict = tmp_path / "baseline.json"
    text = BASELINE.read_text(encoding="utf-8")
    strict.write_text(text.replace('"tolerance": 0.03', '"tolerance": 0.0'), encoding="utf-8")
    # Raise one figure out of reach: the gate must fail with exit code 3.
    spec = load_baseline(strict)
    raised = spec.model_copy(deep=True)
    raised.metrics["fact_coverage"].value = 1.01
    strict.write_text(raised.model_dump_json(by_alias=True), encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["eval", "gate", "--baseline", str(strict), "--cases-dir", str(CASES)])
    assert done.value.code == 3
    assert "FAIL required-fact coverage" in capsys.readouterr().out

    with pytest.raises(SystemExit) as done:
        main(["eval", "gate", "--baseline", str(tmp_path / "none.json")])
    assert done.value.code == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["eval", "gate", "--baseline", "{tmp}/baseline.json"], r"is not an eval baseline: cases"),
        (["eval", "--cases-dir", "{tmp}", "--out", "{tmp}/out"], r"holds no eval cases"),
        (
            ["eval", "--cases", "lukashenko-*", "--max-words", "5", "--out", "{tmp}/out"],
            "at least 20",
        ),
    ],
)
def test_cli_eval_usage_errors_are_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    # Before: pydantic's multi-line text; "matches None"; a 5-word summary scored as a run.
    (tmp_path / "baseline.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main([arg.replace("{tmp}", str(tmp_path)) for arg in argv])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert re.search(message, err), err
    assert not (tmp_path / "out").exists()
