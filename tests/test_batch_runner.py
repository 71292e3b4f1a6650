"""The batch runner with a scripted engine (no network), the offline engine, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openai
import pytest

from evenhand.batch import BatchOptions, ReportCache, run_batch
from evenhand.batch.inputs import Cluster
from evenhand.batch.limiter import RateLimiter
from evenhand.batch.producers import ClusterFailed, EngineProducer
from evenhand.batch.retry import RetryPolicy
from evenhand.cli import main
from evenhand.engines.base import EngineResult
from evenhand.engines.llm import LLMEngine
from evenhand.errors import InvalidModelOutput, RateLimitError, ServiceError
from evenhand.schema import Article, Report, SummarySentence
from llm_fakes import FakeModel, completion

TEXT_A = (
    "The city council approved the new budget on Monday. Supporters said it protects services. "
    "Critics called the plan reckless and warned of higher taxes."
)
TEXT_B = (
    "Council members passed a budget on Monday after a long debate. The mayor said the vote "
    "was a victory for residents. Opponents said the process was rushed."
)


# An answer quoting the start TEXT_A, which every cluster's article "a" has.
ANSWER = {
    "summary": [
        {
            "text": "The council approved the budget on Monday.",
            "quotes": [{"article_id": "a", "quote": "The city council approved the new budget"}],
        }
    ],
    "contested_claims": [],
    "loaded_language": [],
}


def _input(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            articles = [
                {"id": "a", "outlet": "Left", "text": f"{TEXT_A} Item {i}."},
                {"id": "b", "outlet": "Right", "text": f"{TEXT_B} Item {i}."},
            ]
            handle.write(json.dumps({"id": f"c{i}", "articles": articles}) + "\n")
    return path


class ScriptedEngine:
    """An engine-like adapter: fails some clusters a given number of times, counts calls."""

    name = "scripted"

    def __init__(self, failures: dict[str, list[Exception]] | None = None) -> None:
        self.failures = failures or {}
        self.calls: list[str] = []

    def analyze(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        raise NotImplementedError

    async def analyze_async(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        item = articles[0].text.rsplit(" ", 1)[-1]
        self.calls.append(item)
        queue = self.failures.get(item)
        if queue:
            raise queue.pop(0)
        return EngineResult(
            summary=[SummarySentence(text=f"Summary of {item}", support=[])],
            contested_claims=[],
            loaded_language=[],
            model="scripted-1",
        )


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _options(**changes: Any) -> BatchOptions:
    options = BatchOptions(engine="scripted", concurrency=4, retries=0, progress=False)
    for key, value in changes.items():
        setattr(options, key, value)
    return options


def test_failures_go_to_the_errors_file_and_a_rerun_completes_them(tmp_path: Path) -> None:
    src = _input(tmp_path / "in.jsonl", 12)
    out = tmp_path / "out.jsonl"
    engine = ScriptedEngine(
        {"3.": [ServiceError("HTTP 500")], "7.": [InvalidModelOutput("bad JSON", "{", [])]}
    )
    first = run_batch(src, out, _options(), engine=engine, notify=lambda m: None)
    assert (first.done, first.failed, first.cached) == (10, 2, 0)
    errors = _lines(tmp_path / "out.errors.jsonl")
    assert {e["id"] for e in errors} == {"c3", "c7"}
    by_id = {e["id"]: e["error"] for e in errors}
    assert by_id["c3"]["type"] == "ServiceError"
    assert by_id["c3"]["retryable"] is True
    assert by_id["c7"]["type"] == "InvalidModelOutputError"
    assert by_id["c7"]["retryable"] is False
    done = {r["id"] for r in _lines(out)}
    assert done | {"c3", "c7"} == {f"c{i}" for i in range(12)}
    assert not done & {"c3", "c7"}
    for record in _lines(out):
        Report.model_validate(record["report"])

    second = run_batch(src, out, _options(), engine=engine, notify=lambda m: None)
    assert (second.done, second.failed, second.already_done) == (2, 0, 10)
    assert sorted(r["id"] for r in _lines(out)) == sorted(f"c{i}" for i in range(12))
    assert not (tmp_path / "out.errors.jsonl").exists()  # the latest run had no failures


def test_a_cache_hit_makes_no_call(tmp_path: Path) -> None:
    src = _input(tmp_path / "in.jsonl", 5)
    fake = FakeModel(responder=lambda sent: completion(ANSWER))
    engine = LLMEngine(async_client=fake.async_client())
    options = _options(engine="llm", cache_dir=tmp_path / "cache")
    run_batch(src, tmp_path / "one.jsonl", options, engine=engine, notify=lambda m: None)
    assert len(fake.requests) == 5
    again = run_batch(src, tmp_path / "two.jsonl", options, engine=engine, notify=print)
    assert len(fake.requests) == 5
    assert (again.done, again.cached, again.calls) == (5, 5, 0)
    assert _lines(tmp_path / "one.jsonl") == _lines(tmp_path / "two.jsonl")
    options.use_cache = False
    off = run_batch(src, tmp_path / "three.jsonl", options, engine=engine, notify=print)
    assert (off.cached, len(fake.requests)) == (0, 10)


def test_another_engine_is_not_cached(tmp_path: Path) -> None:
    src = _input(tmp_path / "in.jsonl", 2)
    engine = ScriptedEngine()
    options = _options(cache_dir=tmp_path / "cache")
    run_batch(src, tmp_path / "one.jsonl", options, engine=engine, notify=lambda m: None)
    again = run_batch(src, tmp_path / "two.jsonl", options, engine=engine, notify=print)
    assert (again.done, again.cached, len(engine.calls)) == (2, 0, 4)


def _rate_limited(seconds: str) -> RateLimitError:
    import httpx2

    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(429, headers={"retry-after": seconds}, request=request)
    try:
        try:
            raise openai.RateLimitError("429", response=response, body=None)
        except openai.RateLimitError:
            raise RateLimitError("the service kept refusing with 429") from None
    except RateLimitError as exc:
        return exc


async def test_retries_honour_retry_after_and_pause_the_limiter() -> None:
    sleeps: list[float] = []
    now = [0.0]  # a fake clock that only the sleeps move

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    async def limiter_sleep(seconds: float) -> None:
        now[0] += seconds

    engine = ScriptedEngine({"0.": [_rate_limited("5"), ServiceError("HTTP 503")]})
    limiter = RateLimiter(clock=lambda: now[0], sleep=limiter_sleep)
    producer = EngineProducer(
        engine,
        "scripted",
        max_words=130,
        limiter=limiter,
        policy=RetryPolicy(retries=2, base=0.5, cap=2.0),
        sleep=sleep,
    )
    cluster = Cluster("c0", [Article(id="a", text=f"{TEXT_A} Item 0.")], 1)
    produced = await producer.produce(cluster)
    assert produced.attempts == 3
    assert 5.0 <= sleeps[0] <= 6.0  # the server's retry-after, plus a little jitter
    assert 0.0 <= sleeps[1] <= 1.0  # then back-off with jitter
    assert limiter._paused_until == pytest.approx(5.0)  # every task held for the retry-after

    engine = ScriptedEngine({"0.": [ServiceError("a"), ServiceError("b"), ServiceError("c")]})
    producer = EngineProducer(
        engine,
        "scripted",
        max_words=130,
        limiter=RateLimiter(),
        policy=RetryPolicy(retries=2),
        sleep=sleep,
    )
    with pytest.raises(ClusterFailed) as failed:
        await producer.produce(cluster)
    assert failed.value.attempts == 3
    assert failed.value.kind == "ServiceError"


@pytest.mark.parametrize("workers", [0, 1])
def test_offline_engine_in_process_and_in_a_worker(tmp_path: Path, workers: int) -> None:
    src = _input(tmp_path / "in.jsonl", 3)
    out = tmp_path / "out.jsonl"
    options = BatchOptions(engine="offline", workers=workers, progress=False)
    summary = run_batch(src, out, options, notify=lambda m: None)
    assert (summary.done, summary.failed) == (3, 0)
    records = _lines(out)
    assert sorted(r["id"] for r in records) == ["c0", "c1", "c2"]
    for record in records:
        report = Report.model_validate(record["report"])
        assert report.provenance.engine == "offline"
        assert report.summary


def test_cli_batch_and_cache_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _input(tmp_path / "in.jsonl", 2)
    with src.open("a", encoding="utf-8") as handle:
        handle.write("{oops\n")
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(src), "--output", str(out), "--workers", "0"])
    assert exit_.value.code == 1  # a skipped line is reported in the exit status
    captured = capsys.readouterr()
    assert "line 3: not JSON" in captured.err
    assert "done 2 (cached 0), failed 0" in captured.out
    assert len(_lines(out)) == 2
    assert _lines(tmp_path / "out.errors.jsonl")[0]["line"] == 3

    cache = tmp_path / "cache"
    ReportCache(cache).put("k", "{}", engine="llm", model="m")
    with pytest.raises(SystemExit) as exit_:
        main(["cache", "stats", "--cache-dir", str(cache)])
    assert exit_.value.code == 0
    stats = capsys.readouterr().out
    assert "entries: 1" in stats
    assert "limits: reports kept 30 days, 256 MB at most" in stats
    with pytest.raises(SystemExit):
        main(["cache", "clear", "--cache-dir", str(cache)])
    assert "cleared 1" in capsys.readouterr().out
    monkeypatch.setenv("EVENHAND_CACHE_MAX_DAYS", "0")
    monkeypatch.setenv("EVENHAND_CACHE_MAX_MB", "0.5")
    with pytest.raises(SystemExit):
        main(["cache", "stats", "--cache-dir", str(cache)])
    assert "limits: no age limit, 0.5 MB at most" in capsys.readouterr().out

    for bad in (["--concurrency", "0"], ["--rpm", "-1"], ["--openai-batch"]):
        with pytest.raises(SystemExit) as exit_:
            main(["batch", str(src), "--output", str(out), *bad])
        assert exit_.value.code == 2, bad
        assert "evenhand: error:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(tmp_path / "none.jsonl"), "--output", str(out)])
    assert exit_.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_batch_reports_carry_the_claims_actors(tmp_path: Path) -> None:
    from evenhand.data import example_paths

    src = tmp_path / "in.jsonl"
    articles = [
        {"id": p.stem, "outlet": p.stem.upper(), "text": p.read_text(encoding="utf-8")}
        for p in example_paths()
    ]
    src.write_text(json.dumps({"id": "example", "articles": articles}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch(src, out, BatchOptions(engine="offline", workers=0, progress=False))
    assert (summary.done, summary.failed) == (1, 0)
    [record] = _lines(out)
    report = Report.model_validate(record["report"])
    assert report.schema_version == "2.0"
    claim = next(c for c in report.contested_claims if c.kind == "disputed")
    disputers = {(a.actor, a.kind) for a in claim.disputers()}
    assert disputers == {("Belarus", "government"), ("SOURCE-A", "outlet")}
    assert {"Sviatlana Tsikhanouskaya", "Western governments"} <= {a.actor for a in claim.holders()}
