"""`evenhand eval`: run the eval suite, compare two runs, and the regression gate.

evenhand eval [--engine offline|llm] [--model M] [--cases GLOB] [--samples N] [--record]
evenhand eval compare RUN_A RUN_B
evenhand eval gate [--baseline evals/baseline.json] [--write-baseline]
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import UsageError
from . import options as opt
from .app import app

eval_app = typer.Typer(
    help=(
        "Score an engine on the eval cases in evals/cases and write evals/results/<run-id>/ "
        "(results.json, scoreboard.md, charts). Run from the repository root.\n\n"
        "\b\nExamples:\n"
        "  evenhand eval                                   # offline engine, every case\n"
        "  evenhand eval --cases 'basil-*' --out /tmp/runs\n"
        "  evenhand eval --engine llm -n 1                 # replays evals/cassettes\n"
        "  evenhand eval --engine llm --model gemma-3-270m --temperature 0 --seed 1 \\\n"
        "      --context-tokens 4096 --max-output-tokens 512 --structured strict\n"
        "      # replays the cassettes recorded from a local llama-server (add --record and\n"
        "      # --base-url to record missing ones; the settings are part of the cassette names)\n"
        "  evenhand eval compare RUN_A RUN_B\n"
        "  evenhand eval gate                              # exit 3 on a regression"
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(eval_app, name="eval")

CASES = typer.Option(
    None,
    "--cases",
    metavar="GLOBS",
    help="Glob(s) over case ids, comma-separated, e.g. 'basil-*,lukashenko-*'.",
)
CASES_DIR = typer.Option(
    Path("evals/cases"), "--cases-dir", metavar="DIR", help="Folder of eval cases."
)
RESULTS_DIR = typer.Option(
    Path("evals/results"), "--out", metavar="DIR", help="Folder the run's folder is written under."
)

CASSETTES_DIR = typer.Option(
    Path("evals/cassettes"),
    "--cassettes-dir",
    metavar="DIR",
    help="Folder of recorded LLM responses.",
)
BASELINE = typer.Option(
    Path("evals/baseline.json"), "--baseline", metavar="FILE", help="Committed baseline figures."
)


def _progress(line: str) -> None:
    typer.echo(line, err=True)


@eval_app.callback()
@opt.llm_options
def eval_run(
    ctx: typer.Context,
    *,
    engine: str = opt.ENGINE,
    llm: opt.LLMOptions,
    cases: str | None = CASES,
    samples: int = typer.Option(
        3,
        "--samples",
        "-n",
        metavar="N",
        help="Samples per case for --engine llm (offline runs one).",
    ),
    record: bool = typer.Option(
        False,
        "--record",
        help="Record missing cassettes against the live model (needs OPENAI_API_KEY or "
        "--base-url); without it, a case with no cassette is reported as not recorded.",
    ),
    record_note: str | None = typer.Option(
        None,
        "--record-note",
        metavar="TEXT",
        help="With --record: a line written at the top of each cassette recorded, saying what "
        "produced it (the model's name, the settings and a llama.cpp server's build are "
        "written there anyway).",
    ),
    max_words: int = opt.MAX_WORDS,
    cases_dir: Path = CASES_DIR,
    cassettes_dir: Path = CASSETTES_DIR,
    out: Path = RESULTS_DIR,
) -> None:
    """Run the eval suite (the subcommands compare runs and gate regressions)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..evaluation.cases import load_cases
    from ..evaluation.output import write_run
    from ..evaluation.runner import OfflineProducer, Producer, RunOptions, run_eval

    if samples < 1:
        raise UsageError(f"--samples must be at least 1 (got {samples})")
    if max_words < 20:  # as for analyze: a shorter summary cannot say anything
        raise UsageError(f"--max-words must be at least 20 (got {max_words})")
    llm_options = llm.for_engine(engine)
    if record and engine != "llm":
        raise UsageError("--record only applies to --engine llm")
    chosen = load_cases(cases_dir, cases)
    producer: Producer
    if engine == "offline":
        producer = OfflineProducer()
    else:
        from ..evaluation.replay import CassetteProducer

        producer = CassetteProducer(cassettes_dir, record=record, note=record_note, **llm_options)
    _progress(
        f"eval: {len(chosen)} case(s), engine {engine}"
        + (f", {samples} sample(s) each" if engine == "llm" else "")
    )
    run = run_eval(
        chosen,
        producer,
        RunOptions(
            samples=samples, max_words=max_words, case_pattern=cases or "*", progress=_progress
        ),
    )
    folder = write_run(run, out)
    from ..evaluation.scoreboard import fmt

    for name, metric in run.overall.items():
        _progress(f"  {name:<28} {fmt(metric.value, name):>9}  ({metric.cases} cases)")
    unscored = [c.id for c in run.cases if c.status != "scored"]
    if unscored:
        shown = ", ".join(unscored[:8]) + (", ..." if len(unscored) > 8 else "")
        _progress(f"warning: {len(unscored)} case(s) not scored (see the scoreboard): {shown}")
    counts = ", ".join(f"{n} {s}" for s, n in sorted(run.status_counts.items()))
    typer.echo(f"{folder}  ({counts})")


@eval_app.command("compare")
def eval_compare(
    run_a: str = typer.Argument(..., metavar="RUN_A", help="Run id under --out, or a run folder."),
    run_b: str = typer.Argument(..., metavar="RUN_B", help="Run id under --out, or a run folder."),
    out: Path = RESULTS_DIR,
) -> None:
    """Print what got better and worse from RUN_A to RUN_B, per metric and per case.

    \b
    Examples:
      evenhand eval compare 20261122-114727-offline 20261122-114733-llm-gpt-4.1-mini
      evenhand eval compare /tmp/runs/before /tmp/runs/after
    """
    from ..evaluation.compare import compare_runs
    from ..evaluation.results import load_run

    typer.echo(compare_runs(load_run(run_a, out), load_run(run_b, out)))


@eval_app.command("gate")
def eval_gate(
    baseline: Path = BASELINE,
    cases_dir: Path = CASES_DIR,
    write_baseline: bool = typer.Option(
        False,
        "--write-baseline",
        help="Rewrite the baseline with the current figures (tolerances kept): a deliberate "
        "commit.",
    ),
) -> None:
    """Run the offline engine on the baseline's case subset; exit 3 if a metric regressed.

    \b
    Examples:
      evenhand eval gate                     # what CI runs
      evenhand eval gate --write-baseline    # after a deliberate change: commit the new figures
    """
    from ..evaluation.cases import load_cases
    from ..evaluation.gate import check_gate, gate_report, load_baseline, updated_baseline
    from ..evaluation.runner import OfflineProducer, RunOptions, run_eval
    from ..safe_write import atomic_write_text

    spec = load_baseline(baseline)
    if spec.engine != "offline":
        raise UsageError(f"{baseline}: the gate runs the offline engine, not {spec.engine!r}")
    run = run_eval(
        load_cases(cases_dir, spec.cases),
        OfflineProducer(),
        RunOptions(max_words=spec.max_words, case_pattern=spec.cases),
    )
    if write_baseline:
        text = json.dumps(updated_baseline(run, spec), indent=2, ensure_ascii=False) + "\n"
        atomic_write_text(baseline, text)
        typer.echo(f"wrote {baseline} from {len(run.cases)} cases")
        return
    rows = check_gate(run, spec)
    typer.echo(gate_report(rows))
    if not all(r.passed for r in rows):
        raise typer.Exit(3)
