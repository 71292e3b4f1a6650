"""The loaded-term threshold: applied once in the pipeline for every engine, checked the same way
in the API, `check`, the CLI and batch; a value outside 0..1 is a usage error, never a traceback."""

from __future__ import annotations

import asyncio
import json
import math
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import evenhand
from cli_helpers import run_cli
from evenhand.annotate.loaded import DEFAULT_MIN_CONFIDENCE
from evenhand.batch import BatchOptions
from evenhand.engines.base import EngineResult
from evenhand.errors import UsageError
from evenhand.pipeline import build_report
from evenhand.schema import Article, LoadedTerm, Provenance, Report, Span, TermOrigin

TEXT = "The blockbuster plan passed on Monday. Critics called the vote a farce."
ARTICLE = Article(id="a", outlet="Daily A", text=TEXT)


def term(phrase: str, confidence: float, origin: TermOrigin = "model") -> LoadedTerm:
    start = TEXT.index(phrase)
    return LoadedTerm(
        span=Span(article_id="a", start=start, end=start + len(phrase), text=phrase),
        category="loaded",
        in_quote=False,
        explanation="x",
        confidence=confidence,
        origin=origin,
    )


def draft(*terms: LoadedTerm) -> EngineResult:
    return EngineResult(summary=[], contested_claims=[], loaded_language=list(terms))


# --- the filter ----------------------------------------------------------------------------------


def test_terms_below_the_threshold_are_dropped_at_and_above_kept() -> None:
    terms = [term("blockbuster", 0.49), term("plan", 0.5), term("farce", 0.51, "lexicon")]
    report = build_report(
        [ARTICLE], draft(*terms), "offline", time.perf_counter(), min_confidence=0.5
    )
    assert [t.span.text for t in report.loaded_language] == ["plan", "farce"]


def test_zero_keeps_every_candidate_and_one_only_the_certain() -> None:
    terms = [term("blockbuster", 0.0), term("plan", 0.99), term("farce", 1.0)]
    started = time.perf_counter()
    every = build_report([ARTICLE], draft(*terms), "offline", started, min_confidence=0)
    assert len(every.loaded_language) == 3
    certain = build_report([ARTICLE], draft(*terms), "offline", started, min_confidence=1)
    assert [t.span.text for t in certain.loaded_language] == ["farce"]


def test_lexicon_and_model_reported_terms_are_listed_whatever_the_threshold() -> None:
    terms = [term("blockbuster", 0.1, "lexicon"), term("plan", 0.1, "llm"), term("farce", 0.1)]
    report = build_report(
        [ARTICLE], draft(*terms), "offline", time.perf_counter(), min_confidence=0.9
    )
    assert [t.span.text for t in report.loaded_language] == ["blockbuster", "plan"]


def test_the_default_threshold_is_the_annotation_layers() -> None:
    below = term("blockbuster", max(0.0, DEFAULT_MIN_CONFIDENCE - 0.01))
    at = term("farce", DEFAULT_MIN_CONFIDENCE)
    report = build_report([ARTICLE], draft(below, at), "offline", time.perf_counter())
    assert [t.span.text for t in report.loaded_language] == ["farce"]


# --- validation in the API -----------------------------------------------------------------------

BAD = [1.5, -0.1, math.nan, math.inf, True, "0.5"]


@pytest.mark.parametrize("value", BAD)
def test_analyze_refuses_a_threshold_outside_0_to_1(value: Any) -> None:
    with pytest.raises(UsageError) as info:
        evenhand.analyze([ARTICLE], min_confidence=value)
    assert info.value.message.startswith("min_confidence must be between 0 and 1 (got ")
    assert "--" not in info.value.message  # a library error names no command-line flag


def test_analyze_async_refuses_it_too() -> None:
    with pytest.raises(UsageError, match=r"min_confidence must be between 0 and 1 \(got 1\.5\)"):
        asyncio.run(evenhand.analyze_async([ARTICLE], min_confidence=1.5))


def test_check_refuses_it_too() -> None:
    with pytest.raises(UsageError, match="min_confidence must be between 0 and 1"):
        evenhand.check("A draft.", [ARTICLE], min_confidence=2)


def _report(*terms: LoadedTerm) -> Report:
    return Report(
        articles=[ARTICLE],
        summary=[],
        contested_claims=[],
        loaded_language=list(terms),
        findings=[],
        provenance=Provenance(engine="offline", duration_ms=1.0, created_at=datetime.now(UTC)),
    )


def test_check_uses_the_reports_terms_at_or_above_the_threshold() -> None:
    report = _report(term("blockbuster", 0.4))
    flagged = "that Daily A uses"

    def messages(**options: Any) -> list[str]:
        result = evenhand.check("A blockbuster plan passed.", [], report=report, **options)
        return [f.message for f in result.findings if f.check == "loaded_leak"]

    assert any(flagged in m for m in messages())  # a given report's terms are used as they are
    assert any(flagged in m for m in messages(min_confidence=0.4))
    assert not any(flagged in m for m in messages(min_confidence=0.41))


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "draft.txt").write_text("The plan passed.", encoding="utf-8")
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"id": "c1", "articles": [{"text": TEXT}]}) + "\n", encoding="utf-8"
    )
    return {name: str(tmp_path / name) for name in ("a.txt", "draft.txt", "in.jsonl")} | {
        "out": str(tmp_path / "out.jsonl")
    }


def _commands(files: dict[str, str]) -> dict[str, list[str]]:
    return {
        "analyze": ["analyze", files["a.txt"]],
        "demo": ["demo"],
        "check": ["check", files["draft.txt"], "--source", files["a.txt"]],
        "batch": ["batch", files["in.jsonl"], "--output", files["out"], "--workers", "0"],
    }


@pytest.mark.parametrize("command", ["analyze", "demo", "check", "batch"])
@pytest.mark.parametrize("value", ["1.5", "-0.2", "nan"])
def test_the_flag_out_of_range_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], command: str, value: str
) -> None:
    args = _commands(files)[command]
    code, out, err = run_cli(capsys, *args, f"--min-confidence={value}")
    assert code == 2
    assert out == ""
    assert err == f"evenhand: error: --min-confidence must be between 0 and 1 (got {value})\n"
    assert not Path(files["out"]).exists()


@pytest.mark.parametrize("command", ["analyze", "demo", "check", "batch run"])
def test_the_flag_is_documented_on_every_analysing_command(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = run_cli(capsys, *command.split(), "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "--min-confidence P" in flat
    assert "Show loaded terms at or above this confidence (0-1; default" in flat
    assert "lower finds more, with more false alarms" in flat


def test_batch_options_check_the_threshold() -> None:
    BatchOptions(min_confidence=0.0).check()
    BatchOptions(min_confidence=1.0).check()
    with pytest.raises(UsageError, match="min_confidence must be between 0 and 1"):
        BatchOptions(min_confidence=1.2).check()
