"""Reading the NeuS/ALLSIDES validation split (evals/data/neus-val/) into articles and references.

`val.source` holds one event per line: three articles (left, centre, right), each written
`TITLE=> ... ARTICLE=> ...`, joined by ` [SEP] `. `val.target` holds, on the same line, the AllSides
editors' neutral roundup in the same `TITLE=> ... ARTICLE=> ...` form.

    from evals.neus import load_neus
    for triple in load_neus():
        triple.articles, triple.reference
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evenhand.schema import Article

NEUS_DIR = Path(__file__).resolve().parent / "data" / "neus-val"
SIDES = ("left", "center", "right")

_PART = re.compile(r"TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<body>.*)", re.S)


@dataclass(frozen=True)
class NeusTriple:
    line: int  # 1-based line number in val.source / val.target
    articles: list[Article]
    reference_title: str
    reference: str


def parse_parts(line: str) -> list[tuple[str, str]]:
    """(title, body) of each ` [SEP] `-separated `TITLE=> ... ARTICLE=> ...` chunk."""
    parts: list[tuple[str, str]] = []
    for chunk in line.split(" [SEP] "):
        m = _PART.match(chunk.strip())
        if m is None:
            raise ValueError(f"not a TITLE=> ... ARTICLE=> ... chunk: {chunk[:60]!r}")
        parts.append((m.group("title").strip(), m.group("body").strip()))
    return parts


def load_neus(folder: Path = NEUS_DIR) -> list[NeusTriple]:
    """Every line of the split whose source has exactly three parts (all 307 do)."""
    sources = (folder / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (folder / "val.target").read_text(encoding="utf-8").splitlines()
    triples: list[NeusTriple] = []
    for n, (source, target) in enumerate(zip(sources, targets, strict=True), start=1):
        parts = parse_parts(source)
        if len(parts) != len(SIDES):
            continue
        ((ref_title, reference),) = parse_parts(target)
        # A few lines carry an article with an empty body; it is left out (evenhand refuses
        # empty articles), so such a triple has two articles.
        articles = [
            Article(id=side, outlet=f"{side} (AllSides)", title=title or None, text=body)
            for side, (title, body) in zip(SIDES, parts, strict=True)
            if body.strip()
        ]
        triples.append(NeusTriple(n, articles, ref_title, reference))
    return triples
