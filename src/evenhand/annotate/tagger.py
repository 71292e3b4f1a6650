"""The shipped loaded-language tagger: a fine-tuned MiniLM encoder run with onnxruntime.

For every sentence of an `AnnotatedDoc` it gives each word a probability of being loaded wording
(the highest of its word pieces) and the sentence a probability of being subjective. No torch at
run time: the encoder is an int8 ONNX graph, the word pieces come from the `tokenizers` library.
The model files are checked against their SHA-256 before the first use; a mismatch is an error,
never a silent fallback. Loaded once per process, lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelUnavailableError
from .onnx_model import ShippedModel, once_per_process, padded

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from tokenizers import Tokenizer

    from .document import AnnotatedDoc

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "loaded_tagger"
# Word pieces per window: sentences longer than this are tagged in overlapping windows.
MAX_PIECES = 128
_WINDOW_OVERLAP = 32
# Sentences per onnxruntime call, sorted by length so little padding is computed.
_BATCH = 16


@dataclass(frozen=True)
class Encoded:
    """One window of word pieces: ids, and each piece's character range in the sentence."""

    ids: list[int]
    offsets: list[tuple[int, int]]  # (0, 0) for [CLS]/[SEP]
    sentence: int  # index into the list of texts encoded


@dataclass(frozen=True)
class SentenceScores:
    """Per-word loaded probabilities of one sentence, and its subjectivity probability."""

    word_scores: list[float]  # aligned with the sentence's tokens
    subjective: float


def encode(tokenizer: Tokenizer, texts: Sequence[str]) -> list[Encoded]:
    """Word-piece windows of each text ([CLS] ... [SEP]); long texts are split with overlap.

    Training encodes its sentences with this same function, so pieces and offsets match.
    """
    windows: list[Encoded] = []
    cls_id = tokenizer.token_to_id("[CLS]")
    sep_id = tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ModelUnavailableError("the tagger's tokenizer has no [CLS]/[SEP] pieces")
    inner = MAX_PIECES - 2
    for index, encoding in enumerate(tokenizer.encode_batch(list(texts), add_special_tokens=False)):
        ids, offsets = list(encoding.ids), list(encoding.offsets)
        start = 0
        while True:
            piece_ids = ids[start : start + inner]
            piece_offsets = offsets[start : start + inner]
            windows.append(
                Encoded([cls_id, *piece_ids, sep_id], [(0, 0), *piece_offsets, (0, 0)], index)
            )
            if start + inner >= len(ids):
                break
            start += inner - _WINDOW_OVERLAP
    return windows


class LoadedTagger(ShippedModel):
    """The ONNX tagger of one model directory (`MODEL_DIR` for the shipped one)."""

    what = "loaded-language"

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        super().__init__(model_dir)

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        return encode(self.tokenizer, texts)

    def run(self, windows: Sequence[Encoded]) -> list[tuple[NDArray[np.float32], float]]:
        """Per-piece loaded probabilities and the subjectivity probability of each window."""
        import numpy as np

        order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
        results: list[tuple[NDArray[np.float32], float]] = [
            (np.zeros(0, dtype=np.float32), 0.0)
        ] * len(windows)
        for b in range(0, len(order), _BATCH):
            batch = [windows[i] for i in order[b : b + _BATCH]]
            ids, mask = padded([w.ids for w in batch])
            token_logits, sentence_logits = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask}
            )
            token_p = 1.0 / (1.0 + np.exp(-token_logits))
            sentence_p = 1.0 / (1.0 + np.exp(-sentence_logits))
            for row, window in enumerate(batch):
                results[order[b + row]] = (
                    token_p[row, : len(window.ids)].astype(np.float32),
                    float(sentence_p[row]),
                )
        return results

    def score_texts(self, texts: Sequence[str]) -> list[tuple[list[tuple[int, int, float]], float]]:
        """For each text: (start, end, probability) per word piece, and its subjectivity."""
        windows = self.encode(texts)
        outputs = self.run(windows)
        pieces: list[list[tuple[int, int, float]]] = [[] for _ in texts]
        subjective: list[list[float]] = [[] for _ in texts]
        for window, (probs, subj) in zip(windows, outputs, strict=True):
            subjective[window.sentence].append(subj)
            for (start, end), p in zip(window.offsets, probs.tolist(), strict=True):
                if end > start:
                    pieces[window.sentence].append((start, end, p))
        return [
            (pieces[i], max(subjective[i]) if subjective[i] else 0.0) for i in range(len(texts))
        ]

    def score_doc(self, doc: AnnotatedDoc) -> list[SentenceScores]:
        """Scores of every sentence of `doc`, each word's score the highest of its pieces."""
        texts = [s.text for s in doc.sentences]
        scored = self.score_texts(texts)
        out: list[SentenceScores] = []
        for sentence, (pieces, subjective) in zip(doc.sentences, scored, strict=True):
            tokens = doc.sentence_tokens(sentence)
            scores = [0.0] * len(tokens)
            t = 0
            for start, end, p in sorted(pieces):
                a, b = sentence.start + start, sentence.start + end
                while t < len(tokens) and tokens[t].end <= a:
                    t += 1
                k = t
                while k < len(tokens) and tokens[k].start < b:
                    scores[k] = max(scores[k], p)
                    k += 1
            out.append(SentenceScores(scores, subjective))
        return out


_load = once_per_process(LoadedTagger)


def load_tagger(model_dir: Path = MODEL_DIR) -> LoadedTagger:
    """The process's tagger for `model_dir` (loaded and hash-checked on first use)."""
    return _load(model_dir)
