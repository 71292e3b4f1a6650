"""Runs the draft corpus (evals/drafts/*.json) through `evenhand.check`; prints detection rates.

Each corpus file holds one event: its sources (the bundled example or a BASIL dev triplet), a clean
draft written from the articles, and drafts with exactly one planted flaw each. A flawed draft is
the clean draft with one edit (`edit`: old text, new text) or, for a draft built from one outlet
only, a whole text. A planted flaw is detected when a finding of the expected check, at warning
or above (info for omissions), overlaps the expected place -- `at` (a substring of the flawed
draft) or, for an omission, `source` (a substring of the left-out source sentence) -- and the
clean draft has no such finding (so the flaw, not the check's noise, caused it).

A flaw's `check` names the check that must report it (or lists the checks that may), and its
optional `severity` the least severity that counts ("error" for a claim a source contradicts).
`variants` are drafts with one edit that must raise nothing: a loaded word inside an attribution
("Western governments say the vote was rigged"), a figure or date the sources give written
another way ("fifty thousand" for "50,000", "September 19" for "Sept. 19"). A variant is a false
alarm when an error or warning overlaps its `at` (a substring of the variant).

Events carry a `split`: "tuned" (the default; the checks were developed against these drafts),
"held-out" (written without looking at what the checks catch, though the checks were later tuned
while looking at them too), "fresh" (measured untouched once, then general fixes were made while
looking at its failures), "fresh-2" (written unseen and measured untouched after the last change
to the checks and the lexicon), "fresh-3" (PolNeAR dev articles of 2016 from Breitbart, Western
Journal and Politico, other years and outlets than BASIL; written before the `unsupported_claim`
check and the attribution-aware checks existed, measured untouched with the checks as they were,
then the new checks were developed while looking at its failures), "fresh-4" (PolNeAR dev
articles from Politico, Breitbart/UPI and USA Today, written at the same time as fresh-3 and not
looked at while the checks were changed: the honest figure for the new checks), or "fresh-5"
(PolNeAR dev articles of 2016 from The Washington Post and HuffPost, outlets no other PolNeAR
split draws on; written before the next round of fixes to the checks, measured untouched once
before them and again after them, never tuned on). The script prints each figure for each
split and for all events, so a gain on the drafts the checks were tuned on that does not carry
over shows up. PolNeAR events read the article copies in
`evals/data/polnear-dev/text/` (the first line is the title).

    python evals/check_corpus.py            # per-kind detection and clean false alarms, per split
    python evals/check_corpus.py --verbose  # every draft and what was found
    python evals/check_corpus.py --split fresh-3 --split fresh-4   # only these splits
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
POLNEAR = HERE / "data" / "polnear-dev" / "text"
OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
POLNEAR_OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
FLAW_KINDS = (
    "made_up_number",
    "altered_quote",
    "wrong_speaker",
    "loaded_label",
    "contested_as_fact",
    "one_outlet",
    "omitted_fact",
    "invented_claim",
    "reversed_claim",
    "number_in_words",
)
VARIANT_KINDS = ("attributed_loaded", "number_in_words", "date_format")


@dataclass(frozen=True)
class Planted:
    event: str
    kind: str
    checks: tuple[str, ...]  # the checks whose finding counts
    text: str
    at: tuple[int, int] | None  # expected offsets in the flawed draft
    source: str | None  # for omissions: a substring of the left-out source sentence
    severity: str = "warning"  # the least severity that counts (info for omissions)


@dataclass(frozen=True)
class Variant:
    """A draft with one edit that must raise no error or warning at `at`."""

    kind: str
    text: str
    at: tuple[int, int]


SPLITS = ("tuned", "held-out", "fresh", "fresh-2", "fresh-3", "fresh-4", "fresh-5")


@dataclass(frozen=True)
class Event:
    name: str
    articles: list[Article]
    clean: str
    flaws: list[Planted]
    split: str = "tuned"
    variants: list[Variant] = field(default_factory=list)


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


def polnear_articles(names: list[str]) -> list[Article]:
    """PolNeAR dev articles: id = the publisher code (with a number when one is repeated)."""
    articles: list[Article] = []
    for name in names:
        raw = (POLNEAR / f"{name}.txt").read_text(encoding="utf-8")
        title, _, body = raw.partition("\n\n")
        publisher = name.split("_", 1)[0]
        ident = publisher
        n = 2
        while any(a.id == ident for a in articles):
            ident, n = f"{publisher}-{n}", n + 1
        articles.append(
            Article(
                id=ident,
                outlet=POLNEAR_OUTLETS.get(publisher, publisher),
                title=title.strip().rstrip(".") or None,
                text=body.strip(),
            )
        )
    return articles


def _find(text: str, needle: str, where: str) -> tuple[int, int]:
    pos = text.find(needle)
    if pos < 0:
        raise ValueError(f"{where}: {needle!r} is not in the draft")
    return pos, pos + len(needle)


def apply_edit(clean: str, old: str, new: str) -> str:
    if clean.count(old) != 1:
        raise ValueError(f"edit target must occur exactly once in the clean draft: {old!r}")
    return clean.replace(old, new)


def load_event(path: Path) -> Event:
    spec = json.loads(path.read_text(encoding="utf-8"))
    sources = spec["sources"]
    if "basil" in sources:
        articles = basil_articles(sources["basil"])
    elif "polnear" in sources:
        articles = polnear_articles(sources["polnear"])
    else:
        articles = load_articles(example_paths(sources["bundled"]))
    clean: str = spec["clean"]
    flaws = []
    for flaw in spec["flaws"]:
        text = flaw["text"] if "text" in flaw else apply_edit(clean, *flaw["edit"])
        at = _find(text, flaw["at"], f"{path.name} {flaw['kind']}") if "at" in flaw else None
        checks = flaw["check"] if isinstance(flaw["check"], list) else [flaw["check"]]
        flaws.append(
            Planted(
                spec["event"],
                flaw["kind"],
                tuple(checks),
                text,
                at,
                flaw.get("source"),
                flaw.get("severity", "warning"),
            )
        )
    variants = []
    for variant in spec.get("variants", []):
        if variant["kind"] not in VARIANT_KINDS:
            raise ValueError(f"{path.name}: unknown variant kind {variant['kind']!r}")
        text = apply_edit(clean, *variant["edit"])
        where = f"{path.name} {variant['kind']} variant"
        variants.append(Variant(variant["kind"], text, _find(text, variant["at"], where)))
    split = spec.get("split", "tuned")
    if split not in SPLITS:
        raise ValueError(f"{path.name}: split must be one of {SPLITS}, not {split!r}")
    return Event(spec["event"], articles, clean, flaws, split, variants)


def load_corpus() -> list[Event]:
    return [load_event(p) for p in sorted(CORPUS.glob("*.json"))]


def serious(report: CheckReport) -> list[Finding]:
    return [f for f in report.findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]]


def detected(report: CheckReport, planted: Planted) -> Finding | None:
    """The finding that reports the planted flaw, if any."""
    articles = {a.id: a for a in report.articles}
    for f in report.findings:
        if f.check not in planted.checks or f.location is None:
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
        if SEVERITY_RANK[f.severity] < SEVERITY_RANK[planted.severity]:
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
    variants_flagged: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))

    def variant_rate(self, kind: str) -> tuple[int, int]:
        flagged = self.variants_flagged.get(kind, [])
        return sum(flagged), len(flagged)

    def rate(self, kind: str) -> tuple[int, int]:
        found = self.hits.get(kind, [])
        return sum(found), len(found)

    def total(self) -> tuple[int, int]:
        every = [hit for found in self.hits.values() for hit in found]
        return sum(every), len(every)


def false_alarm(report: CheckReport, variant: Variant) -> Finding | None:
    """An error or warning at the variant's edit, if any."""
    for f in serious(report):
        loc = f.location
        if loc is None or loc.start is None or loc.end is None:
            continue
        if loc.start < variant.at[1] and variant.at[0] < loc.end:
            return f
    return None


def run(verbose: bool = False, splits: list[str] | None = None) -> dict[str, Tally]:
    """Tallies for each split and for "all" (the events of `splits`, by default every one)."""
    tallies = {name: Tally() for name in (*SPLITS, "all")}
    for event in load_corpus():
        if splits and event.split not in splits:
            continue
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
        for variant in event.variants:
            alarm = false_alarm(check(variant.text, event.articles, report=report), variant)
            for tally in (tallies[event.split], tallies["all"]):
                tally.variants_flagged[variant.kind].append(alarm is not None)
            if verbose:
                mark = f"FLAGGED: {alarm.check}: {alarm.message}" if alarm else "quiet"
                print(f"   variant {variant.kind:<18} {mark}")
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
    lines.append("clean variants flagged at their edit")
    for kind in VARIANT_KINDS:
        lines.append(
            f"  {kind:<24}"
            + "".join(f"{_cell(*tallies[c].variant_rate(kind)):<22}" for c in columns)
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--split", action="append", choices=SPLITS, help="only these splits")
    args = parser.parse_args(argv)
    print(table(run(args.verbose, args.split)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
