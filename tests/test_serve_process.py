"""`evenhand serve` as a process: SIGTERM stops it as SIGINT does, with its analysis processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evenhand.data import example_paths

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:  # state, then the parent's pid
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _long_sources() -> list[dict[str, str]]:
    """Two long articles: an analysis that runs far longer than the one-second request limit,
    within the server's default limit of 30,000 words per request."""
    sources = []
    for n, path in enumerate(example_paths(), start=1):
        text = path.read_text(encoding="utf-8")
        body = "\n\n".join(text.replace("Lukashenko", f"Lukashenko ({i})") for i in range(35))
        sources.append({"text": body[:400_000], "filename": f"long-{n}.txt"})
    return sources


@pytest.mark.enable_socket
def test_sigterm_stops_the_server_and_its_analysis_processes(tmp_path: Path) -> None:
    import httpx

    port = _free_port()
    command = [sys.executable, "-c", "from evenhand.cli import main; main()", "serve"]
    command += ["--port", str(port), "--processes", "1", "--request-timeout", "1"]
    command += ["--max-request-mb", "5"]
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    workers: set[int] = set()
    try:
        for _ in range(1200):  # until the server (and its warmed-up worker) answers
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, log_path.read_text()
                time.sleep(0.1)
        workers = _children(process.pid)
        assert workers, "no analysis process was started"
        # The client gets its 504 at once; the worker goes on with the abandoned analysis.
        response = httpx.post(
            f"http://127.0.0.1:{port}/api/analyze",
            json={"sources": _long_sources()},
            timeout=60,
        )
        assert response.status_code == 504, response.text
        # A timed-out run's process is replaced: the replacement must stop on SIGTERM too.
        workers |= _children(process.pid)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        for _ in range(100):  # generous: stopping takes well under a second
            if not any(_alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        left = sorted(pid for pid in workers if _alive(pid))
        assert left == [], f"analysis processes still running after SIGTERM: {left}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
