"""Who said what on news the attribution tagger never saw: PolNeAR dev (84 articles, 7 outlets).

    python evals/attribution.py                                      # the shipped model
    python evals/attribution.py --out evals/results/attribution.txt
    python evals/attribution.py --model build/attribution-tagger     # a freshly trained one

Two systems, scored per role (source, cue, content) with span precision/recall/F1:
- `speaker rules`: what the engine and the checker used before the attribution layer: the speech
  verbs of `checks/speakers.py` and the allegation/dispute cues of `offline/actors.py` as cues, the
  speaker names they give as sources, and the quotations those verbs govern as contents (the rules
  find no content for indirect speech);
- `attribution layer`: `annotate.attribution.attributions` (the tagger's spans linked by the
  dependency parse).

Two matchings: `any overlap` (a predicted span counts when it overlaps a gold span of the role) and
`half overlap` (the shared characters are at least half of the two spans' union). `linked` scores
whole attributions: a predicted attribution is right when its cue and its content each overlap
the cue and content of one gold attribution (and its source overlaps the gold source, when both
have one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.corpora import SHARED_DATA, part_of  # noqa: E402
from evals.polnear import ROLES, PolnearDoc, load_polnear  # noqa: E402
from evals.scoring import Tally  # noqa: E402

from evenhand.annotate.attribution import attributions  # noqa: E402
from evenhand.annotate.attribution_tagger import MODEL_DIR  # noqa: E402
from evenhand.annotate.document import AnnotatedDoc, annotate_all  # noqa: E402
from evenhand.checks.speakers import attributions as speech_verbs  # noqa: E402
from evenhand.checks.speakers import quote_speakers  # noqa: E402
from evenhand.offline.actors import sentence_actors  # noqa: E402

Range = tuple[int, int]


@dataclass(frozen=True)
class Predicted:
    source: Range | None
    cue: Range
    content: Range | None

    def role(self, role: str) -> Range | None:
        return {"source": self.source, "cue": self.cue, "content": self.content}[role]


def _overlap(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _half(a: Range, b: Range) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return shared > 0 and shared * 2 >= union


def _name_span(
    doc: AnnotatedDoc, names: frozenset[str], lo: int, hi: int, verb: int
) -> Range | None:
    """The run of the sentence's tokens spelling the speaker's name nearest the verb."""
    runs: list[list[int]] = []
    for t in doc.tokens_in(lo, hi):
        if t.text.lower() in names:
            if runs and runs[-1][1] >= t.start - 1:
                runs[-1][1] = t.end
            else:
                runs.append([t.start, t.end])
    if not runs:
        return None
    best = min(runs, key=lambda r: min(abs(r[0] - verb), abs(r[1] - verb)))
    return (best[0], best[1])


def speaker_rules(doc: AnnotatedDoc) -> list[Predicted]:
    out: list[Predicted] = []
    text = doc.text
    for sentence in doc.sentences:
        lo, hi = sentence.start, sentence.end
        quotes = [q for q in doc.quotes.regions if lo <= q[0] and q[1] <= hi]
        for verb in speech_verbs(text, lo, hi):
            source = _name_span(doc, verb.names, lo, hi, verb.start) if verb.names else None
            content = None
            for q in quotes:
                names, indirect = quote_speakers(text, lo, hi, q[0], q[1])
                if (names and names == set(verb.names)) or (indirect and verb.indirect):
                    content = q
                    break
            out.append(Predicted(source, (verb.start, verb.end), content))
        for actor in sentence_actors(sentence.text):
            cue = (lo + actor.cue.start, lo + actor.cue.end)
            if any(_overlap(cue, p.cue) for p in out):
                continue
            at = sentence.text.find(actor.name)
            source = (lo + at, lo + at + len(actor.name)) if at >= 0 else None
            out.append(Predicted(source, cue, None))
    return out


def attribution_layer(model: Path) -> Callable[[AnnotatedDoc], list[Predicted]]:
    def run(doc: AnnotatedDoc) -> list[Predicted]:
        return [Predicted(a.source, a.cue, a.content) for a in attributions(doc, model)]

    return run


def score(
    docs: list[PolnearDoc],
    annotated: list[AnnotatedDoc],
    system: Callable[[AnnotatedDoc], list[Predicted]],
) -> dict[str, Tally]:
    tallies = {f"{role} {how}": Tally() for role in ROLES for how in ("any", "half")}
    tallies["linked"] = Tally()
    for doc, ann in zip(docs, annotated, strict=True):
        predicted = system(ann)
        for role in ROLES:
            gold = doc.spans(role)
            spans = sorted({r for p in predicted if (r := p.role(role)) is not None})
            for how, match in (("any", _overlap), ("half", _half)):
                tally = tallies[f"{role} {how}"]
                tally.predicted += len(spans)
                tally.hits += sum(any(match(s, g) for g in gold) for s in spans)
                tally.gold += len(gold)
                tally.found += sum(any(match(g, s) for s in spans) for g in gold)
        linked = tallies["linked"]
        golds = [
            (
                (a.source[0][0], a.source[-1][1]) if a.source else None,
                (a.cue[0][0], a.cue[-1][1]) if a.cue else None,
                (a.content[0][0], a.content[-1][1]) if a.content else None,
            )
            for a in doc.attributions
        ]

        def same(p: Predicted, g: tuple[Range | None, Range | None, Range | None]) -> bool:
            source, cue, content = g
            if cue is None or content is None or p.content is None:
                return False
            if not (_overlap(p.cue, cue) and _overlap(p.content, content)):
                return False
            return source is None or p.source is None or _overlap(p.source, source)

        linked.predicted += len(predicted)
        linked.hits += sum(any(same(p, g) for g in golds) for p in predicted)
        linked.gold += len(golds)
        linked.found += sum(any(same(p, g) for p in predicted) for g in golds)
    return tallies


def _report(split: str, data: Path, model: Path) -> list[str]:
    docs = load_polnear(split, data)
    if split == "train":
        # The part of the train split the tagger was not trained on (evals/corpora.py part_of).
        docs = [d for d in docs if part_of(d.key) == "valid"]
    annotated = annotate_all(d.text for d in docs)
    systems = {
        "speaker rules": score(docs, annotated, speaker_rules),
        "attribution layer": score(docs, annotated, attribution_layer(model)),
    }
    n = sum(len(d.attributions) for d in docs)
    lines = [
        f"PolNeAR {'train, valid part' if split == 'train' else split}: "
        f"{len(docs)} articles, {n} gold attributions",
        "",
        "precision / recall / F1",
        "| role | matching | " + " | ".join(systems) + " |",
        "|---|---|" + "---|" * len(systems),
    ]
    for key in [f"{r} {h}" for r in ROLES for h in ("any", "half")] + ["linked"]:
        role, _, how = key.partition(" ")
        label = {"any": "any overlap", "half": "half overlap", "": "cue+content(+source)"}[how]
        cells = " | ".join(t[key].cell() for t in systems.values())
        lines.append(f"| {role} | {label} | {cells} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=MODEL_DIR)
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument(
        "--split",
        default="dev,train",
        help="comma-separated: dev, and train for its held-out `valid` part",
    )
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    lines: list[str] = []
    for split in args.split.split(","):
        lines += [*_report(split, args.data, args.model), ""]
    report = "\n".join(lines).rstrip()
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
