"""Sentence embeddings from the shipped sentence encoder (all-MiniLM-L6-v2, int8 ONNX).

The encoder's graph pools the word pieces into one unit vector per text, so the dot product of two
embeddings is their cosine. Run with onnxruntime and the `tokenizers` library (no torch); the
model files are checked against their SHA-256 before first use, and the encoder is loaded once
per process, lazily (`annotate.onnx_model`). Embeddings are cached by text, so the sources'
sentences are embedded once however many drafts are checked against them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .onnx_model import ShippedModel, once_per_process, padded

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "sentence_encoder"
# Word pieces per text, [CLS] and [SEP] included; longer sentences are cut (rare in news).
MAX_PIECES = 256
_BATCH = 32
_CACHE_SIZE = 20000


class SentenceEncoder(ShippedModel):
    """The ONNX sentence encoder of one model directory (`MODEL_DIR` for the shipped one)."""

    what = "sentence-encoder"
    max_pieces = MAX_PIECES

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        super().__init__(model_dir)
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _run(self, texts: Sequence[str]) -> list[NDArray[np.float32]]:
        import numpy as np

        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out: list[NDArray[np.float32]] = [np.zeros(0, dtype=np.float32)] * len(texts)
        for b in range(0, len(order), _BATCH):
            rows = order[b : b + _BATCH]
            ids, mask = padded([encodings[i].ids for i in rows])
            (vectors,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            for r, i in enumerate(rows):
                out[i] = np.asarray(vectors[r], dtype=np.float32)
        return out

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit vector per text, as the rows of a (len(texts), dimensions) array."""
        import numpy as np

        with self._cache_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh = self._run(missing) if missing else []
        with self._cache_lock:
            for text, vector in zip(missing, fresh, strict=True):
                self._cache[text] = vector
            rows = []
            for text in texts:
                cached = self._cache.get(text)
                if cached is None:  # evicted by another thread meanwhile
                    cached = self._run([text])[0]
                    self._cache[text] = cached
                self._cache.move_to_end(text)
                rows.append(cached)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        dims = int(self.meta.get("dimensions", 384))
        return np.vstack(rows) if rows else np.zeros((0, dims), dtype=np.float32)


_load = once_per_process(SentenceEncoder)


def load_encoder(model_dir: Path = MODEL_DIR) -> SentenceEncoder:
    """The process's sentence encoder for `model_dir` (loaded and hash-checked on first use)."""
    return _load(model_dir)
