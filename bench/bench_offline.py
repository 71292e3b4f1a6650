"""Speed of the offline engine (prints figures; never asserts on time).

    python bench/bench_offline.py             # bundled example + all 307 NeuS val triples
    python bench/bench_offline.py --runs 50   # more repetitions on the example

Figures:
- the bundled example, in process: median over repeated runs of `evenhand.analyze(paths)` (files
  read, engine, checks, report) and of `OfflineEngine().analyze(articles)` alone (target < 100 ms);
- NeuS val, all 307 triples end to end through `evenhand.analyze` (target < 60 s on 2 cores).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.neus import load_neus

import evenhand
from evenhand.data import example_paths
from evenhand.engines.offline import OfflineEngine


def _median_ms(fn: object, runs: int) -> tuple[float, float]:
    assert callable(fn)
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="offline engine speed")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-neus", action="store_true")
    args = parser.parse_args()

    paths = example_paths()
    articles = evenhand.load_articles(paths)
    evenhand.analyze(paths)  # warm up: imports, lexicon load
    median, worst = _median_ms(lambda: evenhand.analyze(paths), args.runs)
    print(
        f"example, evenhand.analyze(paths): median {median:.1f} ms, max {worst:.1f} ms "
        f"over {args.runs} runs"
    )
    engine = OfflineEngine()
    median, worst = _median_ms(lambda: engine.analyze(articles, max_words=130), args.runs)
    print(f"example, OfflineEngine.analyze only: median {median:.1f} ms, max {worst:.1f} ms")

    if args.skip_neus:
        return
    triples = load_neus()
    per: list[float] = []
    started = time.perf_counter()
    for triple in triples:
        t0 = time.perf_counter()
        evenhand.analyze(triple.articles)
        per.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - started
    print(
        f"NeuS val: {len(triples)} triples end to end in {total:.1f} s "
        f"(median {statistics.median(per):.1f} ms, max {max(per):.1f} ms per triple)"
    )


if __name__ == "__main__":
    main()
