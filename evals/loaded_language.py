"""Loaded language on news the tagger never saw: leave-one-corpus-out, held-out parts, calibration.

    python evals/loaded_language.py                      # needs build/loaded-tagger/<run>/ models
    python evals/loaded_language.py --out evals/results/loaded_language.txt

Three detectors, each scored with any-overlap matching (a predicted span is a hit when it overlaps
a gold span; a gold span is found when any prediction overlaps it), MBIC at word level:
- `lexicon`: the engine before the tagger (curated lexicon and its context rules, every term);
- `tagger`: the tagger's phrases alone, at the run's default confidence;
- `tagger+lexicon`: what the offline engine reports: the lexicon's terms, and the tagger's own
  finds at the run's default confidence (`annotate.loaded.is_listed`).

Leave-one-corpus-out: PTC is scored with the `no-ptc` model, MBIC with `no-mbic`, BASIL with the
shipped model (BASIL is never trained on). Held-out parts: the `test` parts of PTC and MBIC with
the shipped model. The models come from `training/train_loaded_tagger.py`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.basil import load_basil  # noqa: E402
from evals.corpora import SHARED_DATA, Doc, load_mbic, load_newssd, load_ptc, part_of  # noqa: E402
from evals.scoring import Tally  # noqa: E402

from evenhand.annotate.document import annotate_all  # noqa: E402
from evenhand.annotate.loaded import is_listed, sentence_subjectivity  # noqa: E402
from evenhand.annotate.tagger import load_tagger  # noqa: E402
from evenhand.offline.loaded import loaded_terms  # noqa: E402
from evenhand.schema import Article, LoadedTerm  # noqa: E402

MODELS = ROOT / "build" / "loaded-tagger"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Sweep:
    """What the engine would list at any threshold: each candidate's listing score (its confidence,
    or 1.0 for the lexicon's terms, which are always listed) with whether it hit, and for each gold
    span or word the best listing score among the candidates covering it."""

    predicted: list[tuple[float, bool]] = field(default_factory=list)
    gold_best: list[float] = field(default_factory=list)

    def at(self, threshold: float) -> Tally:
        listed = [hit for score, hit in self.predicted if score >= threshold]
        return Tally(
            predicted=len(listed),
            hits=sum(listed),
            gold=len(self.gold_best),
            found=sum(best >= threshold for best in self.gold_best),
        )


def _listing(term: LoadedTerm) -> float:
    return 1.0 if is_listed(term.confidence, term.origin, 1.01) else term.confidence


def score_spans(
    docs: Sequence[tuple[list[tuple[int, int]], list[LoadedTerm]]],
    tally: Tally,
    sweep: Sweep | None = None,
) -> None:
    for gold, terms in docs:
        spans = [(t.span.start, t.span.end) for t in terms]
        if sweep is not None:
            scores = [_listing(t) for t in terms]
            sweep.predicted += [
                (score, any(_overlap(s, g) for g in gold))
                for score, s in zip(scores, spans, strict=True)
            ]
            sweep.gold_best += [
                max(
                    (sc for sc, s in zip(scores, spans, strict=True) if _overlap(g, s)), default=0.0
                )
                for g in gold
            ]
        tally.predicted += len(spans)
        for term, span in zip(terms, spans, strict=True):
            hit = any(_overlap(span, g) for g in gold)
            tally.hits += hit
            tally.pairs.append((term.confidence, hit))
        tally.gold += len(gold)
        tally.found += sum(any(_overlap(g, s) for s in spans) for g in gold)


def score_words(
    docs: Sequence[tuple[str, list[tuple[int, int]], list[LoadedTerm]]],
    tally: Tally,
    sweep: Sweep | None = None,
) -> None:
    """Word-level scores: a word is predicted (or gold) when a predicted (gold) span covers it."""
    for text, gold, terms in docs:
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        spans = [(t.span.start, t.span.end) for t in terms]
        if sweep is not None:
            scored = [(_listing(t), (t.span.start, t.span.end)) for t in terms]
            for w in words:
                best = max((sc for sc, s in scored if _overlap(w, s)), default=None)
                gold_word = any(_overlap(w, g) for g in gold)
                if best is not None:
                    sweep.predicted.append((best, gold_word))
                if gold_word:
                    sweep.gold_best.append(best or 0.0)
        predicted = {w for w in words if any(_overlap(w, s) for s in spans)}
        marked = {w for w in words if any(_overlap(w, g) for g in gold)}
        tally.pairs += [
            (t.confidence, any(_overlap(s, g) for g in gold))
            for t, s in zip(terms, spans, strict=True)
        ]
        tally.predicted += len(predicted)
        tally.hits += len(predicted & marked)
        tally.gold += len(marked)
        tally.found += len(predicted & marked)


SWEEP = (0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.9)
DETECTORS = ("lexicon", "tagger", "tagger+lexicon", "all")
Detect = Callable[[list[Article]], dict[str, list[LoadedTerm]]]


def detector(model_dir: Path) -> Detect:
    """Every detector's terms for one cluster. Run one cluster at a time, so its articles are
    parsed and tagged once (the annotation cache) for all of them."""
    threshold = float(load_tagger(model_dir).meta["calibration"]["default_min_confidence"])

    def detect(articles: list[Article]) -> dict[str, list[LoadedTerm]]:
        every = loaded_terms(articles, model_dir=model_dir)
        tagger = loaded_terms(articles, model_dir=model_dir, use_lexicon=False)
        return {
            "lexicon": loaded_terms(articles, model_dir=model_dir, use_model=False),
            "tagger": [t for t in tagger if t.confidence >= threshold],
            "tagger+lexicon": [t for t in every if is_listed(t.confidence, t.origin, threshold)],
            "all": every,
        }

    return detect


Scores = tuple[dict[str, Tally], Sweep]


def span_scores(docs: list[Doc], model_dir: Path) -> Scores:
    detect = detector(model_dir)
    out = {name: Tally() for name in DETECTORS}
    sweep = Sweep()
    for doc in docs:
        for name, terms in detect([Article(id="a", text=doc.text)]).items():
            score_spans([(doc.spans, terms)], out[name], sweep if name == "all" else None)
    return out, sweep


def word_scores(docs: list[Doc], model_dir: Path) -> Scores:
    detect = detector(model_dir)
    out = {name: Tally() for name in DETECTORS}
    sweep = Sweep()
    for doc in docs:
        for name, terms in detect([Article(id="a", text=doc.text)]).items():
            score_words([(doc.text, doc.spans, terms)], out[name], sweep if name == "all" else None)
    return out, sweep


def basil_scores(model_dir: Path, years: frozenset[int] | None = None) -> Scores:
    """BASIL events (three outlets analysed together, as the engine analyses a cluster)."""
    docs = [d for d in load_basil() if years is None or d.year in years]
    events: dict[str, list[Article]] = {}
    gold: dict[str, list[tuple[int, int]]] = {}
    for doc in docs:
        events.setdefault(doc.triplet, []).append(doc.article)
        gold[doc.article.id] = [(g.start, g.end) for g in doc.lex_spans]
    detect = detector(model_dir)
    out = {name: Tally() for name in DETECTORS}
    sweep = Sweep()
    for articles in events.values():
        for name, terms in detect(articles).items():
            score_spans(
                [(gold[a.id], [t for t in terms if t.span.article_id == a.id]) for a in articles],
                out[name],
                sweep if name == "all" else None,
            )
    return out, sweep


def reliability(pairs: list[tuple[float, bool]], bins: int = 5) -> list[str]:
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [hit for c, hit in pairs if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        if inside:
            conf = [c for c, _ in pairs if lo <= c < hi or (hi == 1.0 and c == 1.0)]
            rows.append(
                f"    {lo:.1f}-{hi:.1f}  n={len(inside):5d}  mean confidence "
                f"{sum(conf) / len(conf):.2f}  observed precision {sum(inside) / len(inside):.2f}"
            )
    return rows


def subjectivity(model_dir: Path, data: Path) -> str:
    docs = [d for d in load_newssd(data) if d.key.startswith("newssd:test:")]
    annotated = annotate_all(d.text for d in docs)
    tp = fp = fn = correct = 0
    for doc, a in zip(docs, annotated, strict=True):
        predicted = int(max(sentence_subjectivity(a, model_dir), default=0.0) >= 0.5)
        correct += predicted == doc.subjective
        tp += predicted and doc.subjective == 1
        fp += predicted and doc.subjective == 0
        fn += (not predicted) and doc.subjective == 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (
        f"NewsSD test ({len(docs)} sentences): subjective-sentence head accuracy "
        f"{correct / len(docs):.3f}, SUBJ F1 {f1:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, default=MODELS)
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    shipped, no_ptc, no_mbic = (args.models / r for r in ("shipped", "no-ptc", "no-mbic"))
    for run in (shipped, no_ptc, no_mbic):
        cal = load_tagger(run).meta["calibration"]
        say(
            f"model {run.name}: trained on {', '.join(load_tagger(run).meta['corpora'])}; "
            f"default confidence {cal['default_min_confidence']}"
        )
    ptc, mbic = load_ptc(args.data), load_mbic(args.data)
    rows: list[tuple[str, Scores]] = []
    rows.append(("PTC, left out (252 articles)", span_scores(ptc, no_ptc)))
    rows.append(("MBIC, left out (1,700 sentences, words)", word_scores(mbic, no_mbic)))
    rows.append(("BASIL dev, left out (150 articles)", basil_scores(shipped)))
    # The lexicon's entries and rules were chosen on 2010-2012; 2013-2014 are held out for both.
    rows.append(("BASIL 2013-2014 (60 articles)", basil_scores(shipped, frozenset({2013, 2014}))))
    ptc_test = [d for d in ptc if part_of(d.key) == "test"]
    mbic_test = [d for d in mbic if part_of(d.key) == "test"]
    rows.append(
        (f"PTC test part ({len(ptc_test)} articles, held out)", span_scores(ptc_test, shipped))
    )
    rows.append(
        (f"MBIC test part ({len(mbic_test)} sentences, words)", word_scores(mbic_test, shipped))
    )
    say()
    say("precision / recall / F1 (any overlap)")
    say("| corpus | lexicon engine | tagger | tagger + lexicon |")
    say("|---|---|---|---|")
    for label, (tallies, _) in rows:
        say(
            f"| {label} | {tallies['lexicon'].cell()} | {tallies['tagger'].cell()} | "
            f"{tallies['tagger+lexicon'].cell()} |"
        )
    say()
    say("Tagger + lexicon at other thresholds for the tagger's own finds (P / R / F1):")
    say("| corpus | " + " | ".join(f"{t:.2f}" for t in SWEEP) + " |")
    say("|---|" + "---|" * len(SWEEP))
    for label, (_, sweep) in rows:
        say(f"| {label} | " + " | ".join(sweep.at(t).cell() for t in SWEEP) + " |")
    say()
    say("Reliability of the confidences (tagger + lexicon, every candidate; span level):")
    for label, (tallies, _) in rows:
        if tallies["all"].pairs:
            say(f"  {label}")
            for row in reliability(tallies["all"].pairs):
                say(row)
    say()
    say(subjectivity(shipped, args.data))
    summary = {
        label: {name: [t.precision, t.recall, t.f1] for name, t in tallies.items()}
        for label, (tallies, _) in rows
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps(summary, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
