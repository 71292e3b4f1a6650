"""`balance`: how much of the checked text rests on each source.

Each supported sentence is credited to the source(s) whose wording backs it best (ties within a
small margin share the credit). When one outlet supplies most of the text while the others cover
the same event, the text tells one side's version: a warning. A source that supplies nothing at
all, when the text is otherwise balanced, is noted as info.
"""

from __future__ import annotations

from ..schema import Finding, Location
from .context import CheckContext
from .words import content_words

CHECK = "balance"
MIN_SENTENCES = 3
# The share above which one outlet dominates: higher with two sources, where an even split is 50%.
DOMINANT = {2: 0.75}
DOMINANT_MANY = 0.7
# Another source covers the same ground when it carries this share of the text's content words.
SAME_GROUND = 0.2
# The most outlets a message names one by one; the rest are counted.
NAMED = 3


def outlet_list(labels: list[str]) -> str:
    """Outlets for a message, each once ("AP (3 articles)"), the first `NAMED` by name and the
    rest counted ("and 12 more")."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    named = [f"{k} ({n} articles)" if n > 1 else k for k, n in counts.items()]
    if len(named) <= NAMED:
        return ", ".join(named)
    return f"{', '.join(named[:NAMED])} and {len(named) - NAMED} more outlets"


def share_table(ctx: CheckContext, credit: dict[str, float]) -> str:
    """The share of the text resting on each outlet, largest first: the first `NAMED` outlets
    by name, then the others together and how many supply nothing."""
    by_outlet: dict[str, float] = {}
    for k, v in credit.items():
        label = ctx.sources.label(k)
        by_outlet[label] = by_outlet.get(label, 0.0) + v
    ranked = sorted(by_outlet.items(), key=lambda kv: -kv[1])
    if len(ranked) <= NAMED + 1:
        return ", ".join(f"{k} {v:.0%}" for k, v in ranked)
    parts = [f"{k} {v:.0%}" for k, v in ranked[:NAMED] if v > 0]
    rest = [v for _, v in ranked[len(parts) :]]
    used = [v for v in rest if v > 0]
    if used:
        parts.append(f"{len(used)} other outlets {sum(used):.0%}")
    if len(rest) > len(used):
        parts.append(f"{len(rest) - len(used)} outlets 0%")
    return ", ".join(parts)


def shares(ctx: CheckContext) -> tuple[dict[str, float], int]:
    """Share of the supported sentences resting on each article, and how many sentences counted."""
    credit = {a.id: 0.0 for a in ctx.sources.articles}
    counted = 0
    for unit, support in zip(ctx.checked.units, ctx.supports, strict=True):
        if ctx.checked.quotes.contains(unit.start, unit.end):
            continue
        names = support.credited()
        if not names:
            continue
        counted += 1
        for name in names:
            credit[name] += 1 / len(names)
    if counted:
        credit = {k: v / counted for k, v in credit.items()}
    return credit, counted


def check_balance(ctx: CheckContext) -> list[Finding]:
    articles = ctx.sources.articles
    if len(articles) < 2:
        return []
    credit, counted = shares(ctx)
    if counted < MIN_SENTENCES:
        return []
    checked = ctx.checked
    where = (
        Location(target="draft", start=0, end=len(checked.text))
        if checked.target == "draft"
        else Location(target="summary")
    )
    text_words = set(content_words(checked.text))
    table = share_table(ctx, credit)
    top = max(credit, key=credit.__getitem__)
    limit = DOMINANT.get(len(articles), DOMINANT_MANY)
    if credit[top] >= limit:
        others = [a for a in articles if a.id != top]
        covering = [
            a
            for a in others
            if text_words
            and len(text_words & set(content_words(a.text))) / len(text_words) >= SAME_GROUND
        ]
        if covering:
            names = outlet_list([ctx.sources.label(a.id) for a in covering])
            return [
                Finding(
                    check=CHECK,
                    severity="warning",
                    message=(
                        f"{credit[top]:.0%} of the text rests on {ctx.sources.label(top)} "
                        f"although {names} cover the same event ({table})"
                    ),
                    location=where,
                    suggestion=f"draw on {names} as well, or say whose account this is",
                )
            ]
    unused = [k for k, v in credit.items() if v == 0.0]
    if unused:
        return [
            Finding(
                check=CHECK,
                severity="info",
                message=(
                    f"nothing in the text rests on "
                    f"{outlet_list([ctx.sources.label(k) for k in unused])} ({table})"
                ),
                location=where,
            )
        ]
    return []
