"""Load on the web API: N concurrent clients posting the bundled example to /api/analyze.

Starts `evenhand serve` on a free 127.0.0.1 port in its own process (offline engine), warms it up,
then runs the clients for a bounded time and prints requests per second, latency percentiles and
the error count. Nothing here asserts on time: the figures are for reading.

    python bench/bench_web_load.py                       # 20 clients for 30 s
    python bench/bench_web_load.py --clients 50 --duration 10
    python bench/bench_web_load.py --url http://127.0.0.1:8000   # a server already running
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from evenhand.data import example_paths


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tree_cpu_seconds(root: int) -> float | None:
    """CPU time (user + system) of process `root` and its descendants, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    try:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    except OSError:
        return None
    tree, total = {root}, 0.0
    for _ in range(4):  # supervisor -> workers -> (none deeper)
        tree |= {pid for pid, (ppid, _) in stats.items() if ppid in tree}
    for pid in tree:
        total += stats.get(pid, (0, 0.0))[1]
    return total


@contextlib.contextmanager
def _server(workers: int, processes: int | None) -> Iterator[tuple[str, int | None]]:
    """`evenhand serve` in a child process until the block ends; yields its URL and pid."""
    port = _free_port()
    command = [sys.executable, "-c", "from evenhand.cli import main; main()", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if processes is not None:
        command += ["--processes", str(processes)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("OPENAI_API_KEY", None)  # offline engine only, whatever the shell has
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server exited with code {process.returncode}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not answer /healthz within 30 s")
            time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _payload() -> dict[str, Any]:
    sources = [
        {"text": path.read_text(encoding="utf-8"), "filename": path.name}
        for path in example_paths()
    ]
    return {"sources": sources, "engine": "offline"}


async def _client(
    http: httpx.AsyncClient, url: str, payload: dict[str, Any], until: float, results: Results
) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await http.post(f"{url}/api/analyze", json=payload)
            elapsed = time.perf_counter() - started
            if response.status_code == 200 and response.json().get("summary"):
                results.latencies.append(elapsed)
            else:
                results.errors[f"HTTP {response.status_code}"] += 1
        except httpx.HTTPError as exc:
            results.errors[type(exc).__name__] += 1


def _percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


async def _run(
    url: str, clients: int, duration: float, warmup: float, measuring: Callable[[], None]
) -> tuple[Results, float]:
    payload = _payload()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        warm = Results()
        await asyncio.gather(
            *(
                _client(http, url, payload, time.perf_counter() + warmup, warm)
                for _ in range(clients)
            )
        )
        results = Results()
        measuring()
        started = time.perf_counter()
        until = started + duration
        await asyncio.gather(*(_client(http, url, payload, until, results) for _ in range(clients)))
        return results, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (30)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring (2)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (1)")
    parser.add_argument(
        "--processes", type=int, help="offline-engine processes (default: one per core)"
    )
    parser.add_argument("--url", help="use a server already running at this base URL")
    args = parser.parse_args()

    server = (
        contextlib.nullcontext((args.url, None))
        if args.url
        else _server(args.workers, args.processes)
    )
    marks: dict[str, Any] = {}

    def measuring() -> None:  # after the warm-up, before the measured run
        marks["load"] = os.getloadavg()[0]
        marks["client"] = resource.getrusage(resource.RUSAGE_SELF)
        marks["server"] = _tree_cpu_seconds(pid) if pid else None

    with server as (url, pid):
        run = _run(url, args.clients, args.duration, args.warmup, measuring)
        results, elapsed = asyncio.run(run)
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        server_after = _tree_cpu_seconds(pid) if pid else None
    client_before = marks["client"]
    client_cpu = (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    server_cpu = (
        server_after - marks["server"]
        if server_after is not None and marks["server"] is not None
        else None
    )
    latencies = sorted(results.latencies)
    total = len(latencies) + sum(results.errors.values())
    processes = "default" if args.processes is None else args.processes
    shape = f"--workers {args.workers} --processes {processes}"
    print(f"web load: {args.clients} clients, {elapsed:.1f} s, POST /api/analyze")
    print(f"  server        {'external' if args.url else 'evenhand serve ' + shape}")
    print(f"  requests      {total}")
    print(f"  requests/s    {total / elapsed:.1f}")
    for p in (50, 90, 99):
        print(f"  p{p:<2} latency   {_percentile(latencies, p) * 1000:.0f} ms")
    print(f"  max latency   {(latencies[-1] if latencies else float('nan')) * 1000:.0f} ms")
    errors = ", ".join(f"{kind}: {n}" for kind, n in results.errors.most_common()) or "none"
    print(f"  errors        {sum(results.errors.values())} ({errors})")
    # Context for reading the figures: the load generator shares the machine with the server.
    print(f"  cpu cores     {os.cpu_count()} (load average before the run: {marks['load']:.2f})")
    print(f"  client cpu    {client_cpu:.1f} s")
    if server_cpu is not None and total:
        per_request = server_cpu / total * 1000
        print(f"  server cpu    {server_cpu:.1f} s, {per_request:.0f} ms per request")


if __name__ == "__main__":
    main()
