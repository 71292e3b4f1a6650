"""Speed of the offline engine (prints figures; never asserts on time).

    python bench/bench_offline.py             # bundled example + all 307 NeuS val triples
    python bench/bench_offline.py --runs 50   # more repetitions on the example

Figures (models loaded once; every run parses and tags its texts afresh, since the annotation
cache is cleared before each run):
- cold start: a new process's first `evenhand.analyze` of the example, with the spaCy pipeline
  and the two taggers' loads timed apart;
- the bundled example, in process: median over repeated runs of `evenhand.analyze(paths)` (files
  read, annotation, engine, checks, report) and of `OfflineEngine().analyze(articles)` alone
  (target < 100 ms);
- a BASIL-size triple (3 articles of about 1,000 words; target < 300 ms);
- NeuS val, all 307 triples end to end through `evenhand.analyze` (target < 60 s on 2 cores);
- peak memory (resident set) of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.basil import load_basil
from evals.neus import load_neus

import evenhand
from evenhand.annotate.document import clear_cache
from evenhand.data import example_paths
from evenhand.engines.offline import OfflineEngine
from evenhand.schema import Article

_COLD_START = """
import time
t0 = time.perf_counter()
import evenhand
from evenhand.annotate import load_pipeline
from evenhand.annotate.tagger import load_tagger
from evenhand.annotate.attribution_tagger import load_attribution_tagger
from evenhand.data import example_paths
t1 = time.perf_counter(); load_pipeline()
t2 = time.perf_counter(); load_tagger()
t3 = time.perf_counter(); load_attribution_tagger()
t4 = time.perf_counter(); evenhand.analyze(example_paths())
t5 = time.perf_counter()
marks = [t0, t1, t2, t3, t4, t5]
print(" ".join(f"{(b - a) * 1000:.0f}" for a, b in zip(marks, marks[1:])))
"""


def _basil_triple() -> list[Article]:
    """The BASIL dev event whose three articles are closest to 1,000 words each."""
    events: dict[str, list[Article]] = {}
    for doc in load_basil():
        events.setdefault(doc.triplet, []).append(doc.article)
    return min(
        events.values(),
        key=lambda arts: sum(abs(len(a.text.split()) - 1000) for a in arts),
    )


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

    cold = subprocess.run(
        [sys.executable, "-c", _COLD_START], capture_output=True, text=True, check=True
    ).stdout.split()
    print(
        f"cold start: import {cold[0]} ms, spaCy pipeline {cold[1]} ms, loaded-language tagger "
        f"{cold[2]} ms, attribution tagger {cold[3]} ms, first analysis of the example "
        f"{cold[4]} ms"
    )
    paths = example_paths()
    articles = evenhand.load_articles(paths)
    evenhand.analyze(paths)  # warm up: imports, models, lexicon

    def fresh(fn: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            clear_cache()
            return fn()

        return run

    median, worst = _median_ms(fresh(lambda: evenhand.analyze(paths)), args.runs)
    print(
        f"example, evenhand.analyze(paths): median {median:.1f} ms, max {worst:.1f} ms "
        f"over {args.runs} runs"
    )
    engine = OfflineEngine()
    median, worst = _median_ms(fresh(lambda: engine.analyze(articles, max_words=130)), args.runs)
    print(f"example, OfflineEngine.analyze only: median {median:.1f} ms, max {worst:.1f} ms")
    basil = _basil_triple()
    words = sum(len(a.text.split()) for a in basil)
    median, worst = _median_ms(fresh(lambda: evenhand.analyze(basil)), max(5, args.runs // 3))
    print(f"BASIL-size triple ({words} words): median {median:.1f} ms, max {worst:.1f} ms")

    if args.skip_neus:
        _print_peak()
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
    _print_peak()


def _print_peak() -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (resident): {peak:.0f} MB")


if __name__ == "__main__":
    main()
