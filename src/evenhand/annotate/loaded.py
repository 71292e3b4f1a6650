"""The loaded-language layer of an annotated document: tagger scores, candidate spans, confidence.

The tagger gives each word a probability of being loaded wording; runs of words above a floor,
trimmed to content words, are the model's candidate spans. A span's confidence is a calibrated
probability that annotators would mark it: a logistic model over the tagger's scores on the span
and whether the curated lexicon lists it, fitted on held-out parts of the training corpora
(`training/calibrate_loaded_tagger.py`; the weights live in the model's `meta.json`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..lexicon import LexiconMatch, find_loaded
from .document import AnnotatedDoc, Token, annotate
from .tagger import MODEL_DIR, load_tagger

# The report lists the tagger's own finds at or above this confidence unless told otherwise
# (`--min-confidence`, `min_confidence=`). It is the calibration's choice for precision
# (`default_min_confidence` in the model's meta.json; a test keeps them equal).
DEFAULT_MIN_CONFIDENCE = 0.45

# The threshold governs what the tagger alone adds. Terms of the curated lexicon (after its
# context rules) are always listed, whatever their confidence: each has an editor-written
# explanation and, where one exists, a neutral alternative. Their confidence says how often
# annotators mark such wording; on the annotated corpora it is often low for wording that casts
# doubt ("without providing any evidence"), which the corpora mark as a technique of its own or
# not at all. Terms a language model reported are listed as it gave them (located in the text by
# code), with the tagger's confidence beside them.
ALWAYS_LISTED_ORIGINS = frozenset({"lexicon", "both", "llm"})

# Category of a term the tagger found and the lexicon does not list.
MODEL_CATEGORY = "loaded"

# Word classes that carry loaded meaning; a candidate needs one of them.
_CONTENT_POS = frozenset({"ADJ", "ADV", "NOUN", "VERB", "PROPN", "INTJ", "X"})
# Word classes trimmed from a candidate's edges.
_EDGE_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PRON", "PART", "AUX", "PUNCT", "SPACE"})

# Names of the features the calibration weighs, in order (the weights in meta.json follow it).
# `lexicon_doubt`: the lexicon's `unsubstantiated` and `epistemic` entries ("without evidence",
# "claimed"), wording that casts doubt rather than labels, which the corpora mark differently.
FEATURES = ("bias", "logit_max", "logit_mean", "lexicon_strong", "lexicon_other", "lexicon_doubt")
_DOUBT_CATEGORIES = frozenset({"unsubstantiated", "epistemic"})


@dataclass(frozen=True)
class Candidate:
    """A stretch of text the tagger or the lexicon marks, with what calibration reads of it."""

    start: int
    end: int
    max_score: float
    mean_score: float
    lexicon: LexiconMatch | None


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def is_listed(confidence: float, origin: str, min_confidence: float) -> bool:
    """Whether a report lists a term: the tagger's own finds at or above `min_confidence`, the
    others always."""
    return origin in ALWAYS_LISTED_ORIGINS or confidence >= min_confidence


def word_scores(doc: AnnotatedDoc, model_dir: Path = MODEL_DIR) -> list[float]:
    """The tagger's probability for every token of `doc` (0 for tokens outside sentences)."""
    key = f"loaded_scores:{model_dir}"
    cached = doc.layers.get(key)
    if cached is None:
        scores = [0.0] * len(doc.tokens)
        subjective: list[float] = []
        for sentence, scored in zip(
            doc.sentences, load_tagger(model_dir).score_doc(doc), strict=True
        ):
            for offset, p in enumerate(scored.word_scores):
                scores[sentence.first + offset] = p
            subjective.append(scored.subjective)
        doc.layers[key] = scores
        doc.layers[f"subjectivity:{model_dir}"] = subjective
        cached = scores
    result: list[float] = cached
    return result


def sentence_subjectivity(doc: AnnotatedDoc, model_dir: Path = MODEL_DIR) -> list[float]:
    """The tagger's probability that each sentence of `doc` is subjective."""
    word_scores(doc, model_dir)
    result: list[float] = doc.layers[f"subjectivity:{model_dir}"]
    return result


def lexicon_matches(doc: AnnotatedDoc) -> list[LexiconMatch]:
    """Curated-lexicon matches in the document's text (computed once per document)."""
    cached = doc.layers.get("lexicon")
    if cached is None:
        cached = doc.layers["lexicon"] = find_loaded(doc.text)
    result: list[LexiconMatch] = cached
    return result


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].pos in _EDGE_POS or not tokens[0].is_word):
        tokens = tokens[1:]
    while tokens and (tokens[-1].pos in _EDGE_POS or not tokens[-1].is_word):
        tokens = tokens[:-1]
    return tokens


def _span_scores(doc: AnnotatedDoc, scores: Sequence[float], start: int, end: int) -> list[float]:
    return [scores[t.i] for t in doc.tokens_in(start, end) if t.is_word]


def model_candidates(
    doc: AnnotatedDoc, floor: float, model_dir: Path = MODEL_DIR
) -> list[Candidate]:
    """Runs of content words the tagger scores at or above `floor`.

    The tagger, trained on long propaganda spans, often scores a whole loaded clause high;
    function words ("the", "and", "their", "to") end a run, so a candidate is a content phrase
    ("bumbling ringleader") that a lexicon match can cover or not on its own. Punctuation joined
    to a word without a space ("Self-" + "proclaimed") bridges a run; a run stays in its sentence.
    """
    scores = word_scores(doc, model_dir)
    out: list[Candidate] = []
    for sentence in doc.sentences:
        run: list[Token] = []
        for token in [*doc.sentence_tokens(sentence), None]:
            inside = token is not None and (
                (token.pos in _CONTENT_POS and scores[token.i] >= floor)
                or (
                    not token.is_word
                    and not token.is_space
                    and run
                    and run[-1].end == token.start
                    and token.text in "-–'’/"
                )
            )
            if inside and token is not None:
                run.append(token)
                continue
            kept = _trim(run)
            if kept and any(not t.is_stop for t in kept if t.is_word):
                words = [scores[t.i] for t in kept if t.is_word]
                out.append(
                    Candidate(
                        kept[0].start, kept[-1].end, max(words), sum(words) / len(words), None
                    )
                )
            run = []
    return out


def features(candidate: Candidate) -> list[float]:
    entry = candidate.lexicon.entry if candidate.lexicon else None
    return [
        1.0,
        _logit(candidate.max_score),
        _logit(candidate.mean_score),
        1.0 if entry is not None and entry.strength == "strong" else 0.0,
        1.0 if entry is not None and entry.strength != "strong" else 0.0,
        1.0 if entry is not None and entry.category in _DOUBT_CATEGORIES else 0.0,
    ]


def calibrated(candidate: Candidate, weights: Sequence[float]) -> float:
    z = sum(w * x for w, x in zip(weights, features(candidate), strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def scored_candidate(
    doc: AnnotatedDoc,
    start: int,
    end: int,
    lexicon: LexiconMatch | None,
    model_dir: Path = MODEL_DIR,
) -> Candidate:
    """A candidate for `start`..`end` with the tagger's scores over its words."""
    values = _span_scores(doc, word_scores(doc, model_dir), start, end) or [0.0]
    return Candidate(start, end, max(values), sum(values) / len(values), lexicon)


def calibration(model_dir: Path = MODEL_DIR) -> tuple[list[float], float]:
    """The calibration weights and the candidate floor of the model in `model_dir`."""
    meta = load_tagger(model_dir).meta
    fitted = meta["calibration"]
    return [float(w) for w in fitted["weights"]], float(fitted["floor"])


def confidence_of(candidate: Candidate, model_dir: Path = MODEL_DIR) -> float:
    weights, _ = calibration(model_dir)
    return round(calibrated(candidate, weights), 4)


def span_confidence(text: str, start: int, end: int, model_dir: Path = MODEL_DIR) -> float:
    """Calibrated probability (0-1) that `text[start:end]` is loaded wording, from the tagger's
    word scores over the span and the curated lexicon."""
    doc = annotate(text)
    lexicon = next((m for m in lexicon_matches(doc) if m.start < end and start < m.end), None)
    return confidence_of(scored_candidate(doc, start, end, lexicon, model_dir), model_dir)


def candidates(
    doc: AnnotatedDoc, floor: float, model_dir: Path = MODEL_DIR, use_lexicon: bool = True
) -> list[Candidate]:
    """Every lexicon match (scored by the tagger) and every model candidate that overlaps none,
    in text order: what calibration is fitted on and what the offline engine reports from."""
    lexicon = lexicon_matches(doc) if use_lexicon else []
    found = [scored_candidate(doc, m.start, m.end, m, model_dir) for m in lexicon]
    found += [
        c
        for c in model_candidates(doc, floor, model_dir)
        if not any(m.start < c.end and c.start < m.end for m in lexicon)
    ]
    return sorted(found, key=lambda c: (c.start, c.end))
