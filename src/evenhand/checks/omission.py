"""`omission`: a fact the sources share that the checked text leaves out (info).

The offline engine's cross-source alignment (`evenhand.offline.align`) pairs each sentence with
its best counterpart in every other article. A sentence whose counterparts reach every other
source is a shared fact. With three or more sources, outlets choose different details and word
the same fact differently, so a sentence that a majority of them carry (aligned at the engine's
own, stricter threshold) is a shared fact too. Its core is the words at least two of those
sentences use. The text covers the fact when one of its sentences carries most of that core.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Finding, Location
from .context import CheckContext
from .words import content_words, excerpt

CHECK = "omission"
MAX_FINDINGS = 5
COVERED = 0.5
COVERED_WORDS = 6
# Looser than the engine's own threshold: a fact told in different words still counts as shared.
ALIGNED = 0.2


@dataclass(frozen=True)
class SharedFact:
    article_id: str
    start: int
    end: int
    text: str
    core: frozenset[str]
    strength: float  # mean alignment score with its counterparts
    position: float  # how early the fact comes in its article (0 = first sentence)
    reach: int = 0  # how many sources report it


def shared_facts(ctx: CheckContext) -> list[SharedFact]:
    from ..offline.align import SHARED_THRESHOLD, align

    articles = ctx.sources.articles
    if len(articles) < 2:
        return []
    alignment = align(articles)
    # A majority of at least two: with three sources, two of them.
    majority = max(2, len(articles) // 2 + 1)
    seen: set[tuple[int, int]] = set()
    facts: list[SharedFact] = []
    for ref in alignment.refs():
        if (ref.article_index, ref.sentence_index) in seen:
            continue
        matches = alignment.counterparts(ref, ALIGNED)
        if len({m.ref.article_index for m in matches}) < len(articles) - 1:
            matches = alignment.counterparts(ref, SHARED_THRESHOLD)
            if 1 + len({m.ref.article_index for m in matches}) < majority:
                continue
        group = [ref] + [m.ref for m in matches]
        seen.update((r.article_index, r.sentence_index) for r in group)
        bags = [set(content_words(alignment.sentence(r).text)) for r in group]
        counts: dict[str, int] = {}
        for bag in bags:
            for w in bag:
                counts[w] = counts.get(w, 0) + 1
        core = frozenset(w for w, c in counts.items() if c >= 2)
        if len(core) < 3:
            continue
        sentence = alignment.sentence(ref)
        total = max(1, len(alignment.sentences[ref.article_index]))
        facts.append(
            SharedFact(
                article_id=articles[ref.article_index].id,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                core=core,
                strength=sum(m.score for m in matches) / len(matches),
                position=ref.sentence_index / total,
                reach=1 + len({m.ref.article_index for m in matches}),
            )
        )
    return facts


def _who_reports(reach: int, sources: int) -> str:
    return "every source reports" if reach >= sources else f"{reach} of {sources} sources report"


def check_omission(ctx: CheckContext) -> list[Finding]:
    units = [frozenset(content_words(u.text)) for u in ctx.checked.units]
    missing: list[SharedFact] = []
    for fact in shared_facts(ctx):
        # Half the core, or for a long core (a list of names) a good handful of its words.
        shared = max((len(fact.core & u) for u in units), default=0)
        if shared / len(fact.core) < COVERED and shared < COVERED_WORDS:
            missing.append(fact)
    # Key facts first: reported by the most sources, then closely aligned and early in the
    # article (news puts what matters first).
    missing.sort(key=lambda f: (-f.reach, f.position - f.strength))
    n = len(ctx.sources.articles)
    return [
        Finding(
            check=CHECK,
            severity="info",
            message=(
                f"{_who_reports(fact.reach, n)} this, and the text leaves it out: "
                f"“{excerpt(fact.text, 200)}” ({ctx.sources.label(fact.article_id)})"
            ),
            location=Location(
                target="article", article_id=fact.article_id, start=fact.start, end=fact.end
            ),
            suggestion="consider adding it",
        )
        for fact in missing[:MAX_FINDINGS]
    ]
