"""Calibrate a trained tagger's span confidences and choose the default threshold.

Candidates (`evenhand.annotate.loaded.candidates`: lexicon matches and the tagger's phrases) are
collected on the `valid` parts of the run's corpora (PTC, MBIC; BASIL is never used, so it stays
a fully held-out corpus). Each candidate is labelled by whether it overlaps a gold span; every
corpus weighs the same in total. A logistic model over `FEATURES`
turns them into probabilities. The default threshold applies to the tagger's own finds (the
lexicon's terms are always listed): the best F1 among thresholds at which their precision,
averaged over PTC and MBIC, reaches `TARGET_PRECISION`. Writes `calibration` into the run's
meta.json, with the reliability table and the tagger's precision and recall by threshold on the
calibration data.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
from evals.corpora import Doc, load_mbic, load_ptc, part_of

from evenhand.annotate.document import annotate_all
from evenhand.annotate.loaded import FEATURES, calibrated, candidates, features

FLOOR = 0.25
TARGET_PRECISION = 0.5
L2 = 1.0


def _calibration_docs(corpora: tuple[str, ...], data: Path) -> list[Doc]:
    docs: list[Doc] = []
    if "ptc" in corpora:
        docs += [d for d in load_ptc(data) if part_of(d.key) == "valid"]
    if "mbic" in corpora:
        docs += [d for d in load_mbic(data) if part_of(d.key) == "valid"]
    return docs


def fit_logistic(x: np.ndarray, y: np.ndarray, weights: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights of a weighted logistic regression (Newton's method, L2 on all but the bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (weights * (p - y)) + penalty * w
        hess = (x.T * (weights * p * (1 - p))) @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def reliability(conf: np.ndarray, y: np.ndarray, bins: int = 5) -> list[dict[str, float]]:
    table = []
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in itertools.pairwise(edges):
        inside = (conf >= lo) & ((conf < hi) | (hi == 1.0))
        if inside.any():
            table.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(inside.sum()),
                    "mean_confidence": round(float(conf[inside].mean()), 3),
                    "observed": round(float(y[inside].mean()), 3),
                }
            )
    return table


def calibrate(run_dir: Path, corpora: tuple[str, ...], data: Path) -> None:
    docs = _calibration_docs(corpora, data)
    rows: list[list[float]] = []
    labels: list[float] = []
    owners: list[str] = []
    covers: list[set[tuple[str, int]]] = []  # the gold spans each candidate overlaps
    gold_count: dict[str, int] = {}
    for doc, annotated in zip(docs, annotate_all(d.text for d in docs), strict=True):
        gold_count[doc.corpus] = gold_count.get(doc.corpus, 0) + len(doc.spans)
        for c in candidates(annotated, FLOOR, run_dir):
            hit = {(doc.key, i) for i, (s, e) in enumerate(doc.spans) if s < c.end and c.start < e}
            rows.append(features(c))
            labels.append(float(bool(hit)))
            owners.append(doc.corpus)
            covers.append(hit)
    x, y = np.array(rows), np.array(labels)
    names = sorted(set(owners))
    counts = {name: owners.count(name) for name in names}
    weights = np.array([len(owners) / (len(names) * counts[o]) for o in owners])
    w = fit_logistic(x, y, weights)
    conf = 1.0 / (1.0 + np.exp(-(x @ w)))
    # The threshold governs the tagger's own finds (the lexicon's terms are always listed):
    # the best F1 (means over PTC and MBIC) among thresholds whose mean precision reaches
    # TARGET_PRECISION.
    model_only = [i for i, r in enumerate(rows) if not any(r[3:])]
    tagger_corpora = [n for n in names if n in {"ptc", "mbic"}]
    table: dict[str, dict[str, list[float]]] = {}
    threshold: float | None = None
    best_f1 = -1.0
    for t in np.arange(0.2, 0.96, 0.05):
        row: dict[str, list[float]] = {}
        for name in names:
            chosen = [i for i in model_only if owners[i] == name and conf[i] >= t]
            hits = sum(y[i] for i in chosen)
            found = len(set().union(*(covers[i] for i in chosen))) if chosen else 0
            precision = hits / len(chosen) if chosen else 0.0
            row[name] = [round(precision, 3), round(found / max(1, gold_count[name]), 3)]
        table[f"{t:.2f}"] = row
        precision = float(np.mean([row[n][0] for n in tagger_corpora]))
        recall = float(np.mean([row[n][1] for n in tagger_corpora]))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if precision >= TARGET_PRECISION and f1 > best_f1:
            threshold, best_f1 = round(float(t), 2), f1
    threshold = threshold if threshold is not None else 0.9
    meta_path = run_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["calibration"] = {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "floor": FLOOR,
        "default_min_confidence": threshold,
        "fitted_on": f"valid parts of {', '.join(c for c in corpora if c != 'newssd')}",
        "candidates": {name: counts[name] for name in names},
        "positive_share": round(float(y.mean()), 4),
        "model_only_precision_recall_at_default": table[f"{threshold:.2f}"],
        "reliability": reliability(conf, y),
        "model_only_precision_recall_by_threshold": table,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    # The same function the product uses, as a check that the stored weights reproduce `conf`.
    stored = meta["calibration"]["weights"]
    sample = candidates(annotate_all([docs[0].text])[0], FLOOR, run_dir)[:1]
    for c in sample:
        assert (
            abs(calibrated(c, stored) - float(1 / (1 + np.exp(-(np.array(features(c)) @ w)))))
            < 1e-3
        )
    print(f"[{run_dir.name}] calibrated on {len(y)} candidates; default threshold {threshold}")
