"""Small builders shared by the check tests: hand-made articles and a draft's check context."""

from __future__ import annotations

from evenhand.checks import CheckContext, CheckedText, SourceIndex
from evenhand.schema import Article, ContestedClaim, LoadedTerm, Position, Span

A = Article(
    id="a",
    outlet="Daily A",
    text=(
        "Mayor Jane Holt said on Tuesday that the city would close the Elm Street bridge for "
        "repairs. “The bridge is no longer safe for heavy trucks,” Holt said. The closure will "
        "last six weeks, the city said. Council member Ray Ortiz claimed the repairs were "
        "ordered to punish his district, without offering evidence."
    ),
)
B = Article(
    id="b",
    outlet="Daily B",
    text=(
        "The city will close the Elm Street bridge for six weeks of repairs, Mayor Jane Holt "
        "announced Tuesday. Holt said engineers found cracks in two support beams. “We are "
        "not taking any chances,” said Tom Reed, the city engineer. Ray Ortiz, a council "
        "member, called the decision a reckless attack on his district."
    ),
)


def context(
    draft: str,
    articles: list[Article] | None = None,
    *,
    contested: list[ContestedClaim] | None = None,
    loaded: list[LoadedTerm] | None = None,
) -> CheckContext:
    return CheckContext(
        CheckedText.from_draft(draft),
        SourceIndex(articles or [A, B]),
        contested or [],
        loaded or [],
    )


def marked(draft: str, start: int | None, end: int | None) -> str:
    assert start is not None
    assert end is not None
    return draft[start:end]


def one_outlet_claim(claim: str, article_id: str, note: str) -> ContestedClaim:
    """A disputed claim one article asserts (its evidence, the article's first five
    characters, stands in for a quote), as a report would give it to the checks."""
    article = {a.id: a for a in (A, B)}[article_id]
    evidence = Span(article_id=article_id, start=0, end=5, text=article.text[:5])
    return ContestedClaim(
        claim=claim,
        kind="disputed",
        positions=[Position(article_id=article_id, stance="asserts", evidence=[evidence])],
        note=note,
        actors=[],
        confidence=0.5,
    )
