"""The report contract: pydantic models whose JSON Schema is committed under `schema/`.

These names are public. Changing a field changes the contract: regenerate the committed schema
(`make schema`) and bump `SCHEMA_VERSION`: the minor number when fields are added, the major
number when a field is removed or changes meaning.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._version import __version__

# 1.1: `LoadedTerm.confidence` and `LoadedTerm.origin` added.
# 2.0: a contested claim names its actors (`ContestedClaim.actors`: who holds it and who disputes
# it, with evidence and the outlets that report them) and carries a `confidence`; an outlet's
# `Position.stance` may be `omits` (the outlet does not report the claim). Both claim fields are
# required, so a 1.x report does not validate as 2.0.
SCHEMA_VERSION = "2.0"

Stance = Literal["asserts", "disputes", "reports", "omits"]
"""What an outlet does with a claim: states it (`asserts`) or rejects it (`disputes`) in its own
voice, reports the actors' positions without taking one (`reports`), or leaves it out (`omits`)."""
ActorStance = Literal["asserts", "disputes"]
ActorKind = Literal["person", "organisation", "government", "group", "outlet", "other"]
ClaimKind = Literal["disputed", "framing", "one_sided", "unsupported"]
Severity = Literal["error", "warning", "info"]
EngineName = Literal["offline", "llm"]
TermOrigin = Literal["model", "lexicon", "both", "llm"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Article(_Model):
    """One source article. `id` is stable and unique within a report."""

    id: str = Field(min_length=1, description="Stable id: the file stem, or given.")
    outlet: str | None = Field(default=None, description="The outlet that published it.")
    title: str | None = None
    text: str = Field(description="The article's body text; every Span's offsets index into it.")
    url: str | None = None


class Span(_Model):
    """A stretch of one article's text. Always `text == article.text[start:end]`."""

    article_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class SummarySentence(_Model):
    text: str
    support: list[Span] = Field(
        default_factory=list,
        description="Source spans backing the sentence; never empty for a sentence stating a fact.",
    )


class Position(_Model):
    """What one outlet does with a contested claim, with its own words as evidence.

    `stance` is the outlet's own: `asserts` or `disputes` in its own voice, `reports` (it carries
    the claim or the actors' positions without taking a side), or `omits` (it does not report the
    claim; no evidence).
    """

    article_id: str
    stance: Stance
    evidence: list[Span] = Field(default_factory=list)

    @model_validator(mode="after")
    def _omits_without_evidence(self) -> Position:
        if self.stance == "omits" and self.evidence:
            raise ValueError(f"article {self.article_id!r} omits the claim but has evidence")
        return self


class ActorPosition(_Model):
    """Someone who holds (`asserts`) or rejects (`disputes`) a contested claim.

    An actor is a person, an organisation, a government, a group, or an outlet speaking in its own
    voice (`kind="outlet"`, `actor` the outlet's name or article id). `evidence` are the words in
    which the outlets report the actor's position; `reported_by` lists the ids of those articles.
    """

    actor: str = Field(min_length=1, description="Who: a name, a group, or an outlet.")
    kind: ActorKind
    stance: ActorStance
    evidence: list[Span] = Field(default_factory=list)
    reported_by: list[str] = Field(
        description="Ids of the articles that report this actor's position."
    )

    @model_validator(mode="after")
    def _evidence_from_reporters(self) -> ActorPosition:
        stray = {s.article_id for s in self.evidence} - set(self.reported_by)
        if stray:
            raise ValueError(
                f"actor {self.actor!r}: evidence from {sorted(stray)} not in reported_by"
            )
        return self


class ContestedClaim(_Model):
    claim: str = Field(description="The claim in neutral wording.")
    kind: ClaimKind
    actors: list[ActorPosition] = Field(
        description="Who holds the claim and who disputes it, each with evidence."
    )
    positions: list[Position] = Field(description="What each outlet does with the claim.")
    note: str = Field(description="Who holds what, in a sentence.")
    confidence: float = Field(
        ge=0,
        le=1,
        description=(
            "How sure evenhand is that the sources contest this claim as described: a heuristic "
            "score from how many outlets carry it, whether both sides were found and how it was "
            "found (not a calibrated probability)."
        ),
    )

    def holders(self) -> list[ActorPosition]:
        return [a for a in self.actors if a.stance == "asserts"]

    def disputers(self) -> list[ActorPosition]:
        return [a for a in self.actors if a.stance == "disputes"]


class LoadedTerm(_Model):
    """Loaded wording in one article, with how sure evenhand is and what found it.

    `origin` is `model` (the shipped tagger), `lexicon` (the curated lexicon), `both`, or `llm`
    (a language-model engine reported it). The lexicon supplies `category`'s explanation and
    `neutral_alternative` where it has one; a term the tagger alone found may have none.
    """

    span: Span
    category: str
    in_quote: bool = Field(description="Inside quoted speech (true) or in the outlet's own voice.")
    neutral_alternative: str | None = None
    explanation: str
    confidence: float = Field(
        ge=0,
        le=1,
        description=(
            "Calibrated probability that annotators would mark the span as loaded; "
            "see the loaded-language tagger's model card."
        ),
    )
    origin: TermOrigin = Field(
        description=(
            "What found the term: `model` (the tagger), `lexicon` (the curated lexicon), "
            "`both`, or `llm` (reported by a language-model engine)."
        )
    )


class Location(_Model):
    """Where a finding applies.

    `target` names what was checked: a part of the report (`summary`, `contested_claims`,
    `loaded_language`), an `article`, or the editor's `draft`. `index` is the item's position in
    that list; `start`/`end` are character offsets in the checked text (the summary sentence, or the
    draft); `article_id` names the article concerned, if any.
    """

    target: Literal["summary", "contested_claims", "loaded_language", "article", "draft", "report"]
    index: int | None = None
    start: int | None = None
    end: int | None = None
    article_id: str | None = None


class Finding(_Model):
    check: str = Field(description="The check that produced it, e.g. `grounding`, `loaded_leak`.")
    severity: Severity
    message: str
    location: Location | None = None
    suggestion: str | None = Field(default=None, description="A fix, where one is known.")


class TokenUsage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    calls: int = 0
    estimated_cost_usd: float | None = None


class Provenance(_Model):
    engine: str
    model: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    token_usage: TokenUsage | None = None
    duration_ms: float
    created_at: datetime
    evenhand_version: str = __version__


def _span_errors(articles: list[Article], spans: list[tuple[str, Span]]) -> list[str]:
    by_id = {a.id: a for a in articles}
    errors: list[str] = []
    for where, span in spans:
        article = by_id.get(span.article_id)
        if article is None:
            errors.append(f"{where}: unknown article id {span.article_id!r}")
        elif span.end > len(article.text) or article.text[span.start : span.end] != span.text:
            errors.append(
                f"{where}: span {span.start}:{span.end} does not match article {span.article_id!r}"
            )
    return errors


class Report(_Model):
    """What `analyze` returns: a neutral summary, contested claims, loaded language and findings."""

    schema_version: str = SCHEMA_VERSION
    articles: list[Article]
    summary: list[SummarySentence]
    contested_claims: list[ContestedClaim]
    loaded_language: list[LoadedTerm]
    findings: list[Finding]
    provenance: Provenance

    def all_spans(self) -> list[tuple[str, Span]]:
        """Every span in the report, each with a short label of where it sits."""
        spans: list[tuple[str, Span]] = []
        for i, sentence in enumerate(self.summary):
            spans += [(f"summary[{i}]", s) for s in sentence.support]
        for i, claim in enumerate(self.contested_claims):
            for position in claim.positions:
                spans += [(f"contested_claims[{i}]", s) for s in position.evidence]
            for j, actor in enumerate(claim.actors):
                spans += [(f"contested_claims[{i}].actors[{j}]", s) for s in actor.evidence]
        spans += [(f"loaded_language[{i}]", t.span) for i, t in enumerate(self.loaded_language)]
        return spans

    @model_validator(mode="after")
    def _spans_match_articles(self) -> Report:
        ids = [a.id for a in self.articles]
        if len(set(ids)) != len(ids):
            raise ValueError("article ids must be unique")
        errors = _span_errors(self.articles, self.all_spans())
        known = set(ids)
        for i, claim in enumerate(self.contested_claims):
            for actor in claim.actors:
                errors += [
                    f"contested_claims[{i}]: actor {actor.actor!r} reported by unknown "
                    f"article {r!r}"
                    for r in actor.reported_by
                    if r not in known
                ]
        if errors:
            raise ValueError("; ".join(errors[:5]))
        return self

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


class CheckReport(_Model):
    """What `check` returns: findings anchored at character offsets in the editor's draft."""

    schema_version: str = SCHEMA_VERSION
    draft: str
    articles: list[Article]
    findings: list[Finding]
    provenance: Provenance

    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)
