"""The model's quotes, located in the articles: `ModelAnswer` -> grounded `EngineResult`.

Models quote, code locates. A quote found exactly or after normalisation becomes a `Span`; a fuzzy
match becomes a `Span` of the source's own words plus a finding that the model misquoted; a quote
that cannot be found becomes a `grounding` finding. A claim left without any located evidence is
marked `unsupported`, never shown as backed; an actor keeps the quotes that were located, and
the articles they come from are the outlets that report it. A summary sentence without located
quotes keeps an empty `support` (the checks flag it). A located loaded term gets `origin="llm"`
and a confidence computed by code from its span (`term_confidence`), never asked of the model;
each claim's confidence is the engines' shared heuristic score (`claim_confidence`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..engines.base import EngineResult
from ..engines.claim_confidence import claim_confidence
from ..quote_search import ArticleIndex, Located, _strip_outer_quotes, make_span
from ..schema import (
    ActorPosition,
    Article,
    ContestedClaim,
    Finding,
    LoadedTerm,
    Location,
    Position,
    Span,
    SummarySentence,
    TokenUsage,
)
from ..text import QuoteIndex
from .answer_models import ModelAnswer

TermConfidence = Callable[[str, int, int], float]
"""`(article_text, start, end) -> confidence`: how likely the span is loaded wording (0-1)."""


def term_confidence(text: str, start: int, end: int) -> float:
    """The calibrated confidence of the annotation layer (shipped tagger and curated lexicon)
    that `text[start:end]` is loaded wording."""
    from ..annotate.loaded import span_confidence

    return span_confidence(text, start, end)


class _Grounder:
    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = {a.id: a for a in articles}
        self._indexes: dict[str, ArticleIndex] = {}
        self._quotes: dict[str, QuoteIndex] = {}
        self.findings: list[Finding] = []

    def index(self, article_id: str) -> ArticleIndex:
        if article_id not in self._indexes:
            self._indexes[article_id] = ArticleIndex(self.articles[article_id])
        return self._indexes[article_id]

    def in_quote(self, span: Span) -> bool:
        if span.article_id not in self._quotes:
            self._quotes[span.article_id] = QuoteIndex(self.articles[span.article_id].text)
        return self._quotes[span.article_id].contains(span.start, span.end)

    def note(
        self,
        message: str,
        location: Location,
        severity: str = "warning",
        suggestion: str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                check="grounding",
                severity="error" if severity == "error" else "warning",
                message=message,
                location=location,
                suggestion=suggestion,
            )
        )

    def _find(self, article_id: str, quote: str) -> Located | None:
        # Most quotes are exact: find those without building the article's normalised index.
        article = self.articles[article_id]
        q = _strip_outer_quotes(quote)  # the same first step as ArticleIndex.locate
        pos = article.text.find(q) if q else -1
        if pos >= 0:
            return Located(make_span(article, pos, pos + len(q)), "exact", 1.0)
        return self.index(article_id).locate(quote)

    def locate(
        self, quote: str, article_id: str, location: Location, *, anywhere: bool
    ) -> Span | None:
        """The span of `quote` in `article_id` (or, if `anywhere`, any article); else a finding."""
        found: Located | None = None
        if article_id in self.articles:
            found = self._find(article_id, quote)
        if found is None and anywhere:
            for other in self.articles:
                if other != article_id:
                    found = self._find(other, quote)
                    if found is not None:
                        break
        short = quote if len(quote) <= 90 else quote[:87] + "..."
        where = location.model_copy(
            update={"article_id": article_id if article_id in self.articles else None}
        )
        if found is None:
            known = (
                ""
                if article_id in self.articles
                else f" (the model named unknown article {article_id!r})"
            )
            self.note(
                f"the model's quote {short!r} is not in article {article_id!r}{known}; "
                "it was dropped",
                where,
                suggestion="use the source's exact words",
            )
            return None
        if found.method == "fuzzy":
            self.note(
                f"the model misquoted article {found.span.article_id!r}: it wrote {short!r}, "
                f"the source says {found.span.text!r} (similarity {found.score:.2f}); "
                "the source's words are used",
                where.model_copy(update={"article_id": found.span.article_id}),
                suggestion=f"quote the source exactly: {found.span.text!r}",
            )
        return found.span


def _unique(spans: list[Span]) -> list[Span]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for span in spans:
        key = (span.article_id, span.start, span.end)
        if key not in seen:
            seen.add(key)
            out.append(span)
    return out


def ground_answer(
    articles: Sequence[Article],
    answer: ModelAnswer,
    *,
    model: str | None,
    prompt_version: str | None,
    prompt_hash: str | None,
    token_usage: TokenUsage | None,
    confidence: TermConfidence = term_confidence,
) -> EngineResult:
    """The model's answer with every quote located; `confidence` scores each located term."""
    g = _Grounder(articles)

    summary = []
    for i, item in enumerate(answer.summary):
        here = Location(target="summary", index=i)
        spans = [g.locate(q.quote, q.article_id, here, anywhere=True) for q in item.quotes]
        summary.append(SummarySentence(text=item.text, support=_unique([s for s in spans if s])))

    claims = []
    for i, claim in enumerate(answer.contested_claims):
        here = Location(target="contested_claims", index=i)
        positions = []
        for position in claim.positions:
            if position.article_id not in g.articles:
                g.note(
                    f"claim {i + 1}: the model named unknown article {position.article_id!r}; "
                    "that position was dropped",
                    here,
                )
                continue
            if position.stance == "omits":  # an outlet that leaves the claim out has no evidence
                positions.append(Position(article_id=position.article_id, stance="omits"))
                continue
            # A position's evidence must come from its own article, or the stance is misattributed.
            spans = [
                g.locate(q, position.article_id, here, anywhere=False) for q in position.quotes
            ]
            positions.append(
                Position(
                    article_id=position.article_id,
                    stance=position.stance,
                    evidence=_unique([s for s in spans if s]),
                )
            )
        actors = []
        for actor in claim.actors:
            # Each quote names the article that reports the actor: those are its outlets.
            located = [g.locate(q.quote, q.article_id, here, anywhere=False) for q in actor.quotes]
            evidence = _unique([s for s in located if s])
            actors.append(
                ActorPosition(
                    actor=actor.actor,
                    kind=actor.kind,
                    stance=actor.stance,
                    evidence=evidence,
                    reported_by=list(dict.fromkeys(s.article_id for s in evidence)),
                )
            )
        backed = any(p.evidence for p in positions) or any(a.evidence for a in actors)
        kind = claim.kind if backed else "unsupported"
        claims.append(
            ContestedClaim(
                claim=claim.claim,
                kind=kind,
                actors=actors,
                positions=positions,
                confidence=claim_confidence(kind, actors, positions),
                note=claim.note
                if backed
                else f"No quote for this claim was found in the sources. {claim.note}",
            )
        )

    loaded = []
    for i, term in enumerate(answer.loaded_language):
        here = Location(target="loaded_language", index=i)
        span = g.locate(term.term, term.article_id, here, anywhere=False)
        if span is None:
            continue
        loaded.append(
            LoadedTerm(
                span=span,
                category=term.category,
                in_quote=g.in_quote(span),
                neutral_alternative=term.neutral_alternative,
                explanation=term.explanation,
                confidence=confidence(g.articles[span.article_id].text, span.start, span.end),
                origin="llm",
            )
        )

    return EngineResult(
        summary=summary,
        contested_claims=claims,
        loaded_language=loaded,
        findings=g.findings,
        model=model,
        prompt_version=prompt_version,
        prompt_hash=prompt_hash,
        token_usage=token_usage,
    )
