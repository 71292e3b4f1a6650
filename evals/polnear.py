"""Reader of PolNeAR (Newell, Margolin and Ruths 2018): who said what in 2016 US campaign news.

Each article's brat file marks attributions as `Source`, `Cue` and `Content` spans (a span may
have several fragments, `start end;start end`) tied together by an `E` line. Some articles were
annotated by several annotators (one `.ann` file each, named `<article>_<annotator>.ann`); the
first file in name order is used, so every article counts once.

    from evals.polnear import load_polnear
    docs = load_polnear("train")   # or "dev"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from evals.corpora import SHARED_DATA

Role = Literal["source", "cue", "content"]
ROLES: tuple[Role, ...] = ("source", "cue", "content")
_ROLE_OF = {"Source": "source", "Cue": "cue", "Content": "content"}
_ANNOTATOR = re.compile(r"_[0-9a-f]{4}$")

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution: each role's fragments (offsets into the article's text); no source when
    the annotators found none ("Attribution-no-source")."""

    source: Fragments
    cue: Fragments
    content: Fragments

    def role(self, role: Role) -> Fragments:
        return {"source": self.source, "cue": self.cue, "content": self.content}[role]


@dataclass(frozen=True)
class PolnearDoc:
    key: str
    outlet: str
    text: str
    attributions: tuple[GoldAttribution, ...]

    def spans(self, role: Role) -> list[tuple[int, int]]:
        """Every gold span of one role, each fragment list joined into its outer range."""
        out = []
        for a in self.attributions:
            fragments = a.role(role)
            if fragments:
                out.append((fragments[0][0], fragments[-1][1]))
        return sorted(set(out))


def _fragments(offsets: str) -> Fragments:
    return tuple(
        (int(a), int(b)) for a, b in (part.split() for part in offsets.split(";") if part.strip())
    )


def read_ann(text: str, ann: str) -> tuple[GoldAttribution, ...]:
    spans: dict[str, tuple[str, Fragments]] = {}
    links: list[dict[str, str]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, _, offsets = fields[1].partition(" ")
            if label in _ROLE_OF:
                spans[fields[0]] = (_ROLE_OF[label], _fragments(offsets))
        elif line.startswith("E") and len(fields) >= 2:
            links.append(dict(arg.split(":", 1) for arg in fields[1].split()[1:] if ":" in arg))
    out: list[GoldAttribution] = []
    for link in links:
        roles: dict[str, Fragments] = {"source": (), "cue": (), "content": ()}
        for arg in link.values():
            if arg in spans:
                role, fragments = spans[arg]
                roles[role] = tuple(f for f in fragments if 0 <= f[0] < f[1] <= len(text))
        if roles["cue"] or roles["content"]:
            out.append(GoldAttribution(roles["source"], roles["cue"], roles["content"]))
    return tuple(out)


def load_polnear(split: str, data: Path = SHARED_DATA) -> list[PolnearDoc]:
    root = data / "polnear" / split
    if not root.is_dir():
        raise SystemExit(f"PolNeAR {split} split not found under {root}")
    chosen: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        chosen.setdefault(_ANNOTATOR.sub("", ann.stem), ann)
    docs = []
    for stem, ann in sorted(chosen.items()):
        text_path = root / "text" / f"{stem}.txt"
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        attributions = read_ann(text, ann.read_text(encoding="utf-8"))
        docs.append(PolnearDoc(stem, stem.split("_", 1)[0], text, attributions))
    return docs
