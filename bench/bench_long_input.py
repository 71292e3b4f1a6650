"""Time per 1,000 words of `evenhand.check` on long sources: 1k, 5k and 20k-word articles.

Two synthetic articles of each size are built from the bundled example's sentences (both its
articles, shuffled with a fixed seed and the weekday varied per repetition, so that no article is
one paragraph repeated); the draft is the example's first sentences. Prints, per size, the checks
alone (`check` given a report of the sources) and `check` including the offline analysis it runs
when no report is given, each as total seconds and milliseconds per 1,000 source words. Near-linear
checks keep the per-1k figure flat as the size grows.

    python bench/bench_long_input.py            # 1k, 5k, 20k words
    python bench/bench_long_input.py --sizes 1000 5000
    python bench/bench_long_input.py --checks-only   # the checks alone, without the analysis
"""

from __future__ import annotations

import argparse
import random
import time

from evenhand import check
from evenhand.checks import CheckedText, run_checks
from evenhand.data import example_paths
from evenhand.pipeline import analyze
from evenhand.schema import Article
from evenhand.text import split_sentences

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def example_sentences() -> list[str]:
    out: list[str] = []
    for path in example_paths():
        text = path.read_text(encoding="utf-8")
        out += [s.text for s in split_sentences(text)]
    return out


def synthetic(sentences: list[str], words: int, seed: int) -> str:
    """About `words` words of the example's sentences, shuffled, one paragraph per sentence."""
    rng = random.Random(seed)
    out: list[str] = []
    count = 0
    repetition = 0
    while count < words:
        day = WEEKDAYS[repetition % len(WEEKDAYS)]
        batch = [s.replace("Friday", day) for s in sentences]
        rng.shuffle(batch)
        for s in batch:
            out.append(s)
            count += len(s.split())
            if count >= words:
                break
        repetition += 1
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument(
        "--checks-only",
        action="store_true",
        help="time the checks alone (no analysis of the sources: no report's claims or terms)",
    )
    args = parser.parse_args()
    sentences = example_sentences()
    draft = " ".join(sentences[:6])
    print(f"draft: {len(draft.split())} words; two sources of each size")
    header = ("words/article", "checks s", "ms/1k", "check+analyze s", "ms/1k")
    print(f"{header[0]:>14} {header[1]:>9} {header[2]:>7} {header[3]:>16} {header[4]:>7}")
    for size in args.sizes:
        articles = [
            Article(id=f"s{n}", outlet=f"Outlet {n}", text=synthetic(sentences, size, seed=n))
            for n in (1, 2)
        ]
        total = sum(len(a.text.split()) for a in articles) / 1000
        if args.checks_only:
            started = time.perf_counter()
            run_checks(CheckedText.from_draft(draft), articles)
            checks = time.perf_counter() - started
            print(f"{size:>14} {checks:>9.2f} {checks / total * 1000:>7.0f}")
            continue
        started = time.perf_counter()
        report = analyze(articles)
        analysis = time.perf_counter() - started
        started = time.perf_counter()
        check(draft, articles, report=report)
        checks = time.perf_counter() - started
        full = analysis + checks
        print(
            f"{size:>14} {checks:>9.2f} {checks / total * 1000:>7.0f} "
            f"{full:>16.2f} {full / total * 1000:>7.0f}"
        )


if __name__ == "__main__":
    main()
