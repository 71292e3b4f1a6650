"""Runs the draft corpus (evals/drafts/*.json) through `evenhand.check`; prints detection rates.

Each corpus file holds one event: its sources (the bundled example or a BASIL dev triplet), a clean
draft written from the articles, and drafts with exactly one planted flaw each. A flawed draft is
the clean draft with one edit (`edit`: old text, new text) or, for a draft built from one outlet
only, a whole text. A planted flaw is detected when a finding of the expected check, at warning
or above (info for omissions), overlaps the expected place -- `at` (a substring of the flawed
draft) or, for an omission, `source` (a substring of the left-out source sentence) -- and the
clean draft has no such finding (so the flaw, not the check's noise, caused it).

    python evals/check_corpus.py            # table of detection rate per flaw kind
    python evals/check_corpus.py --verbose  # every draft and what was found
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from evenhand import check
from evenhand.data import example_paths
from evenhand.pipeline import analyze
from evenhand.schema import SEVERITY_RANK, Article, CheckReport, Finding, Report
from evenhand.sources import load_articles

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "drafts"
BASIL = HERE / "data" / "basil-dev" / "articles"
OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
FLAW_KINDS = (
    "made_up_number",
    "altered_quote",
    "wrong_speaker",
    "loaded_label",
    "contested_as_fact",
    "one_outlet",
    "omitted_fact",
)


@dataclass(frozen=True)
class Planted:
    event: str
    kind: str
    check: str
    text: str
    at: tuple[int, int] | None  # expected offsets in the flawed draft
    source: str | None  # for omissions: a substring of the left-out source sentence


@dataclass(frozen=True)
class Event:
    name: str
    articles: list[Article]
    clean: str
    flaws: list[Planted]


def basil_articles(triplet: str) -> list[Article]:
    """A BASIL triplet as Articles: ids fox / nyt / hpo, paragraphs separated by blank lines."""
    articles = []
    for path in sorted(BASIL.glob(f"*/{triplet}_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        source = str(data["source"]).lower()
        text = "\n\n".join(" ".join(p) for p in data["body-paragraphs"])
        articles.append(
            Article(id=source, outlet=OUTLETS[source], title=data.get("title") or None, text=text)
        )
    return articles


def apply_edit(clean: str, old: str, new: str) -> str:
    if clean.count(old) != 1:
        raise ValueError(f"edit target must occur exactly once in the clean draft: {old!r}")
    return clean.replace(old, new)


def load_event(path: Path) -> Event:
    spec = json.loads(path.read_text(encoding="utf-8"))
    sources = spec["sources"]
    if "basil" in sources:
        articles = basil_articles(sources["basil"])
    else:
        articles = load_articles(example_paths(sources["bundled"]))
    clean: str = spec["clean"]
    flaws = []
    for flaw in spec["flaws"]:
        text = flaw["text"] if "text" in flaw else apply_edit(clean, *flaw["edit"])
        at = None
        if "at" in flaw:
            pos = text.find(flaw["at"])
            if pos < 0:
                raise ValueError(f"{path.name}: {flaw['at']!r} is not in the {flaw['kind']} draft")
            at = (pos, pos + len(flaw["at"]))
        flaws.append(
            Planted(spec["event"], flaw["kind"], flaw["check"], text, at, flaw.get("source"))
        )
    return Event(spec["event"], articles, clean, flaws)


def load_corpus() -> list[Event]:
    return [load_event(p) for p in sorted(CORPUS.glob("*.json"))]


def serious(report: CheckReport) -> list[Finding]:
    return [f for f in report.findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]]


def detected(report: CheckReport, planted: Planted) -> Finding | None:
    """The finding that reports the planted flaw, if any."""
    articles = {a.id: a for a in report.articles}
    for f in report.findings:
        if f.check != planted.check or f.location is None:
            continue
        loc = f.location
        if planted.kind == "omitted_fact":
            article = articles.get(loc.article_id or "")
            if (
                article is not None
                and loc.start is not None
                and loc.end is not None
                and planted.source
                and planted.source in article.text[loc.start : loc.end]
            ):
                return f
            continue
        if SEVERITY_RANK[f.severity] < SEVERITY_RANK["warning"]:
            continue
        if planted.at is None or loc.start is None or loc.end is None:
            continue
        if loc.start < planted.at[1] and planted.at[0] < loc.end:
            return f
    return None


def run(verbose: bool = False) -> dict[str, object]:
    events = load_corpus()
    hits: dict[str, list[bool]] = defaultdict(list)
    clean_flagged = 0
    for event in events:
        report: Report = analyze(event.articles)
        result = check(event.clean, event.articles, report=report)
        bad = serious(result)
        clean_flagged += bool(bad)
        if verbose:
            print(f"== {event.name}: clean draft, {len(bad)} error/warning")
            for f in bad:
                print(f"   {f.severity} {f.check}: {f.message}")
        for planted in event.flaws:
            # Detected: reported on the flawed draft, and not already on the clean one.
            found = detected(check(planted.text, event.articles, report=report), planted)
            if found is not None and detected(result, planted) is not None:
                found = None
            hits[planted.kind].append(found is not None)
            if verbose:
                mark = "found" if found else "MISSED"
                print(f"   {planted.kind:<18} {mark}" + (f": {found.message}" if found else ""))
    rates = {kind: (sum(v), len(v)) for kind, v in hits.items()}
    return {"events": len(events), "rates": rates, "clean_flagged": clean_flagged}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    figures = run(args.verbose)
    rates = figures["rates"]
    assert isinstance(rates, dict)
    events = figures["events"]
    assert isinstance(events, int)
    print(f"draft corpus: {events} events")
    print(f"{'flaw kind':<20} detected")
    total_hit = total = 0
    for kind in FLAW_KINDS:
        hit, n = rates.get(kind, (0, 0))
        total_hit += hit
        total += n
        print(f"{kind:<20} {hit}/{n} = {hit / n:.0%}" if n else f"{kind:<20} -")
    print(f"{'all planted flaws':<20} {total_hit}/{total} = {total_hit / max(1, total):.0%}")
    flagged = figures["clean_flagged"]
    assert isinstance(flagged, int)
    print(
        f"clean drafts with any error or warning: {flagged}/{events} = "
        f"{flagged / max(1, events):.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
