"""Quality figures for the offline engine on the development data.

    python evals/quality_offline.py             # BASIL loaded-language P/R + NeuS ROUGE and leaks
    python evals/quality_offline.py --basil     # BASIL only (fast)
    python evals/quality_offline.py --per-term  # which lexicon entries hit or miss on BASIL

Loaded language (BASIL dev, 150 articles, annotators' `lex` spans): a predicted term is a hit when
it overlaps a gold span; precision = hits / predictions; recall = gold spans overlapped / all
gold spans. Each BASIL event (three outlets) is analysed together, as the engine analyses a
cluster, so the story's main actors are known across the three articles.
Terms are those a report shows (`annotate.loaded.is_listed`: the lexicon's, and the tagger's at or
above `DEFAULT_MIN_CONFIDENCE`; the tagger never trained on BASIL, so every year is held out for
it; the years matter for the lexicon).
Figures are given for 2010-2012 (the years studied while curating the lexicon and its context
rules), for 2013-2014 (held out: never used to choose an entry or a rule), and for all years; once
for every term and once for outlet-voice terms only; then per lexicon category (precision of the
category's terms, and the share of all gold spans that the category's terms overlap).

Summaries (NeuS val, 307 triples): ROUGE-1/2/L F1 (rouge-score, stemmed) of the offline summary
against the AllSides editors' roundup, and the share of summaries that contain an outlet-voice
loaded term, counted two ways: any lexicon term outside quotes, and any term the report itself
flagged in an article's own voice. Both sets of summaries (NeuS triples, BASIL events) are also
counted for a sentence whose double quotation marks do not pair up (a piece of a quotation).

Redundancy (both sets of summaries): for each summary, the highest Jaccard overlap between the
sets of stemmed content words (the alignment's stop words and stemmer) of two of its sentences;
reported as the share of summaries with a pair at or above REDUNDANT_PAIR (0.35: about half the
content words of the shorter sentence repeated) and at or above 0.2, and the mean of the maxima.
A summary that says one point twice, in two outlets' words, scores high.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.basil import BasilDoc, GoldSpan, load_basil
from evals.neus import load_neus
from evals.scoring import Tally

from evenhand.annotate.loaded import DEFAULT_MIN_CONFIDENCE, is_listed
from evenhand.engines.offline import OfflineEngine
from evenhand.lexicon import CATEGORIES
from evenhand.offline.align import content_terms
from evenhand.offline.clean import has_unquoted_loaded
from evenhand.offline.loaded import loaded_terms
from evenhand.schema import LoadedTerm
from evenhand.text import quote_marks_balance

TUNE_YEARS = frozenset({2010, 2011, 2012})
SPLITS = ("2010-2012 (tuned)", "2013-2014 (held out)", "all years")
REDUNDANT_PAIR = 0.35
REDUNDANCY_THRESHOLDS = (REDUNDANT_PAIR, 0.2)


def _unbalanced(summary: Iterable[str]) -> bool:
    return not all(quote_marks_balance(text) for text in summary)


def max_pair_overlap(summary: Iterable[str]) -> float:
    """Highest Jaccard overlap of content-word stems between two sentences of one summary."""
    bags = [set(content_terms(text)) for text in summary]
    best = 0.0
    for i, a in enumerate(bags):
        for b in bags[i + 1 :]:
            if a and b:
                best = max(best, len(a & b) / len(a | b))
    return best


def redundancy_line(maxima: list[float]) -> str:
    n = len(maxima)
    shares = "  ".join(
        f">= {t:.2f}: {sum(m >= t for m in maxima)}/{n} ({sum(m >= t for m in maxima) / n:.1%})"
        for t in REDUNDANCY_THRESHOLDS
    )
    return (
        f"  summaries with two overlapping sentences (content-word Jaccard) {shares}; "
        f"mean max {statistics.mean(maxima):.3f}"
    )


def _overlaps(term: LoadedTerm, gold: GoldSpan) -> bool:
    return term.span.start < gold.end and gold.start < term.span.end


def predict(docs: list[BasilDoc]) -> dict[str, list[LoadedTerm]]:
    """Loaded terms of every article, each BASIL event analysed as one cluster."""
    events: dict[str, list[BasilDoc]] = {}
    for doc in docs:
        events.setdefault(doc.triplet, []).append(doc)
    terms: dict[str, list[LoadedTerm]] = {doc.article.id: [] for doc in docs}
    for event in events.values():
        for term in loaded_terms([d.article for d in event]):
            if is_listed(term.confidence, term.origin, DEFAULT_MIN_CONFIDENCE):
                terms[term.span.article_id].append(term)
    return terms


def score(
    docs: Iterable[BasilDoc],
    predicted: dict[str, list[LoadedTerm]],
    outlet_voice_only: bool = False,
    category: str | None = None,
) -> tuple[Tally, Counter[str], Counter[str]]:
    tally = Tally()
    hits_by_term: Counter[str] = Counter()
    misses_by_term: Counter[str] = Counter()
    for doc in docs:
        terms = predicted[doc.article.id]
        gold = doc.lex_spans
        if outlet_voice_only:
            terms = [t for t in terms if not t.in_quote]
            gold = [g for g in gold if not g.in_quote]
        if category is not None:
            terms = [t for t in terms if t.category == category]
        tally.predicted += len(terms)
        tally.gold += len(gold)
        for term in terms:
            key = term.span.text.lower()
            if any(_overlaps(term, g) for g in gold):
                tally.hits += 1
                hits_by_term[key] += 1
            else:
                misses_by_term[key] += 1
        tally.found += sum(any(_overlaps(t, g) for t in terms) for g in gold)
    return tally, hits_by_term, misses_by_term


def _splits(docs: list[BasilDoc]) -> dict[str, list[BasilDoc]]:
    tuned = [d for d in docs if d.year in TUNE_YEARS]
    held = [d for d in docs if d.year not in TUNE_YEARS]
    return dict(zip(SPLITS, (tuned, held, docs), strict=True))


def basil_report(per_term: bool) -> None:
    docs = load_basil()
    predicted = predict(docs)
    splits = _splits(docs)
    print(f"BASIL dev: {len(docs)} articles, {sum(len(d.lex_spans) for d in docs)} lex spans")
    for outlet_voice in (False, True):
        print(
            "  "
            + ("outlet-voice terms against outlet-voice spans" if outlet_voice else "all terms")
        )
        for label, subset in splits.items():
            print("    " + score(subset, predicted, outlet_voice)[0].line(label))
    print("  per category (recall: share of all gold spans the category's terms overlap)")
    for category in CATEGORIES:
        print(f"    {category}")
        for label, subset in splits.items():
            print("      " + score(subset, predicted, category=category)[0].line(label))
    events: dict[str, list[BasilDoc]] = {}
    for doc in docs:
        events.setdefault(doc.triplet, []).append(doc)
    engine = OfflineEngine()
    summaries = [
        [s.text for s in engine.analyze([d.article for d in event]).summary]
        for event in events.values()
    ]
    unbalanced = sum(_unbalanced(summary) for summary in summaries)
    print(f"  summaries with unbalanced quotation marks: {unbalanced}/{len(events)} events")
    print(redundancy_line([max_pair_overlap(summary) for summary in summaries]))
    if per_term:
        _, hits, misses = score(docs, predicted)
        print("\nper term (hits / false alarms), all years:")
        for term in sorted(set(hits) | set(misses), key=lambda t: (-misses[t] + hits[t], t)):
            print(f"  {hits[term]:3d} {misses[term]:3d}  {term}")


def neus_report() -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    engine = OfflineEngine()
    triples = load_neus()
    r1: list[float] = []
    r2: list[float] = []
    rl: list[float] = []
    lexicon_leaks = 0
    flagged_leaks = 0
    unbalanced = 0
    sentence_counts: Counter[int] = Counter()
    words: list[int] = []
    maxima: list[float] = []
    for triple in triples:
        draft = engine.analyze(triple.articles, max_words=130)
        summary = " ".join(s.text for s in draft.summary)
        sentence_counts[len(draft.summary)] += 1
        words.append(len(summary.split()))
        scores = scorer.score(triple.reference, summary)
        r1.append(scores["rouge1"].fmeasure)
        r2.append(scores["rouge2"].fmeasure)
        rl.append(scores["rougeL"].fmeasure)
        unbalanced += _unbalanced(s.text for s in draft.summary)
        maxima.append(max_pair_overlap(s.text for s in draft.summary))
        if any(has_unquoted_loaded(s.text) for s in draft.summary):
            lexicon_leaks += 1
        flagged = {
            t.span.text.lower()
            for t in draft.loaded_language
            if not t.in_quote and is_listed(t.confidence, t.origin, DEFAULT_MIN_CONFIDENCE)
        }
        if any(term in summary.lower() for term in flagged):
            flagged_leaks += 1
    n = len(triples)
    print(f"NeuS val: {n} triples")
    print(
        f"  ROUGE F1 vs editors' roundup: R1 {statistics.mean(r1):.4f}  "
        f"R2 {statistics.mean(r2):.4f}  RL {statistics.mean(rl):.4f}"
    )
    print(
        f"  summaries with a lexicon term outside quotes: {lexicon_leaks}/{n} "
        f"({lexicon_leaks / n:.1%})"
    )
    print(
        f"  summaries repeating a term flagged in an outlet's voice: {flagged_leaks}/{n} "
        f"({flagged_leaks / n:.1%})"
    )
    print(f"  summaries with unbalanced quotation marks: {unbalanced}/{n}")
    print(redundancy_line(maxima))
    print(
        f"  summary length: median {statistics.median(words)} words; sentences per summary "
        f"{dict(sorted(sentence_counts.items()))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--basil", action="store_true", help="BASIL figures only")
    parser.add_argument("--neus", action="store_true", help="NeuS figures only")
    parser.add_argument("--per-term", action="store_true", help="per-term hits on BASIL")
    args = parser.parse_args()
    if not args.neus:
        basil_report(args.per_term)
    if not args.basil:
        neus_report()


if __name__ == "__main__":
    main()
