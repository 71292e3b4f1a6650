"""Calibrate a trained tagger's span confidences and choose the default threshold.

Candidates (`evenhand.annotate.loaded.candidates`: lexicon matches and the tagger's phrases) are
collected on the `valid` parts of the run's corpora, each labelled by whether it overlaps a gold
span; a logistic model over `FEATURES` turns them into probabilities. The default threshold is
the one with the best F1 among those whose precision on `valid` is at least `TARGET_PRECISION`.
Writes `calibration` into the run's meta.json, with the reliability table on `valid`.
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
TARGET_PRECISION = 0.6
L2 = 1.0


def _valid_docs(corpora: tuple[str, ...], data: Path) -> list[Doc]:
    docs: list[Doc] = []
    if "ptc" in corpora:
        docs += [d for d in load_ptc(data) if part_of(d.key) == "valid"]
    if "mbic" in corpora:
        docs += [d for d in load_mbic(data) if part_of(d.key) == "valid"]
    return docs


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights of a logistic regression (Newton's method, L2 on all but the bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x.T * (p * (1 - p))) @ x + np.diag(penalty + 1e-6)
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
    docs = _valid_docs(corpora, data)
    rows: list[list[float]] = []
    labels: list[float] = []
    gold_total = 0
    for doc, annotated in zip(docs, annotate_all(d.text for d in docs), strict=True):
        gold_total += len(doc.spans)
        for c in candidates(annotated, FLOOR, run_dir):
            rows.append(features(c))
            labels.append(float(any(s < c.end and c.start < e for s, e in doc.spans)))
    x, y = np.array(rows), np.array(labels)
    w = fit_logistic(x, y)
    conf = 1.0 / (1.0 + np.exp(-(x @ w)))
    best: tuple[float, float, float, float] | None = None
    for t in np.arange(0.2, 0.96, 0.05):
        chosen = conf >= t
        if not chosen.any():
            continue
        precision = float(y[chosen].mean())
        # Recall here counts hits, not distinct gold spans: a proxy used only to rank thresholds.
        recall = float(y[chosen].sum()) / max(1, gold_total)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if precision >= TARGET_PRECISION and (best is None or f1 > best[3]):
            best = (round(float(t), 2), precision, recall, f1)
    threshold = best[0] if best else 0.9
    meta_path = run_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["calibration"] = {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "floor": FLOOR,
        "default_min_confidence": threshold,
        "fitted_on": f"valid parts of {', '.join(c for c in corpora if c != 'newssd')}",
        "candidates": len(y),
        "positive_share": round(float(y.mean()), 4),
        "valid_precision_at_default": round(best[1], 4) if best else None,
        "reliability_valid": reliability(conf, y),
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
