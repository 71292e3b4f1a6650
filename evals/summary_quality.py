"""How close, how calm and how long the offline summary is on NeuS validation, beside baselines.

    python evals/summary_quality.py --out evals/results/summary_quality.txt
    python evals/summary_quality.py --save before     # store today's summaries as the 'before' run

Systems, side by side, each run on every NeuS val triple (`evals/data/neus-val/`, 307 events,
three outlets each; evaluation data, never shipped):
- `before`: the offline engine's summaries as they were before the selection/compression/length
  work, read from `evals/results/summary_before.jsonl` (written by `--save before` at that commit);
- `offline`: the offline engine as it is now (`OfflineEngine().analyze(articles).summary`, default
  `max_words`);
- `lexrank`: LexRank (Erkan & Radev 2004) over the three articles' sentences: TF-IDF cosine
  between sentences, edges at or above 0.1, PageRank with damping 0.85; the best-ranked sentences
  in rank order, skipping near-duplicates (cosine >= 0.5), up to 75 words (about the editors'
  mean length on NeuS; a constant, not read from each reference).

Metrics against the AllSides editors' roundup (`val.target`, without its title):
- ROUGE-1/2/L F (Google's rouge-score, Porter stemming);
- unigram F1: lower-cased word tokens, counts clipped (as SQuAD's token F1), no stemming;
- words: whitespace words of the summary (and of the roundup and the input, for reference);
- arousal proxy: NeuS scores framing bias as the summed arousal (NRC-VAD) of the words a summary
  adds beyond the roundup, split by valence. NRC-VAD is research-only and is not used here.
  Instead each summary is annotated like an article and every word token whose lower-cased form
  the roundup does not contain contributes the shipped loaded-language tagger's probability for
  it (`annotate.loaded.word_scores`); the sum per summary is averaged over summaries, split into
  words in the summary's own voice and words inside quotation marks. `per 100 added` normalises
  by the number of added words (a short summary adds fewer words and scores lower on the sum, as
  in NeuS). `subj` is the tagger's subjectivity head averaged over the summary's sentences.

To keep the figures honest about generalisation, the engine's selection and compression were
tuned on the even-numbered lines of val only (`tuned`); the odd-numbered lines (`untouched`) were
not looked at while tuning; `all` is every line. The `before` summaries and LexRank involve no
tuning on either half.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.neus import NeusTriple, load_neus

from evenhand.annotate import annotate, annotate_all
from evenhand.annotate.loaded import sentence_subjectivity, word_scores
from evenhand.engines.offline import OfflineEngine
from evenhand.schema import Article

RESULTS = Path(__file__).resolve().parent / "results"
LEXRANK_WORDS = 75
SPLITS: dict[str, Callable[[int], bool]] = {
    "tuned (even lines)": lambda line: line % 2 == 0,
    "untouched (odd lines)": lambda line: line % 2 == 1,
    "all": lambda line: True,
}
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_WORD = re.compile(r"\w")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def unigram_f1(summary: str, reference: str) -> float:
    mine, theirs = Counter(tokens(summary)), Counter(tokens(reference))
    common = sum((mine & theirs).values())
    if not common:
        return 0.0
    precision = common / sum(mine.values())
    recall = common / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Arousal:
    voice: float  # summed tagger probability of added words in the summary's own voice
    quote: float  # the same, inside quotation marks
    added: int  # words the summary adds beyond the roundup
    subjectivity: float  # mean subjectivity head over the summary's sentences

    @property
    def total(self) -> float:
        return self.voice + self.quote


def arousal(summary: str, reference: str) -> Arousal:
    if not summary.strip():
        return Arousal(0.0, 0.0, 0, 0.0)
    known = set(tokens(reference))
    doc = annotate(summary)
    scores = word_scores(doc)
    voice = quote = 0.0
    added = 0
    for token in doc.tokens:
        if not _WORD.search(token.text) or token.text.lower() in known:
            continue
        added += 1
        if doc.in_quote(token.start, token.end):
            quote += scores[token.i]
        else:
            voice += scores[token.i]
    subjective = sentence_subjectivity(doc)
    return Arousal(voice, quote, added, statistics.mean(subjective) if subjective else 0.0)


# --- LexRank ---------------------------------------------------------------------------------


def _tfidf(sentences: Sequence[list[str]]) -> list[dict[str, float]]:
    df = Counter(w for s in sentences for w in set(s))
    n = len(sentences)
    out: list[dict[str, float]] = []
    for s in sentences:
        tf = Counter(s)
        vec = {w: c * math.log(1 + n / df[w]) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def _cos(u: dict[str, float], v: dict[str, float]) -> float:
    if len(u) > len(v):
        u, v = v, u
    return sum(x * v.get(w, 0.0) for w, x in u.items())


def lexrank(articles: Sequence[Article], max_words: int = LEXRANK_WORDS) -> str:
    docs = annotate_all([a.text for a in articles])
    sentences = [doc.text[s.start : s.end].strip() for doc in docs for s in doc.sentences]
    sentences = [s for s in sentences if len(s.split()) >= 4]
    if not sentences:
        return ""
    vecs = _tfidf([tokens(s) for s in sentences])
    n = len(vecs)
    sim = [[_cos(vecs[i], vecs[j]) for j in range(n)] for i in range(n)]
    edges = [[1.0 if sim[i][j] >= 0.1 else 0.0 for j in range(n)] for i in range(n)]
    degree = [sum(row) or 1.0 for row in edges]
    rank = [1.0 / n] * n
    for _ in range(50):
        rank = [
            0.15 / n + 0.85 * sum(edges[j][i] * rank[j] / degree[j] for j in range(n))
            for i in range(n)
        ]
    chosen: list[int] = []
    used = 0
    for i in sorted(range(n), key=lambda k: (-rank[k], k)):
        words = len(sentences[i].split())
        if chosen and used + words > max_words:
            continue
        if any(sim[i][j] >= 0.5 for j in chosen):
            continue
        chosen.append(i)
        used += words
    return " ".join(sentences[i] for i in chosen)


# --- running ---------------------------------------------------------------------------------


def offline_summary(articles: Sequence[Article]) -> str:
    draft = OfflineEngine().analyze(articles)
    return " ".join(s.text for s in draft.summary)


def run(system: str, triples: Sequence[NeusTriple]) -> dict[int, str]:
    fn = offline_summary if system == "offline" else lexrank
    out: dict[int, str] = {}
    started = time.perf_counter()
    for k, triple in enumerate(triples, start=1):
        out[triple.line] = fn(triple.articles)
        if k % 50 == 0:
            print(
                f"  {system}: {k}/{len(triples)} ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
    return out


def load_run(name: str) -> dict[int, str]:
    path = RESULTS / f"summary_{name}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {int(r["line"]): str(r["summary"]) for r in rows}


def save_run(name: str, summaries: dict[int, str]) -> Path:
    path = RESULTS / f"summary_{name}.jsonl"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    with path.open("w", encoding="utf-8") as f:
        for line, summary in sorted(summaries.items()):
            f.write(json.dumps({"line": line, "commit": commit, "summary": summary}) + "\n")
    return path


@dataclass(frozen=True)
class Scores:
    rouge1: float
    rouge2: float
    rougeL: float
    f1: float
    words: int
    arousal: Arousal
    empty: bool


def score_all(summaries: dict[int, str], triples: Sequence[NeusTriple]) -> dict[int, Scores]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    out: dict[int, Scores] = {}
    for triple in triples:
        summary = summaries[triple.line]
        r = scorer.score(triple.reference, summary)
        out[triple.line] = Scores(
            r["rouge1"].fmeasure,
            r["rouge2"].fmeasure,
            r["rougeL"].fmeasure,
            unigram_f1(summary, triple.reference),
            len(summary.split()),
            arousal(summary, triple.reference),
            not summary.strip(),
        )
    return out


HEADER = (
    f"{'system':<10} {'R1':>6} {'R2':>6} {'RL':>6} {'uniF1':>6} {'words':>6} "
    f"{'arousal':>8} {'voice':>6} {'quote':>6} {'/100add':>7} {'subj':>5} {'empty':>5}"
)


def row(name: str, scores: list[Scores]) -> str:
    def m(values: list[float]) -> float:
        return statistics.mean(values) if values else 0.0

    added = sum(s.arousal.added for s in scores)
    per100 = 100 * sum(s.arousal.total for s in scores) / added if added else 0.0
    return (
        f"{name:<10} {m([s.rouge1 for s in scores]):6.4f} {m([s.rouge2 for s in scores]):6.4f} "
        f"{m([s.rougeL for s in scores]):6.4f} {m([s.f1 for s in scores]):6.4f} "
        f"{m([float(s.words) for s in scores]):6.1f} "
        f"{m([s.arousal.total for s in scores]):8.3f} {m([s.arousal.voice for s in scores]):6.3f} "
        f"{m([s.arousal.quote for s in scores]):6.3f} {per100:7.3f} "
        f"{m([s.arousal.subjectivity for s in scores]):5.3f} {sum(s.empty for s in scores):5d}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--save", metavar="NAME", help="store the offline run as summary_NAME")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--no-lexrank", action="store_true", help="leave LexRank out")
    parser.add_argument("--limit", type=int, help="only the first N triples (a quick look)")
    parser.add_argument(
        "--lines", choices=("even", "odd", "all"), default="all", help="which lines to run"
    )
    args = parser.parse_args()
    triples = load_neus()
    if args.lines != "all":
        triples = [t for t in triples if t.line % 2 == (0 if args.lines == "even" else 1)]
    if args.limit:
        triples = triples[: args.limit]
    runs: dict[str, dict[int, str]] = {}
    before = RESULTS / "summary_before.jsonl"
    if before.exists() and args.save != "before":
        stored = load_run("before")
        runs["before"] = {t.line: stored[t.line] for t in triples}
    runs["offline"] = run("offline", triples)
    if args.save:
        print(f"saved {save_run(args.save, runs['offline'])}", file=sys.stderr)
    if not args.no_lexrank:
        runs["lexrank"] = run("lexrank", triples)
    scored = {name: score_all(s, triples) for name, s in runs.items()}

    lines = [
        f"NeuS val: {len(triples)} triples; mean words of the roundup "
        f"{statistics.mean(len(t.reference.split()) for t in triples):.1f}, of the input "
        f"{statistics.mean(sum(len(a.text.split()) for a in t.articles) for t in triples):.1f}",
        "Tuning used the even-numbered lines only; the odd-numbered lines were not looked at.",
        "arousal = summed loaded-tagger probability over the words a summary adds beyond the",
        "roundup (voice: outside quotes, quote: inside), averaged per summary; /100add = the same",
        "per 100 added words; subj = mean sentence subjectivity; empty = empty summaries.",
        "",
    ]
    for split, keep in SPLITS.items():
        lines_in = [t.line for t in triples if keep(t.line)]
        if not lines_in:
            continue
        ref_words = statistics.mean(len(t.reference.split()) for t in triples if keep(t.line))
        lines.append(f"{split}: {len(lines_in)} triples, roundup {ref_words:.1f} words")
        lines.append(HEADER)
        for name, per_line in scored.items():
            lines.append(row(name, [per_line[n] for n in lines_in]))
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
