"""Time per 1,000 words of `evenhand.analyze` and `evenhand.check` on long sources: 1k to 80k words.

Two long articles of each size are built from real news: the BASIL and NeuS texts shipped in
`evals/data` (about 144,000 words of distinct articles), each long article taking whole texts in
its own seeded order until it reaches the size, so that no text repeats within an article and the
two share about as much as two outlets' long coverage would. The draft is the bundled example's
first sentences. Prints, per size, the analysis of the two sources, the checks of the draft given
that report, and both together, as total seconds and milliseconds per 1,000 source words.
Near-linear analysis keeps the per-1k figure flat as the size grows (goal: at 80k words within
1.5 times the figure at 1k).

    python bench/bench_long_input.py                 # 1k, 5k, 20k and 80k words per article
    python bench/bench_long_input.py --sizes 1000 5000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.basil import load_basil
from evals.neus import load_neus

from evenhand import check
from evenhand.annotate.document import clear_cache
from evenhand.article_text import MAX_ARTICLE_BYTES
from evenhand.data import example_paths
from evenhand.offline.align import clear_cache as clear_alignments
from evenhand.pipeline import analyze
from evenhand.schema import Article
from evenhand.text import split_sentences


def news_texts() -> list[str]:
    """Every distinct article text of the BASIL dev and NeuS validation copies in evals/data."""
    texts = [d.article.text for d in load_basil()]
    texts += [a.text for t in load_neus() for a in t.articles]
    return list(dict.fromkeys(texts))


def long_article(texts: list[str], words: int, seed: int) -> str:
    """About `words` words of whole news texts in a seeded order, one after the other, within
    the per-article size limit (500 kB holds about 78,000 words of this news)."""
    order = list(texts)
    random.Random(seed).shuffle(order)
    out: list[str] = []
    count = size = 0
    for text in order:
        if count >= words or size + len(text.encode("utf-8")) + 2 > MAX_ARTICLE_BYTES:
            break
        out.append(text)
        count += len(text.split())
        size += len(text.encode("utf-8")) + 2
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000, 80000])
    args = parser.parse_args()
    texts = news_texts()
    example = " ".join(p.read_text(encoding="utf-8") for p in example_paths())
    draft = " ".join(s.text for s in split_sentences(example)[:6])
    analyze(  # load the models before timing anything
        [Article(id="w1", text=texts[0]), Article(id="w2", text=texts[1])]
    )
    print(f"draft: {len(draft.split())} words; two sources of each size")
    header = ("words/article", "analyze s", "ms/1k", "check s", "ms/1k", "both s", "ms/1k")
    print("".join(f"{h:>14}" if k == 0 else f"{h:>10}" for k, h in enumerate(header)))
    for size in args.sizes:
        articles = [
            Article(id=f"s{n}", outlet=f"Outlet {n}", text=long_article(texts, size, seed=n))
            for n in (1, 2)
        ]
        clear_cache()
        clear_alignments()
        total = sum(len(a.text.split()) for a in articles) / 1000
        started = time.perf_counter()
        report = analyze(articles)
        analysis = time.perf_counter() - started
        started = time.perf_counter()
        check(draft, articles, report=report)
        checks = time.perf_counter() - started
        words = round(total * 500)  # per article
        cells = [analysis, analysis / total * 1000, checks, checks / total * 1000]
        cells += [analysis + checks, (analysis + checks) / total * 1000]
        row = [f"{words:>14,}"] + [
            f"{c:>10.2f}" if k % 2 == 0 else f"{c:>10.0f}" for k, c in enumerate(cells)
        ]
        print("".join(row), flush=True)


if __name__ == "__main__":
    main()
