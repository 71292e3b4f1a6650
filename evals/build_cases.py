"""Build eval cases from the research data in evals/data/ (BASIL dev triples and NeuS validation).

    python evals/build_cases.py                   # all 50 BASIL events + the NeuS sample
    python evals/build_cases.py --neus-every 6    # a denser or sparser NeuS sample

Each case is a folder under evals/cases/<case-id>/ holding its articles as .txt files (so the case
is self-contained and can be fed to `evenhand analyze` as is) and a `case.json` with the article
list, the expectations, the reference summary (NeuS) and a `provenance` block naming the exact
source file and line. Hand-written expectations live beside it in `curated.json`, which this
script never touches; the case loader merges them.

Where the expectations come from:
- BASIL: `loaded_terms` are the annotators' lexical-bias spans (`bias == "lex"`), located in the
  article text from their sentence offsets; `banned_in_summary` are the short ones written in the
  outlet's own voice (`quote == "no"`); `required_facts` are the event's main entities named by
  at least two of the three articles.
- NeuS: `reference_summary` is the AllSides editors' roundup (`val.target`, without its title);
  `required_facts` are the names and numbers of the roundup that at least two sources carry.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.basil import text_and_sentence_starts

EVALS = Path(__file__).resolve().parent
DATA = EVALS / "data"
CASES = EVALS / "cases"

BASIL_OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
NEUS_SIDES = ("left", "center", "right")
_GENERATED_PREFIXES = ("basil-", "neus-")
_MAX_BANNED_WORDS = 3
_MAX_FACTS = 6


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")


def _locate_annotation(ann: dict[str, Any], starts: list[tuple[int, str]]) -> int | None:
    """BASIL offsets index into one sentence of `body-paragraphs`; find the sentence they fit."""
    hits = [pos for pos, s in starts if s[ann["start"] : ann["end"]] == ann["txt"]]
    return hits[0] + ann["start"] if len(hits) == 1 else None


def _clean_term(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip(" \t\n\"'“”‘’.,;:!?()")).lower()


def _entity_alternatives(entity: str) -> list[str]:
    names = [entity]
    words = entity.split()
    if len(words) >= 2 and words[-1][:1].isupper():
        names.append(words[-1])  # "Michael Steele" is usually "Steele" after the first mention
    return names


def _basil_case(triplet: str, year: str, files: list[Path]) -> dict[str, Any]:
    articles: list[dict[str, Any]] = []
    loaded: list[dict[str, Any]] = []
    banned: list[str] = []
    entity_votes: Counter[str] = Counter()
    texts: dict[str, str] = {}
    provenance_files: list[str] = []
    event = ""
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        source = doc["source"].lower()
        text, starts = text_and_sentence_starts(doc["body-paragraphs"])
        texts[source] = text
        event = doc.get("main-event") or event
        articles.append(
            {
                "id": source,
                "outlet": BASIL_OUTLETS[source],
                "title": doc.get("title"),
                "url": doc.get("url"),
                "file": f"{source}.txt",
            }
        )
        entity_votes.update(set(doc.get("main-entities") or []))
        ann_path = DATA / "basil-dev" / "annotations" / year / f"{path.stem}_ann.json"
        provenance_files += [str(path.relative_to(EVALS)), str(ann_path.relative_to(EVALS))]
        annotations = json.loads(ann_path.read_text(encoding="utf-8"))
        for ann in annotations["phrase-level-annotations"]:
            if ann["bias"] != "lex":
                continue
            start = _locate_annotation(ann, starts)
            if start is None:
                continue
            end = start + len(ann["txt"])
            assert text[start:end] == ann["txt"]
            in_quote = ann["quote"] == "yes"
            loaded.append(
                {
                    "article_id": source,
                    "start": start,
                    "end": end,
                    "text": ann["txt"],
                    "in_quote": in_quote,
                    "annotation": ann["id"],
                }
            )
            term = _clean_term(ann["txt"])
            if not in_quote and term and len(term.split()) <= _MAX_BANNED_WORDS:
                banned.append(term)
    facts = []
    for entity, votes in sorted(entity_votes.items(), key=lambda kv: (-kv[1], kv[0])):
        names = _entity_alternatives(entity)
        if votes >= 2 and all(any(n in t for n in names) for t in texts.values()):
            facts.append({"fact": f"names {entity}", "any_of": names})
    return {
        "id": f"basil-{year}-{triplet[:8]}",
        "title": event,
        "articles": articles,
        "texts": texts,
        "expectations": {
            "loaded_terms": sorted(loaded, key=lambda t: (t["article_id"], t["start"])),
            "banned_in_summary": sorted(set(banned)),
            "contested_claims": [],
            "required_facts": facts[:_MAX_FACTS],
        },
        "reference_summary": None,
        "provenance": {
            "source": "basil-dev",
            "citation": "Fan et al. 2019, In Plain Sight: Media Bias Through the Lens of Factual "
            "Reporting (EMNLP)",
            "triplet_uuid": triplet,
            "files": provenance_files,
            "expectations": "loaded_terms: annotators' lex spans; banned_in_summary: outlet-voice "
            "lex spans of up to three words; required_facts: main entities named by the articles",
            "use": "research data, evaluation only; not shipped",
        },
    }


def basil_cases() -> list[dict[str, Any]]:
    by_triplet: dict[str, list[Path]] = {}
    years: dict[str, str] = {}
    for path in sorted((DATA / "basil-dev" / "articles").glob("*/*.json")):
        triplet = path.stem.rsplit("_", 1)[0]
        by_triplet.setdefault(triplet, []).append(path)
        years[triplet] = path.parent.name
    # Articles keep the order of their BASIL files (`<uuid>_1`, `_2`, `_3`).
    return [_basil_case(t, years[t], files) for t, files in sorted(by_triplet.items())]


_NEUS_PART = re.compile(r"TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<body>.*)", re.S)
_NAME = re.compile(r"\b(?:[A-Z][a-zA-Z'’.-]+(?:\s+(?:of\s+)?[A-Z][a-zA-Z'’.-]+)*|\d[\d,.]*%?)")
_NOT_WORDS = """The A An And But In On At Of For To As It Its This That These Those He She They
We His Her Their Others Some Many Most Both After Before While When Where Why What Who Meanwhile
However Also Still Yet Critics Supporters Officials Monday Tuesday Wednesday Thursday Friday
Saturday Sunday"""
_NOT_FACTS = frozenset(_NOT_WORDS.split())


def _neus_parts(line: str) -> list[tuple[str, str]]:
    parts = []
    for chunk in line.split(" [SEP] "):
        m = _NEUS_PART.match(chunk.strip())
        if m is None:
            raise ValueError(f"not a TITLE=> ... ARTICLE=> ... chunk: {chunk[:60]!r}")
        parts.append((m.group("title").strip(), m.group("body").strip()))
    return parts


def _reference_facts(reference: str, texts: list[str]) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in _NAME.finditer(reference):
        name = re.sub(r"^(?:The|A|An)\s+", "", m.group().rstrip(".,"))
        if name in _NOT_FACTS or len(name) < 2:
            continue
        # "Moore" after "Roy Moore", "Senate" before "Alabama Senate": one fact, not two.
        if any(name.lower() in s or s in name.lower() for s in seen):
            continue
        if sum(name in t for t in texts) >= 2:
            seen.add(name.lower())
            facts.append({"fact": f"mentions {name}", "any_of": [name]})
    return facts[:_MAX_FACTS]


def neus_cases(every: int) -> list[dict[str, Any]]:
    sources = (DATA / "neus-val" / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (DATA / "neus-val" / "val.target").read_text(encoding="utf-8").splitlines()
    cases = []
    for n, (line, target) in enumerate(zip(sources, targets, strict=True), start=1):
        if (n - 1) % every:
            continue
        parts = _neus_parts(line)
        if len(parts) != len(NEUS_SIDES):
            continue
        ((ref_title, reference),) = _neus_parts(target)
        texts = {side: body for side, (_, body) in zip(NEUS_SIDES, parts, strict=True)}
        cases.append(
            {
                "id": f"neus-{n:03d}",
                "title": ref_title,
                "articles": [
                    {
                        "id": side,
                        "outlet": f"{side}-rated outlet (AllSides)",
                        "title": title,
                        "url": None,
                        "file": f"{side}.txt",
                    }
                    for side, (title, _) in zip(NEUS_SIDES, parts, strict=True)
                ],
                "texts": texts,
                "expectations": {
                    "loaded_terms": [],
                    "banned_in_summary": [],
                    "contested_claims": [],
                    "required_facts": _reference_facts(reference, list(texts.values())),
                },
                "reference_summary": reference,
                "provenance": {
                    "source": "neus-val",
                    "citation": "Lee et al. 2022, NeuS: Neutral Multi-News Summarization for "
                    "Mitigating Framing Bias (NAACL)",
                    "files": ["data/neus-val/val.source", "data/neus-val/val.target"],
                    "line": n,
                    "expectations": "reference_summary: the AllSides editors' roundup; "
                    "required_facts: its names and numbers carried by at least two sources",
                    "use": "research data, evaluation only; not shipped",
                },
            }
        )
    return cases


def write_case(case: dict[str, Any], root: Path) -> None:
    folder = root / case["id"]
    curated = folder / "curated.json"
    kept = curated.read_text(encoding="utf-8") if curated.exists() else None
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for article in case["articles"]:
        _write(folder / article["file"], case["texts"][article["id"]])
    body = {k: v for k, v in case.items() if k != "texts"}
    _write(folder / "case.json", json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    if kept is not None:
        _write(curated, kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=CASES, help="cases folder")
    parser.add_argument(
        "--neus-every", type=int, default=6, help="take every Nth NeuS validation line"
    )
    args = parser.parse_args(argv)
    cases = basil_cases() + neus_cases(args.neus_every)
    args.out.mkdir(parents=True, exist_ok=True)
    # Drop generated cases that no longer exist; hand-written ones are never touched.
    wanted = {c["id"] for c in cases}
    for folder in args.out.iterdir():
        generated = folder.is_dir() and folder.name.startswith(_GENERATED_PREFIXES)
        if generated and folder.name not in wanted:
            shutil.rmtree(folder)
    for case in cases:
        write_case(case, args.out)
    kinds = Counter(c["provenance"]["source"] for c in cases)
    print(f"wrote {len(cases)} cases to {args.out}: {dict(kinds)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
