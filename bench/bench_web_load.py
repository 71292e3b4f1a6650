"""Load on the web API: N concurrent clients posting the bundled example to /api/analyze.

Starts `evenhand serve` on a free 127.0.0.1 port in its own process (offline engine), warms it up,
then runs the clients for a bounded time and prints requests per second, latency percentiles and
the error count. Nothing here asserts on time: the figures are for reading.

    python bench/bench_web_load.py                       # 20 clients for 30 s, a worker per core
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
from collections.abc import Iterator
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


@contextlib.contextmanager
def _server(workers: int) -> Iterator[str]:
    """`evenhand serve` in a child process until the block ends; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-c", "from evenhand.cli import main; main()", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
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
        yield url
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


async def _run(url: str, clients: int, duration: float, warmup: float) -> tuple[Results, float]:
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
        started = time.perf_counter()
        until = started + duration
        await asyncio.gather(*(_client(http, url, payload, until, results) for _ in range(clients)))
        return results, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (30)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring (2)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="server processes (one per core)"
    )
    parser.add_argument("--url", help="use a server already running at this base URL")
    args = parser.parse_args()

    server = contextlib.nullcontext(args.url) if args.url else _server(args.workers)
    with server as url:
        load_before = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        results, elapsed = asyncio.run(_run(url, args.clients, args.duration, args.warmup))
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    latencies = sorted(results.latencies)
    total = len(latencies) + sum(results.errors.values())
    workers = "external server" if args.url else f"{args.workers} server worker(s)"
    print(f"web load: {args.clients} clients, {elapsed:.1f} s, {workers}, POST /api/analyze")
    print(f"  requests      {total}")
    print(f"  requests/s    {total / elapsed:.1f}")
    for p in (50, 90, 99):
        print(f"  p{p:<2} latency   {_percentile(latencies, p) * 1000:.0f} ms")
    print(f"  max latency   {(latencies[-1] if latencies else float('nan')) * 1000:.0f} ms")
    errors = ", ".join(f"{kind}: {n}" for kind, n in results.errors.most_common()) or "none"
    print(f"  errors        {sum(results.errors.values())} ({errors})")
    # Context for reading the figures: the load generator shares the machine with the server.
    print(f"  cpu cores     {os.cpu_count()} (load average before the run: {load_before:.2f})")
    print(f"  client cpu    {client_cpu:.1f} s of {elapsed:.1f} s (warm-up included)")


if __name__ == "__main__":
    main()
