"""Readers of the annotated corpora that train and measure the loaded-language tagger.

Each corpus becomes documents with character spans of loaded wording (or, for NewsSD, a
sentence label). Every document belongs to one part, fixed by a hash of its key (no random state),
so training, calibration and evaluation always see the same split:

- `train` (75%): what the shipped model learns from;
- `valid` (10%): threshold choice and confidence calibration;
- `test` (15%): held out from everything, for the figures.

    from evals.corpora import load_ptc, load_mbic, load_newssd, part_of
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Part = Literal["train", "valid", "test"]
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# PTC techniques that mark loaded wording or labels; the other twelve mark argument moves.
PTC_TECHNIQUES = frozenset({"Loaded_Language", "Name_Calling,Labeling"})


@dataclass(frozen=True)
class Doc:
    """A text with its gold loaded-language spans (offsets into `text`)."""

    corpus: str
    key: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    # Lines (start, end) to tag one at a time; the whole text when empty.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # NewsSD: 1 subjective, 0 objective; None where the corpus has no sentence label.
    subjective: int | None = None


def part_of(key: str) -> Part:
    """The fixed part of a document, from the SHA-256 of its key."""
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < 15:
        return "test"
    if bucket < 25:
        return "valid"
    return "train"


def _lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def load_ptc(data: Path = SHARED_DATA) -> list[Doc]:
    """PTC articles with their `Loaded_Language` and `Name_Calling,Labeling` spans."""
    docs: list[Doc] = []
    folder = data / "ptc-dev" / "articles"
    for path in sorted(folder.glob("article*.txt")):
        text = path.read_text(encoding="utf-8")
        labels = path.with_name(f"{path.stem}.task2-TC.labels")
        spans: list[tuple[int, int]] = []
        for row in labels.read_text(encoding="utf-8").splitlines():
            cells = row.split("\t")
            if len(cells) == 4 and cells[1] in PTC_TECHNIQUES:
                spans.append((int(cells[2]), int(cells[3])))
        docs.append(Doc("ptc", f"ptc:{path.stem}", text, sorted(set(spans)), _lines(text)))
    return docs


def _word_positions(sentence: str, word: str) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(sentence)]


def load_mbic(data: Path = SHARED_DATA) -> list[Doc]:
    """MBIC sentences with every occurrence of the words annotators marked as biased.

    Sentences whose majority label is not `Biased` keep no spans: their marked words were the
    minority view, and MBIC's word marks are noisy enough without them.
    """
    docs: list[Doc] = []
    path = data / "mbic" / "sentences.jsonl"
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        sentence: str = row["sentence"].strip()
        spans: list[tuple[int, int]] = []
        if row["label_bias"] == "Biased":
            for word in row["biased_words"]:
                spans += _word_positions(sentence, word.strip())
        docs.append(Doc("mbic", f"mbic:{i}", sentence, sorted(set(spans)), [(0, len(sentence))]))
    return docs


def load_newssd(data: Path = SHARED_DATA) -> list[Doc]:
    """NewsSD sentences labelled subjective (1) or objective (0); its own train/val/test files."""
    docs: list[Doc] = []
    for split in ("train", "val", "test"):
        path = data / "newssd" / f"newssd_{split}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                text = row["Sentence"].strip()
                label = 1 if row["Label"] == "SUBJ" else 0
                docs.append(Doc("newssd", f"newssd:{split}:{i}", text, [], [(0, len(text))], label))
    return docs


def newssd_part(doc: Doc) -> Part:
    """NewsSD keeps its published split: train, val (our valid) and test."""
    split = doc.key.split(":")[1]
    return {"train": "train", "val": "valid", "test": "test"}[split]  # type: ignore[return-value]
