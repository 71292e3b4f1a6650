"""Batch benchmarks; prints figures (no pass/fail).

1. Throughput against the fake OpenAI-compatible server (run in its own process, 500 ms a
   response): 200 clusters at concurrency 1, 4 and 16, against the ideal concurrency / latency.
2. The offline engine over every NeuS validation triple with 1 and 2 worker processes.
3. The cache: a second run over the same clusters is all hits and makes no call.

    python bench/bench_batch.py [--clusters 200] [--latency 0.5] [--skip-offline]
    python bench/bench_batch.py --concurrency 16 --skip-cache --skip-offline   # one figure, quickly
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evenhand.batch import BatchSummary

REPO = Path(__file__).resolve().parents[1]
NEUS = REPO / "evals" / "data" / "neus-val" / "val.source"


def neus_clusters(path: Path, limit: int | None = None) -> list[dict[str, object]]:
    """NeuS lines -> batch input records: three articles joined by ` [SEP] `, each
    `TITLE=> ... ARTICLE=> ...`."""
    clusters: list[dict[str, object]] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if limit is not None and len(clusters) >= limit:
            break
        articles = []
        for j, part in enumerate(line.split(" [SEP] ")):
            title, _, body = part.partition("ARTICLE=>")
            if body.strip():
                articles.append(
                    {
                        "id": ("left", "centre", "right", "other")[min(j, 3)],
                        "title": title.replace("TITLE=>", "").strip() or None,
                        "text": body.strip(),
                    }
                )
        if articles:
            clusters.append({"id": f"neus-{i}", "articles": articles})
    return clusters


def write_input(folder: Path, clusters: list[dict[str, object]]) -> Path:
    path = folder / "in.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    return path


class ServerProcess:
    def __init__(self, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "bench" / "fake_server.py"), "--latency", str(latency)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        self.url = line.rsplit(" ", 1)[-1]
        self.root = self.url.removesuffix("/v1")

    def requests(self) -> int:
        with urllib.request.urlopen(f"{self.root}/stats", timeout=5) as response:
            return int(json.loads(response.read())["requests"])

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def run(input_path: Path, output: Path, **options: Any) -> BatchSummary:
    from evenhand.batch import BatchOptions, run_batch

    settings = BatchOptions(progress=False, **options)
    return run_batch(input_path, output, settings, notify=lambda m: None)


def bench_throughput(
    folder: Path,
    clusters: int,
    latency: float,
    concurrencies: tuple[int, ...] = (1, 4, 16),
    cache: bool = True,
) -> None:
    data = write_input(folder, neus_clusters(NEUS, clusters))
    server = ServerProcess(latency)
    try:
        print(
            f"fake server at {server.url}, {latency * 1000:.0f} ms a response; {clusters} clusters"
        )
        print(
            f"{'concurrency':>11} {'seconds':>8} {'clusters/s':>11} {'ideal/s':>8} {'of ideal':>9}"
        )
        llm = {"base_url": server.url, "model": "gpt-4.1-mini", "timeout": 30.0}
        if concurrencies[0] != 1:
            # In the full run the first concurrency (1) pays the one-off start-up (imports, the
            # token encoding); without it, a one-cluster run pays it so the figures compare.
            warm = folder / "warm-up"
            warm.mkdir()
            run(
                write_input(warm, neus_clusters(NEUS, 1)),
                warm / "out.jsonl",
                engine="llm",
                engine_options=llm,
                use_cache=False,
            )
            print("(after a one-cluster warm-up run)")
        for concurrency in concurrencies:
            summary = run(
                data,
                folder / f"out-c{concurrency}.jsonl",
                engine="llm",
                engine_options=llm,
                concurrency=concurrency,
                use_cache=False,
            )
            rate = summary.done / summary.elapsed_s
            ideal = concurrency / latency
            print(
                f"{concurrency:>11} {summary.elapsed_s:>8.1f} {rate:>11.2f} {ideal:>8.1f} "
                f"{rate / ideal:>8.0%}" + (f"  ({summary.failed} failed)" if summary.failed else "")
            )
        if not cache:
            return

        cache_dir = folder / "cache"
        before = server.requests()
        first = run(
            data,
            folder / "cache-1.jsonl",
            engine="llm",
            engine_options=llm,
            concurrency=16,
            cache_dir=cache_dir,
        )
        middle = server.requests()
        second = run(
            data,
            folder / "cache-2.jsonl",
            engine="llm",
            engine_options=llm,
            concurrency=16,
            cache_dir=cache_dir,
        )
        after = server.requests()
        print(
            f"cache: first run {first.done} done, {first.cached} hits, {middle - before} calls, "
            f"{first.elapsed_s:.1f} s; second run {second.done} done, {second.cached} hits, "
            f"{after - middle} calls, {second.elapsed_s:.2f} s"
        )
    finally:
        server.close()


def bench_offline(folder: Path) -> None:
    clusters = neus_clusters(NEUS)
    data = write_input(folder, clusters)
    print(f"offline engine over all {len(clusters)} neus-val triples")
    for workers in (1, 2):
        summary = run(
            data,
            folder / f"offline-w{workers}.jsonl",
            engine="offline",
            workers=workers,
            use_cache=False,
        )
        print(
            f"  {workers} worker process{'es' if workers > 1 else ''}: {summary.done} done, "
            f"{summary.failed} failed in {summary.elapsed_s:.1f} s = "
            f"{summary.done / summary.elapsed_s:.1f} clusters/s (process start-up included)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--skip-offline", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument(
        "--concurrency", type=int, action="append", help="only these concurrencies (repeatable)"
    )
    parser.add_argument("--skip-cache", action="store_true", help="skip the cache hit runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="evenhand-bench-") as tmp:
        folder = Path(tmp)
        if not args.skip_server:
            concurrencies = tuple(args.concurrency or (1, 4, 16))
            bench_throughput(
                folder, args.clusters, args.latency, concurrencies, cache=not args.skip_cache
            )
        if not args.skip_offline:
            bench_offline(folder)


if __name__ == "__main__":
    main()
