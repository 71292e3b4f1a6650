"""Runs the draft corpus (evals/drafts/*.json) through `evenhand.check`; prints detection rates.

Each corpus file holds one event: its sources (the bundled example or a BASIL dev triplet), a clean
draft written from the articles, and drafts with exactly one planted flaw each. A flawed draft is
the clean draft with one edit (`edit`: old text, new text) or, for a draft built from one outlet
only, a whole text. A planted flaw is detected when a finding of the expected check, at warning
or above (info for omissions), overlaps the expected place -- `at` (a substring of the flawed
draft) or, for an omission, `source` (a substring of the left-out source sentence) -- and the
clean draft has no such finding (so the flaw, not the check's noise, caused it).

Events carry a `split`: "tuned" (the default; the checks were developed against these drafts),
"held-out" (written without looking at what the checks catch, though the checks were later tuned
while looking at them too), "fresh" (measured untouched once, then general fixes were made while
looking at its failures) or "fresh-2" (written unseen and measured untouched after the last change
to the checks and the lexicon: the honest figure for drafts the checks have never met). The
script prints each figure for each split and for all events, so a gain on the
drafts the checks were tuned on that does not carry over shows up.

    python evals/check_corpus.py            # per-kind detection and clean false alarms, per split
    python evals/check_corpus.py --verbose  # every draft and what was found
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
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


SPLITS = ("tuned", "held-out", "fresh", "fresh-2")


@dataclass(frozen=True)
class Event:
    name: str
    articles: list[Article]
    clean: str
    flaws: list[Planted]
    split: str = "tuned"


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
    split = spec.get("split", "tuned")
    if split not in SPLITS:
        raise ValueError(f"{path.name}: split must be one of {SPLITS}, not {split!r}")
    return Event(spec["event"], articles, clean, flaws, split)


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


@dataclass
class Tally:
    """Detection per flaw kind and clean drafts flagged, for one set of events."""

    events: int = 0
    clean_flagged: int = 0
    hits: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))

    def rate(self, kind: str) -> tuple[int, int]:
        found = self.hits.get(kind, [])
        return sum(found), len(found)

    def total(self) -> tuple[int, int]:
        every = [hit for found in self.hits.values() for hit in found]
        return sum(every), len(every)


def run(verbose: bool = False) -> dict[str, Tally]:
    """Tallies for each split and for "all"."""
    tallies = {name: Tally() for name in (*SPLITS, "all")}
    for event in load_corpus():
        report: Report = analyze(event.articles)
        result = check(event.clean, event.articles, report=report)
        bad = serious(result)
        for tally in (tallies[event.split], tallies["all"]):
            tally.events += 1
            tally.clean_flagged += bool(bad)
        if verbose:
            print(f"== {event.name} ({event.split}): clean draft, {len(bad)} error/warning")
            for f in bad:
                print(f"   {f.severity} {f.check}: {f.message}")
        for planted in event.flaws:
            # Detected: reported on the flawed draft, and not already on the clean one.
            found = detected(check(planted.text, event.articles, report=report), planted)
            if found is not None and detected(result, planted) is not None:
                found = None
            for tally in (tallies[event.split], tallies["all"]):
                tally.hits[planted.kind].append(found is not None)
            if verbose:
                mark = "found" if found else "MISSED"
                print(f"   {planted.kind:<18} {mark}" + (f": {found.message}" if found else ""))
    return tallies


def _cell(hit: int, n: int) -> str:
    return f"{hit}/{n} = {hit / n:.0%}" if n else "-"


def table(tallies: dict[str, Tally]) -> str:
    columns = [name for name in (*SPLITS, "all") if tallies[name].events]
    head = f"{'':<26}" + "".join(
        f"{name + f' ({tallies[name].events} events)':<22}" for name in columns
    )
    lines = [head, "detection per flaw kind"]
    for kind in FLAW_KINDS:
        lines.append(
            f"  {kind:<24}" + "".join(f"{_cell(*tallies[c].rate(kind)):<22}" for c in columns)
        )
    lines.append(
        f"  {'all planted flaws':<24}"
        + "".join(f"{_cell(*tallies[c].total()):<22}" for c in columns)
    )
    lines.append(
        f"{'clean drafts with any':<26}"
        + "".join(f"{_cell(tallies[c].clean_flagged, tallies[c].events):<22}" for c in columns)
    )
    lines.append("  error or warning")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    print(table(run(args.verbose)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
