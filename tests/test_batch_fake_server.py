"""Batch runs against the local fake OpenAI-compatible server (127.0.0.1 only): faults, reruns,
the cache, rate limits, and a run killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evenhand.batch import BatchOptions, run_batch
from evenhand.schema import Report

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.fake_server import FakeConfig, FakeServer  # noqa: E402

pytestmark = pytest.mark.enable_socket

SENTENCES = [
    "Officials confirmed that the new bridge will open to traffic next month.",
    "Residents said the construction had disrupted their neighbourhood for two years.",
    "The transport minister described the project as a triumph of planning.",
    "Opposition councillors argued that the costs had doubled since the start.",
]


def _input(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            articles = [
                {"id": side, "outlet": side.upper(), "text": " ".join(SENTENCES[k:]) + f" Ref {i}."}
                for k, side in enumerate(["left", "right"])
            ]
            handle.write(json.dumps({"id": f"cluster-{i}", "articles": articles}) + "\n")
    return path


def _ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def _options(server: FakeServer, **changes: Any) -> BatchOptions:
    options = BatchOptions(
        engine="llm",
        engine_options={"base_url": server.url, "model": "gpt-4.1-mini", "timeout": 1.0},
        concurrency=16,
        progress=False,
        use_cache=False,
    )
    for key, value in changes.items():
        setattr(options, key, value)
    return options


@pytest.fixture
def faulty_server() -> Iterator[FakeServer]:
    config = FakeConfig(latency=0.01, fault_rate=0.10, seed=7, hang=3.0)
    with FakeServer(config) as server:
        yield server


def test_faults_end_in_output_or_errors_and_a_rerun_completes_them(
    tmp_path: Path, faulty_server: FakeServer
) -> None:
    src = _input(tmp_path / "in.jsonl", 100)
    out = tmp_path / "out.jsonl"
    everyone = {f"cluster-{i}" for i in range(100)}

    # No retries: every injected fault (500, timeout, malformed body) fails its cluster.
    first = run_batch(src, out, _options(faulty_server, retries=0), notify=lambda m: None)
    done = _ids(out)
    failed = _ids(tmp_path / "out.errors.jsonl")
    faults = sum(faulty_server.stats.outcomes[k] for k in ("500", "timeout", "malformed"))
    assert faults == len(set(failed)) > 0  # one request per cluster: each fault fails one
    assert failed, "10% faults with no retries must fail some clusters"
    assert len(done) == len(set(done))
    assert set(done) | set(failed) == everyone
    assert not set(done) & set(failed)
    assert (first.done, first.failed) == (len(done), len(failed))
    errors = [json.loads(x) for x in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert {e["error"]["type"] for e in errors} <= {"ServiceError", "ModelError"}
    assert all(e["error"]["retryable"] for e in errors)
    assert all(e["error"]["message"] for e in errors)

    # The rerun, with retries, does only the failed clusters and completes them.
    before = faulty_server.stats.requests
    second = run_batch(src, out, _options(faulty_server, retries=4), notify=lambda m: None)
    assert (second.already_done, second.done, second.failed) == (len(done), len(failed), 0)
    final = _ids(out)
    assert sorted(final) == sorted(everyone)
    assert faulty_server.stats.requests - before >= len(failed)
    assert not (tmp_path / "out.errors.jsonl").exists()
    for line in out.read_text(encoding="utf-8").splitlines():
        report = Report.model_validate(json.loads(line)["report"])
        assert report.provenance.engine == "llm"
        assert report.provenance.token_usage is not None


def test_second_run_is_all_cache_hits_and_makes_no_call(tmp_path: Path) -> None:
    src = _input(tmp_path / "in.jsonl", 20)
    with FakeServer(FakeConfig(latency=0.01)) as server:
        first = run_batch(
            src, tmp_path / "a.jsonl", _options(server, use_cache=True), notify=lambda m: None
        )
        calls = server.stats.requests
        assert (first.done, first.cached, calls) == (20, 0, 20)
        second = run_batch(
            src, tmp_path / "b.jsonl", _options(server, use_cache=True), notify=lambda m: None
        )
        assert (second.done, second.cached) == (20, 20)
        assert server.stats.requests == calls
        assert (second.prompt_tokens, second.cost_usd) == (0, 0.0)


def test_rate_limit_429_with_retry_after_is_waited_out(tmp_path: Path) -> None:
    src = _input(tmp_path / "in.jsonl", 12)
    # A server allowing 600 requests a minute (10 a second, burst 10) and a run at 16 at once.
    with FakeServer(FakeConfig(latency=0.01, rpm=600)) as server:
        summary = run_batch(
            src, tmp_path / "out.jsonl", _options(server, retries=6), notify=lambda m: None
        )
        assert server.stats.outcomes["429-rpm"] > 0
        assert (summary.done, summary.failed) == (12, 0)
    # Keeping under the limit on our side (a fresh server, its allowance full) avoids the 429s.
    with FakeServer(FakeConfig(latency=0.01, rpm=600)) as server:
        limited = run_batch(
            src, tmp_path / "out2.jsonl", _options(server, rpm=300), notify=lambda m: None
        )
        assert (limited.done, server.stats.outcomes["429-rpm"]) == (12, 0)


def test_a_run_killed_with_sigkill_and_rerun_has_one_valid_result_per_id(tmp_path: Path) -> None:
    src = _input(tmp_path / "in.jsonl", 40)
    out = tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-c",
        "from evenhand.cli import main; main()",
        "batch",
        str(src),
        "--output",
        str(out),
        "--engine",
        "llm",
        "--model",
        "gpt-4.1-mini",
        "--concurrency",
        "4",
        "--no-cache",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with FakeServer(FakeConfig(latency=0.15)) as server:
        command += ["--base-url", server.url]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while len(_ids(out)) < 8 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
        survived = _ids(out)
        assert 8 <= len(survived) < 40, "the kill must land mid-run"

        # A kill can land mid-write: leave the torn start of a line, as such a kill would.
        with out.open("ab") as handle:
            handle.write(b'{"id":"cluster-39","report":{"schema_version":"1.0","arti')

        rerun = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert rerun.returncode == 0, rerun.stderr
        assert "cut a torn last line" in rerun.stderr
        assert f"already done {len(set(survived))}" in rerun.stdout

    lines = out.read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert sorted(ids) == sorted(f"cluster-{i}" for i in range(40))
    assert len(ids) == len(set(ids))
    for line in lines:
        Report.model_validate(json.loads(line)["report"])
