"""The eval runner, its output folder, `compare`, and how unscored cases are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evenhand.cli import main
from evenhand.engines.base import EngineResult
from evenhand.evaluation.cases import Case, load_cases
from evenhand.evaluation.compare import compare_runs
from evenhand.evaluation.output import write_run
from evenhand.evaluation.results import load_run
from evenhand.evaluation.runner import OfflineProducer, Produced, RunOptions, run_eval
from evenhand.schema import SummarySentence

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "evals" / "cases"


class ScriptedProducer:
    """Answers from a script: a sample index -> what the engine produced."""

    engine = "llm"
    model: str | None = "scripted"
    prompt_version: str | None = "test"

    def __init__(self, outcomes: dict[str, list[Produced]]) -> None:
        self.outcomes = outcomes

    def produce(self, case: Case, sample: int, *, max_words: int) -> Produced:
        return self.outcomes[case.id][sample]


def _offline_draft(case: Case) -> EngineResult:
    return OfflineProducer()._engine.analyze(case.articles, max_words=130)


def test_offline_run_writes_results_scoreboard_and_charts(tmp_path: Path) -> None:
    cases = load_cases(CASES, "lukashenko-troops,neus-013")
    lines: list[str] = []
    run = run_eval(cases, OfflineProducer(), RunOptions(progress=lines.append))
    assert [c.status for c in run.cases] == ["scored", "scored"]
    assert lines[-1].startswith("[2/2] neus-013: scored")
    assert run.overall["schema_valid"].value == 1.0
    assert run.overall["rougeL"].cases == 1  # only the NeuS case has a reference
    folder = write_run(run, tmp_path)
    assert (folder / "overall.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / "per_case.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    board = (folder / "scoreboard.md").read_text(encoding="utf-8")
    assert "2 sample(s) from offline engine" in board
    assert "| neus-013 | neus-val | scored |" in board
    again = load_run(folder.name, tmp_path)
    assert again.overall == run.overall
    assert write_run(run, tmp_path) != folder  # a second write never overwrites the first


def test_not_recorded_and_invalid_samples_are_reported_not_skipped(tmp_path: Path) -> None:
    cases = load_cases(CASES, "lukashenko-troops,neus-013")
    good = Produced("ok", result=_offline_draft(cases[0]), origin="authored fixture")
    outcomes = {
        "lukashenko-troops": [good, Produced("invalid", message="bad JSON"), good],
        "neus-013": [Produced("not recorded", message="no cassette") for _ in range(3)],
    }
    run = run_eval(cases, ScriptedProducer(outcomes), RunOptions(samples=3))
    luka, neus = run.cases
    assert neus.status == "not recorded"
    assert neus.metrics == {}
    assert luka.status == "scored"
    assert luka.message == "1 of 3 samples invalid"
    assert luka.metrics["schema_valid"] == pytest.approx(2 / 3)
    assert luka.metrics["consistency_summary"] == 1.0  # the two valid samples are the same
    assert luka.metrics["offline_agreement_summary"] == 1.0
    assert run.status_counts == {"scored": 1, "not recorded": 1}
    assert run.overall["schema_valid"].cases == 1  # the unrecorded case is not counted as passed
    assert run.origins == {"authored fixture": 2}
    board = (write_run(run, tmp_path) / "scoreboard.md").read_text(encoding="utf-8")
    assert "| neus-013 | not recorded | no cassette |" in board


def test_a_draft_that_breaks_the_schema_is_invalid() -> None:
    cases = load_cases(CASES, "lukashenko-troops")
    draft = _offline_draft(cases[0])
    draft.summary = [SummarySentence(text="x", support=[draft.summary[0].support[0]])]
    broken = draft.summary[0].support[0].model_copy(update={"text": "not the article's text"})
    draft.summary[0].support[0] = broken
    run = run_eval(
        cases,
        ScriptedProducer({"lukashenko-troops": [Produced("ok", result=draft)]}),
        RunOptions(samples=1, compare_offline=False),
    )
    assert run.cases[0].status == "invalid"
    assert run.cases[0].metrics["schema_valid"] == 0.0


def test_cli_eval_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "eval",
        "--cases",
        "lukashenko-troops",
        "--cases-dir",
        str(CASES),
        "--out",
        str(tmp_path),
    ]
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0
    captured = capsys.readouterr()
    assert "[1/1] lukashenko-troops: scored" in captured.err
    first = Path(captured.out.split()[0])
    assert json.loads((first / "results.json").read_text(encoding="utf-8"))["engine"] == "offline"

    # A second run with one metric made worse: compare names it, per metric and per case.
    run = load_run(first, tmp_path)
    worse = run.model_copy(deep=True)
    worse.run_id = "worse"
    worse.cases[0].metrics["fact_coverage"] = 0.0
    worse.overall["fact_coverage"].value = 0.0
    write_run(worse, tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["eval", "compare", str(first), "worse", "--out", str(tmp_path)])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "worse    required-fact coverage" in out
    assert "lukashenko-troops" in out
    assert "worse: required-fact coverage" in out


def test_compare_direction_of_lower_is_better_metrics() -> None:
    cases = load_cases(CASES, "lukashenko-troops")
    a = run_eval(cases, OfflineProducer(), RunOptions())
    b = a.model_copy(deep=True)
    b.overall["leak_rate"].value = (a.overall["leak_rate"].value or 0) + 0.5
    text = compare_runs(a, b)
    assert "worse    leak rate" in text
    assert "same     schema validity" in text


def test_cli_rejects_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["eval", "--samples", "0"],
        ["eval", "--record"],
        ["eval", "compare", "nope", "nada"],
    ):
        with pytest.raises(SystemExit) as done:
            main([*args, "--cases-dir", str(CASES)] if args[1] != "compare" else args)
        assert done.value.code == 2
        assert capsys.readouterr().err.startswith("evenhand: error:")


def test_compare_recomputes_overall_over_shared_cases() -> None:
    cases = load_cases(CASES, "lukashenko-troops,neus-013")
    a = run_eval(cases, OfflineProducer(), RunOptions())
    b = run_eval(cases[:1], OfflineProducer(), RunOptions())
    text = compare_runs(a, b)
    assert "Overall over the 1 cases in both runs (A -> B):" in text
    # ROUGE exists only on the NeuS case, which B lacks: it must not show as "gone".
    assert "ROUGE" not in text
    assert "1 case(s) only in A: neus-013" in text
