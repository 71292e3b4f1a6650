"""Train the attribution tagger: all-MiniLM-L6-v2 fine-tuned to mark who said what.

    pip install -e '.[train]'
    python training/train_attribution_tagger.py             # train, write build/attribution-tagger
    python training/train_attribution_tagger.py --install   # copy it into the package

Data: PolNeAR's train split (840 articles of 2016 campaign news, seven outlets), less its `valid`
part (evals/corpora.py `part_of`, about 10% of the articles), which is kept for choosing the
decoding thresholds. PolNeAR's dev split is never seen; evals/attribution.py scores on it.

Targets: three independent channels (source, cue, content), each tagging every word piece as
outside (O), beginning (B) or inside (I) a span of that role. Independent channels let an outer
attribution's content contain an inner attribution's source and cue, as PolNeAR's nesting does.
Articles are tagged in overlapping windows of word pieces (the `encode` of the loaded tagger
over the whole text), so a content span may cross sentences. Fixed seeds; CPU only is enough
(one epoch, about 15 minutes on 2 idle cores).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from evals.corpora import SHARED_DATA, part_of  # noqa: E402
from evals.polnear import ROLES, PolnearDoc, load_polnear  # noqa: E402

from evenhand.annotate.tagger import encode  # noqa: E402
from training.onnx_export import BASE_MODEL, export_int8  # noqa: E402
from training.train_loaded_tagger import base_model_dir, write_sums  # noqa: E402

SEED = 20261203
OUTSIDE, BEGIN, INSIDE = 0, 1, 2


@dataclass
class Example:
    ids: list[int]
    labels: list[list[int]]  # per piece, one of O/B/I per role; -100 for [CLS]/[SEP]


def piece_labels(
    offsets: list[tuple[int, int]], spans: list[tuple[int, int]], base: int
) -> list[int]:
    """O/B/I of each piece for one role's spans (offsets relative to `base` in the text)."""
    labels: list[int] = []
    previous: tuple[int, int] | None = None
    for a, b in offsets:
        if b <= a:
            labels.append(-100)
            previous = None
            continue
        lo, hi = a + base, b + base
        inside = next((s for s in spans if s[0] < hi and lo < s[1]), None)
        if inside is None:
            labels.append(OUTSIDE)
        else:
            labels.append(INSIDE if inside == previous else BEGIN)
        previous = inside
    return labels


def examples_of(docs: list[PolnearDoc], tokenizer: Tokenizer) -> list[Example]:
    out: list[Example] = []
    for doc in docs:
        fragments = {
            role: sorted({f for a in doc.attributions for f in a.role(role)}) for role in ROLES
        }
        for window in encode(tokenizer, [doc.text]):
            per_role = [piece_labels(window.offsets, fragments[role], 0) for role in ROLES]
            out.append(Example(window.ids, [list(x) for x in zip(*per_role, strict=True)]))
    return out


class AttributionTagger(nn.Module):
    """The encoder with one three-way (O/B/I) head per role."""

    def __init__(self, base: Path) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base))
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, 3 * len(ROLES))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(input_ids),
        ).last_hidden_state
        logits = self.head(self.dropout(hidden))
        return logits.view(logits.shape[0], logits.shape[1], len(ROLES), 3)


def batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    shuffled = examples[:]
    rng.shuffle(shuffled)
    return [shuffled[i : i + size] for i in range(0, len(shuffled), size)]


def tensors(batch: list[Example]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(e.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width, len(ROLES)), -100, dtype=torch.long)
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
        labels[row, : len(e.labels)] = torch.tensor(e.labels)
    return ids, mask, labels


def train(*, out: Path, data: Path, epochs: int, batch_size: int, base: Path) -> None:
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(SEED)
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    docs = [d for d in load_polnear("train", data) if part_of(d.key) != "valid"]
    examples = examples_of(docs, tokenizer)
    print(f"{len(docs)} articles, {len(examples)} windows", flush=True)
    model = AttributionTagger(base)
    optimiser = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    total = math.ceil(len(examples) / batch_size) * epochs
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))),
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    started = time.time()
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for i, batch in enumerate(batches(examples, batch_size, rng)):
            ids, mask, labels = tensors(batch)
            logits = model(ids, mask)
            loss = loss_fn(logits.reshape(-1, 3), labels.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            running += float(loss.detach())
            if (i + 1) % 25 == 0:
                print(
                    f"epoch {epoch + 1}/{epochs} batch {i + 1}/{total // epochs} "
                    f"loss {running / 25:.4f} ({time.time() - started:.0f} s)",
                    flush=True,
                )
                running = 0.0
    export(
        model,
        base=base,
        target=out,
        epochs=epochs,
        seconds=time.time() - started,
        articles=len(docs),
    )


def export(
    model: AttributionTagger,
    *,
    base: Path,
    target: Path,
    epochs: int,
    seconds: float,
    articles: int,
) -> None:
    fp32 = target / "model.fp32.onnx"
    export_int8(
        model,
        outputs={"role_logits": {0: "batch", 1: "pieces"}},
        fp32=fp32,
        target=target,
        tokenizer=base / "tokenizer.json",
    )
    fp32.unlink()
    meta = {
        "name": "evenhand-attribution-tagger",
        "base_model": BASE_MODEL,
        "corpora": ["polnear"],
        "parts": "PolNeAR train split less its `valid` part (evals/corpora.py part_of)",
        "articles": articles,
        "epochs": epochs,
        "seed": SEED,
        "training_seconds": round(seconds),
        "torch": torch.__version__,
        "outputs": {"role_logits": "per word piece: roles (source, cue, content) x (O, B, I)"},
        "roles": list(ROLES),
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    write_sums(target)
    print(f"wrote {target}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "attribution-tagger")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--install", action="store_true", help="copy the model into the package")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.install:
        from evenhand.annotate.attribution_tagger import MODEL_DIR

        MODEL_DIR.mkdir(parents=True, exist_ok=True)
        for name in ("model.onnx", "tokenizer.json", "meta.json", "SHA256SUMS"):
            shutil.copy(args.out / name, MODEL_DIR / name)
        print(f"installed {args.out} into {MODEL_DIR}")
        return
    base = base_model_dir(ROOT / "build" / "loaded-tagger")
    train(out=args.out, data=args.data, epochs=args.epochs, batch_size=args.batch_size, base=base)


if __name__ == "__main__":
    main()
