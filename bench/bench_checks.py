"""Time the neutrality checks on a 1,000-word draft against three 1,000-word sources.

The sources are built from BASIL dev articles (one triplet, each article repeated or cut to
1,000 words); the draft is 1,000 words taken from their sentences, lightly reworded. Prints the
median of several runs: the checks alone (given the report; again with the sources' alignment
not cached, as for a report from the LLM engine), and `check()` including the offline analysis it
runs when no report is given.

    python bench/bench_checks.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from evenhand import check
from evenhand.checks import CheckedText, run_checks
from evenhand.offline.align import clear_cache as clear_alignment_cache
from evenhand.pipeline import analyze
from evenhand.schema import Article

REPO = Path(__file__).resolve().parents[1]
TRIPLET = "2ec04201-2016-4227-baf7-ba8289058203"  # Medicare, Obama and Ryan: ~850-1,000 words each
WORDS = 1000


def _cut(paragraphs: list[str], words: int) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        for p in paragraphs:
            out.append(p)
            count += len(p.split())
            if count >= words:
                break
    return "\n\n".join(out)


def sources() -> list[Article]:
    articles = []
    for path in sorted((REPO / "evals/data/basil-dev/articles").glob(f"*/{TRIPLET}_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) for p in data["body-paragraphs"]]
        articles.append(Article(id=str(data["source"]).lower(), text=_cut(paragraphs, WORDS)))
    return articles


def draft(articles: list[Article]) -> str:
    """Every third paragraph of each source in turn, with "said" reworded, up to 1,000 words."""
    paragraphs = [p for a in articles for p in a.text.split("\n\n")]
    picked = paragraphs[::3] + paragraphs[1::3]
    text = _cut([p.replace(" said ", " told reporters ") for p in picked], WORDS)
    return " ".join(text.split()[:WORDS])


def median_ms(fn: object, runs: int = 7) -> float:
    assert callable(fn)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    articles = sources()
    text = draft(articles)
    report = analyze(articles)
    sizes = ", ".join(str(len(a.text.split())) for a in articles)
    print(f"draft: {len(text.split())} words; sources: {sizes} words")
    checks_ms = median_ms(
        lambda: run_checks(
            CheckedText.from_draft(text),
            articles,
            contested=report.contested_claims,
            loaded=report.loaded_language,
        )
    )
    print(f"checks alone (report given): median {checks_ms:.1f} ms (target < 200 ms)")

    def cold() -> None:
        clear_alignment_cache()
        run_checks(
            CheckedText.from_draft(text),
            articles,
            contested=report.contested_claims,
            loaded=report.loaded_language,
        )

    cold_ms = median_ms(cold)
    print(f"checks alone, sources not aligned before: median {cold_ms:.1f} ms")
    with_report = median_ms(lambda: check(text, articles, report=report))
    print(f"check(draft, sources, report=report): median {with_report:.1f} ms")
    full = median_ms(lambda: check(text, articles), runs=3)
    print(f"check(draft, sources) incl. offline analysis: median {full:.1f} ms")


if __name__ == "__main__":
    main()
