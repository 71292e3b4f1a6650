"""The shipped attribution tagger: a MiniLM encoder fine-tuned on PolNeAR, run with onnxruntime.

It marks, over a whole article, the word pieces that begin (B) or continue (I) a span of each
role: the source (who), the cue (said, denied, according to) and the content (what). The three
roles are independent channels, so an outer content may hold an inner attribution's source and
cue. Spans come back snapped to the annotated document's tokens. The model files are checked
against their SHA-256 before first use; loaded once per process, lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .onnx_model import ShippedModel, once_per_process, padded
from .tagger import encode

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from .document import AnnotatedDoc

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution_tagger"
ROLES = ("source", "cue", "content")
_OUTSIDE, _BEGIN, _INSIDE = 0, 1, 2
_BATCH = 8


@dataclass(frozen=True)
class RoleSpan:
    """A predicted span of one role, with the mean probability of its pieces' labels."""

    role: str
    start: int
    end: int
    confidence: float


class AttributionTagger(ShippedModel):
    what = "attribution"

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        super().__init__(model_dir)

    def piece_probabilities(self, text: str) -> tuple[list[tuple[int, int]], NDArray[np.float32]]:
        """Every word piece of `text` (character range) and its O/B/I probabilities per role.

        Windows overlap; a piece seen by two windows keeps the probabilities of the window in
        which it sits farther from an edge (more context on both sides).
        """
        import numpy as np

        windows = encode(self.tokenizer, [text])
        best: dict[tuple[int, int], tuple[int, NDArray[np.float32]]] = {}
        for b in range(0, len(windows), _BATCH):
            batch = windows[b : b + _BATCH]
            ids, mask = padded([w.ids for w in batch])
            (logits,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            shifted = logits - logits.max(axis=-1, keepdims=True)
            probs = np.exp(shifted)
            probs /= probs.sum(axis=-1, keepdims=True)
            for row, window in enumerate(batch):
                n = len(window.ids)
                for k, offset in enumerate(window.offsets):
                    if offset[1] <= offset[0]:
                        continue
                    margin = min(k, n - 1 - k)
                    if offset not in best or best[offset][0] < margin:
                        best[offset] = (margin, probs[row, k].astype(np.float32))
        offsets = sorted(best)
        if not offsets:
            return [], np.zeros((0, len(ROLES), 3), dtype=np.float32)
        return offsets, np.stack([best[o][1] for o in offsets])

    def spans(self, doc: AnnotatedDoc) -> list[RoleSpan]:
        """Predicted spans of every role in `doc`, snapped to whole tokens."""
        offsets, probs = self.piece_probabilities(doc.text)
        out: list[RoleSpan] = []
        for r, role in enumerate(ROLES):
            labels = probs[:, r, :].argmax(axis=-1).tolist()
            current: list[int] = []
            for k, label in enumerate(labels):
                continues = label == _INSIDE and current
                if label == _BEGIN or (label == _INSIDE and not current):
                    if current:
                        out.append(self._span(doc, role, offsets, probs[:, r, :], current))
                    current = [k]
                elif continues:
                    current.append(k)
                else:
                    if current:
                        out.append(self._span(doc, role, offsets, probs[:, r, :], current))
                    current = []
            if current:
                out.append(self._span(doc, role, offsets, probs[:, r, :], current))
        return out

    @staticmethod
    def _span(
        doc: AnnotatedDoc,
        role: str,
        offsets: list[tuple[int, int]],
        probs: NDArray[np.float32],
        pieces: list[int],
    ) -> RoleSpan:
        start, end = offsets[pieces[0]][0], offsets[pieces[-1]][1]
        tokens = doc.tokens_in(start, end)
        if tokens:
            start, end = min(start, tokens[0].start), max(end, tokens[-1].end)
        confidence = float(sum(1.0 - probs[k, _OUTSIDE] for k in pieces) / len(pieces))
        return RoleSpan(role, start, end, confidence)


_load = once_per_process(AttributionTagger)


def load_attribution_tagger(model_dir: Path = MODEL_DIR) -> AttributionTagger:
    """The process's attribution tagger (loaded and hash-checked on first use)."""
    return _load(model_dir)
