"""Runs an engine over the eval cases, scores every sample, and aggregates per case and overall.

Where the responses come from is a `Producer`: the offline engine computes them; the LLM engine
replays (or records) cassettes. The runner only sees drafts, failures and "not recorded".
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from pydantic import ValidationError

from .._version import __version__
from ..engines.base import EngineResult
from ..errors import EvenhandError, InvalidModelOutput
from ..extras import require
from ..schema import Report, TokenUsage
from .cases import Case
from .consistency import engine_agreement, self_consistency
from .metrics import Metrics, score_report
from .results import (
    CaseResult,
    RunResult,
    SampleResult,
    SampleStatus,
    aggregate_case,
    case_status,
    overall,
)

Progress = Callable[[str], None]


@dataclass
class Produced:
    """One sample's outcome before scoring."""

    status: SampleStatus
    result: EngineResult | None = None
    message: str | None = None
    origin: str | None = None
    cassette: str | None = None
    usage: TokenUsage | None = None  # for failed attempts, what they cost


class Producer(Protocol):
    engine: str
    model: str | None
    prompt_version: str | None

    def produce(self, case: Case, sample: int, *, max_words: int) -> Produced: ...


class OfflineProducer:
    """The deterministic offline engine: no responses to record, one sample is enough."""

    engine = "offline"
    model: str | None = None
    prompt_version: str | None = None

    def __init__(self) -> None:
        from ..engines import get_engine

        self._engine = get_engine("offline")

    def produce(self, case: Case, sample: int, *, max_words: int) -> Produced:
        try:
            result = self._engine.analyze(case.articles, max_words=max_words)
        except EvenhandError as exc:
            return Produced("error", message=exc.message, origin="offline engine")
        return Produced("ok", result=result, origin="offline engine")


def build_checked_report(case: Case, result: EngineResult, engine: str, started: float) -> Report:
    from ..pipeline import build_report

    report = build_report(case.articles, result, engine, started)
    # Round trip through JSON: what a consumer of the report would validate.
    return Report.model_validate_json(report.model_dump_json())


def _usage_metrics(usage: TokenUsage | None) -> Metrics:
    if usage is None or not usage.calls:
        return {}
    return {
        "prompt_tokens": float(usage.prompt_tokens),
        "completion_tokens": float(usage.completion_tokens),
        "cost_usd": usage.estimated_cost_usd,
    }


def score_sample(
    case: Case, index: int, produced: Produced, engine: str, started: float
) -> tuple[SampleResult, Report | None]:
    base = {"index": index, "origin": produced.origin, "cassette": produced.cassette}
    if produced.status != "ok" or produced.result is None:
        metrics: Metrics = {}
        if produced.status == "invalid":
            metrics = {"schema_valid": 0.0, **_usage_metrics(produced.usage)}
        result = SampleResult(
            status=produced.status,
            message=produced.message,
            metrics=metrics,
            duration_ms=_ms(started),
            **base,
        )
        return result, None
    try:
        report = build_checked_report(case, produced.result, engine, started)
    except ValidationError as exc:
        message = f"report fails the schema: {exc.errors()[0]['msg']}"
        invalid = SampleResult(
            status="invalid",
            message=message,
            metrics={"schema_valid": 0.0, **_usage_metrics(produced.result.token_usage)},
            duration_ms=_ms(started),
            **base,
        )
        return invalid, None
    metrics = score_report(case, report, produced.result.findings)
    ok = SampleResult(status="ok", metrics=metrics, duration_ms=_ms(started), **base)
    return ok, report


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


@dataclass
class RunOptions:
    samples: int = 1
    max_words: int = 130
    case_pattern: str = "*"
    run_id: str | None = None
    compare_offline: bool = True
    progress: Progress = field(default=lambda _line: None)


def run_id_for(engine: str, model: str | None, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    name = engine if model is None else f"{engine}-{model}"
    return f"{stamp}-{''.join(c if c.isalnum() or c in '.-' else '-' for c in name)}"


def run_eval(cases: Sequence[Case], producer: Producer, options: RunOptions) -> RunResult:
    """Run `producer` over `cases` (`options.samples` each) and score everything."""
    require("eval")  # scoring and charts need it: say so before the first case, not after
    started_run = time.perf_counter()
    offline: OfflineProducer | None = None
    if producer.engine != "offline" and options.compare_offline:
        offline = OfflineProducer()
    samples = 1 if producer.engine == "offline" else max(1, options.samples)
    results: list[CaseResult] = []
    origins: Counter[str] = Counter()
    for n, case in enumerate(cases, start=1):
        case_started = time.perf_counter()
        sample_results: list[SampleResult] = []
        reports: list[Report] = []
        for k in range(samples):
            started = time.perf_counter()
            produced = producer.produce(case, k, max_words=options.max_words)
            sample, report = score_sample(case, k, produced, producer.engine, started)
            sample_results.append(sample)
            if report is not None:
                reports.append(report)
                origins[sample.origin or "unknown"] += 1
        metrics = aggregate_case(sample_results)
        metrics.update(self_consistency(reports))
        if offline is not None and reports:
            started = time.perf_counter()
            baseline = offline.produce(case, 0, max_words=options.max_words)
            if baseline.result is not None:
                offline_report = build_checked_report(case, baseline.result, "offline", started)
                metrics.update(engine_agreement(reports, offline_report))
        status = case_status(sample_results)
        message = _case_message(sample_results, status)
        results.append(
            CaseResult(
                id=case.id,
                title=case.title,
                source=case.source,
                status=status,
                message=message,
                samples=sample_results,
                metrics=metrics,
            )
        )
        seconds = time.perf_counter() - case_started
        detail = f" ({message})" if message else ""
        options.progress(f"[{n}/{len(cases)}] {case.id}: {status}{detail} {seconds:.1f}s")
    return _run_result(
        cases=cases,
        producer=producer,
        options=options,
        samples=samples,
        results=results,
        origins=origins,
        started=started_run,
    )


def _case_message(samples: list[SampleResult], status: str) -> str | None:
    bad = [s for s in samples if s.status != "ok"]
    if not bad:
        return None
    if status == "scored":
        kinds = Counter(s.status for s in bad)
        return ", ".join(f"{n} of {len(samples)} samples {k}" for k, n in sorted(kinds.items()))
    return bad[0].message


def _run_result(
    *,
    cases: Sequence[Case],
    producer: Producer,
    options: RunOptions,
    samples: int,
    results: list[CaseResult],
    origins: Counter[str],
    started: float,
) -> RunResult:
    totals: dict[str, float] = {
        "cases": float(len(cases)),
        "samples_scored": float(sum(origins.values())),
    }
    for name in ("prompt_tokens", "completion_tokens", "cost_usd"):
        values = [s.metrics.get(name) for c in results for s in c.samples]
        present = [v for v in values if v is not None]
        if present:
            totals[name] = round(sum(present), 6)
    now = datetime.now(UTC)
    return RunResult(
        run_id=options.run_id or run_id_for(producer.engine, producer.model, now),
        engine=producer.engine,
        model=producer.model,
        prompt_version=producer.prompt_version,
        samples=samples,
        case_pattern=options.case_pattern,
        created_at=now.isoformat(timespec="seconds"),
        evenhand_version=__version__,
        duration_s=round(time.perf_counter() - started, 2),
        origins=dict(origins),
        status_counts=dict(Counter(c.status for c in results)),
        overall=overall(results),
        totals=totals,
        cases=results,
    )


__all__ = [
    "InvalidModelOutput",
    "OfflineProducer",
    "Produced",
    "Producer",
    "RunOptions",
    "run_eval",
    "run_id_for",
]
