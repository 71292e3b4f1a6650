"""Reading the BASIL development split (evals/data/basil-dev/) with its lexical-bias spans.

An article's text is rebuilt from `body-paragraphs` (sentences joined by a space, paragraphs by a
blank line), and each annotation's `start`/`end`, which are offsets inside one sentence, is turned
into offsets in that text by finding the sentence whose slice equals the annotated `txt`.

    from evals.basil import load_basil
    for doc in load_basil():
        doc.article, doc.lex_spans, doc.year
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evenhand.schema import Article

BASIL_DIR = Path(__file__).resolve().parent / "data" / "basil-dev"
OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    text: str
    in_quote: bool


@dataclass(frozen=True)
class BasilDoc:
    year: int
    triplet: str
    article: Article
    lex_spans: list[GoldSpan]


def text_and_sentence_starts(
    paragraphs: list[list[str]],
) -> tuple[str, list[tuple[int, str]]]:
    """The body as one text (sentences joined by a space, paragraphs by a blank line), with the
    offset at which each sentence starts, so annotation offsets can be moved into the text."""
    pieces: list[str] = []
    starts: list[tuple[int, str]] = []
    pos = 0
    for p, sentences in enumerate(paragraphs):
        if p:
            pieces.append("\n\n")
            pos += 2
        for s, sentence in enumerate(sentences):
            if s:
                pieces.append(" ")
                pos += 1
            starts.append((pos, sentence))
            pieces.append(sentence)
            pos += len(sentence)
    return "".join(pieces), starts


def load_basil(folder: Path = BASIL_DIR) -> list[BasilDoc]:
    """All 150 articles with their `lex` spans, sorted by year and file name."""
    docs: list[BasilDoc] = []
    for path in sorted((folder / "articles").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text, starts = text_and_sentence_starts(raw["body-paragraphs"])
        ann_path = folder / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        annotations = json.loads(ann_path.read_text(encoding="utf-8"))
        spans: list[GoldSpan] = []
        for ann in annotations["phrase-level-annotations"]:
            if ann["bias"] != "lex":
                continue
            for offset, sentence in starts:
                if sentence[ann["start"] : ann["end"]] == ann["txt"]:
                    start = offset + ann["start"]
                    spans.append(
                        GoldSpan(start, start + len(ann["txt"]), ann["txt"], ann["quote"] == "yes")
                    )
                    break
        article = Article(
            id=path.stem,
            outlet=OUTLETS.get(raw["source"], raw["source"]),
            title=raw.get("title"),
            text=text,
            url=raw.get("url"),
        )
        docs.append(BasilDoc(int(path.parent.name), raw["triplet-uuid"], article, spans))
    return docs
