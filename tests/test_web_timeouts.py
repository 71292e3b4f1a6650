"""A run in a worker process stops at the request's time limit, and the next request is served.

The slow job is injected here (a top-level function, so the spawned worker can import it); only
generous bounds are put on wall-clock time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from evenhand.web.errors import ApiError
from evenhand.web.runner import Runner


def _pid() -> int:
    return os.getpid()


def _slow(pid_file: str) -> int:
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(600)
    return os.getpid()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its exit status is left


async def test_a_timed_out_run_in_a_process_is_stopped_and_the_next_is_served(
    tmp_path: Path,
) -> None:
    runner = Runner(threads=1, processes=1)
    try:
        first = await runner.run(120, True, _pid)  # the worker process is up
        pid_file = tmp_path / "pid"
        with pytest.raises(ApiError) as caught:
            await runner.run(1.0, True, _slow, str(pid_file))
        assert caught.value.status == 504
        slow_pid = int(pid_file.read_text())
        assert slow_pid == first

        deadline = time.monotonic() + 30
        while _alive(slow_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(slow_pid), "the abandoned run is still going"

        # Served by a fresh process, long before the slow job would have ended (600 s).
        started = time.monotonic()
        after = await runner.run(60, True, _pid)
        assert after != slow_pid
        assert time.monotonic() - started < 60
    finally:
        runner.shutdown()


async def test_a_job_error_in_a_process_keeps_the_worker() -> None:
    runner = Runner(threads=1, processes=1)
    try:
        first = await runner.run(120, True, _pid)
        with pytest.raises(ApiError) as caught:
            await runner.run(120, True, _refuse)
        assert caught.value.status == 422
        assert await runner.run(120, True, _pid) == first
    finally:
        runner.shutdown()


def _refuse() -> int:
    raise ApiError(422, "bad_input", "refused")


def test_sources_over_the_word_limit_are_refused_before_any_work() -> None:
    from fastapi.testclient import TestClient

    from evenhand.web.app import create_app
    from evenhand.web.settings import DEFAULT_MAX_SOURCE_WORDS, WebSettings

    assert WebSettings().max_source_words == DEFAULT_MAX_SOURCE_WORDS <= 30_000
    with TestClient(create_app(WebSettings(max_source_words=100))) as client:
        words = " ".join(["word"] * 60)
        body = {"sources": [{"text": words}, {"text": words}]}
        response = client.post("/api/analyze", json=body)
        assert response.status_code == 422
        assert response.json()["error"] == "too_many_words"
        checked = client.post("/api/check", json={"draft": words, "sources": [{"text": words}]})
        assert checked.status_code == 422
        assert checked.json()["error"] == "too_many_words"
