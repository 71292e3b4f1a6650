"""What every format shows the same way: article labels, snippets, where a finding applies."""

from __future__ import annotations

import re

from ..schema import ActorPosition, Article, ContestedClaim, Finding, LoadedTerm, Report, Span

# An outlet's own stance on a claim, in words.
STANCE_LABELS = {
    "asserts": "asserts in its own voice",
    "disputes": "disputes in its own voice",
    "reports": "reports",
    "omits": "omits",
}
# The two sides of a claim's actors, as headed in every format.
SIDE_LABELS = {"asserts": "who asserts", "disputes": "who disputes"}
KIND_LABELS = {
    "disputed": "disputed",
    "framing": "framing",
    "one_sided": "one-sided",
    "unsupported": "unsupported",
}
_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Runs of whitespace (newlines included) as one space."""
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int = 240) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = one_line(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def quoted(text: str, limit: int = 240) -> str:
    """A span's text in curly quotes, on one line; a span that opens with its own quotation
    mark is shown as it is, not wrapped in a second pair."""
    short = shorten(text, limit)
    return short if short[:1] in "“\"‘'" else f"“{short}”"


def article_label(article: Article) -> str:
    """`source-a (RT)`, or just the id when the outlet is unknown."""
    return f"{article.id} ({article.outlet})" if article.outlet else article.id


def labels(report: Report) -> dict[str, str]:
    return {a.id: article_label(a) for a in report.articles}


def badges(report: Report) -> dict[str, str]:
    """The short name of each article for an outlet badge: its outlet, else its id."""
    return {a.id: a.outlet or a.id for a in report.articles}


def actor_kind_text(actor: ActorPosition) -> str:
    """`person`, `government`, ...; an outlet speaking for itself is `outlet's own voice`."""
    return "outlet's own voice" if actor.kind == "outlet" else actor.kind


def actors_by_side(claim: ContestedClaim) -> list[tuple[str, list[ActorPosition]]]:
    """(`who asserts`, holders), (`who disputes`, disputers): the sides that have actors."""
    return [
        (SIDE_LABELS[side], [a for a in claim.actors if a.stance == side])
        for side in ("asserts", "disputes")
        if any(a.stance == side for a in claim.actors)
    ]


def outlet_only_evidence(claim: ContestedClaim, article_id: str) -> list[Span]:
    """An outlet's evidence that no actor of the claim already shows (so it is quoted once)."""
    shown = {(s.article_id, s.start, s.end) for a in claim.actors for s in a.evidence}
    position = next((p for p in claim.positions if p.article_id == article_id), None)
    if position is None:
        return []
    return [s for s in position.evidence if (s.article_id, s.start, s.end) not in shown]


def claim_confidence_text(claim: ContestedClaim) -> str:
    """`confidence 0.83`: the claim's heuristic score, two decimals."""
    return f"confidence {claim.confidence:.2f}"


def word_count(text: str) -> int:
    return len(text.split())


def counted(n: int, noun: str) -> str:
    """`1 word`, `2 words`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def context(article: Article, span: Span, width: int = 70) -> tuple[str, str, str]:
    """(before, the span's text, after): a little of the paragraph around a span, on one line."""
    text = article.text
    lo = max(0, span.start - width)
    hi = min(len(text), span.end + width)
    before = text[lo : span.start]
    after = text[span.end : hi]
    # Stay inside the span's paragraph, and start and end on word boundaries.
    if "\n" in before:
        before = before[before.rfind("\n") + 1 :]
    elif lo > 0 and " " in before:
        before = "…" + before[before.find(" ") + 1 :]
    if "\n" in after:
        after = after[: after.find("\n")]
    elif hi < len(text) and " " in after:
        after = after[: after.rfind(" ")] + "…"
    return _SPACE.sub(" ", before).lstrip(), span.text, _SPACE.sub(" ", after).rstrip()


def terms_by_article(report: Report) -> list[tuple[Article, list[LoadedTerm]]]:
    """Loaded terms grouped by article, in the report's article order, each group in text order."""
    groups: dict[str, list[LoadedTerm]] = {a.id: [] for a in report.articles}
    for term in report.loaded_language:
        groups.setdefault(term.span.article_id, []).append(term)
    return [
        (article, sorted(groups[article.id], key=lambda t: t.span.start))
        for article in report.articles
        if groups.get(article.id)
    ]


def voice(term: LoadedTerm) -> str:
    return "in a quote" if term.in_quote else "outlet's own voice"


# What found a term, in words: `model` is the shipped tagger.
ORIGIN_LABELS = {"model": "tagger", "lexicon": "lexicon", "both": "tagger+lexicon", "llm": "LLM"}
NO_ALTERNATIVE = "no neutral alternative listed"


def confidence_text(term: LoadedTerm) -> str:
    """`0.82`: the term's calibrated confidence, two decimals."""
    return f"{term.confidence:.2f}"


def term_source(term: LoadedTerm) -> str:
    """`0.82 tagger+lexicon`: how sure, and what found the term."""
    return f"{confidence_text(term)} {ORIGIN_LABELS[term.origin]}"


def alternative_text(term: LoadedTerm) -> str | None:
    """The neutral alternative; for a term only the tagger found and the lexicon does not list,
    a note that there is none (rather than nothing, or an invented one)."""
    if term.neutral_alternative:
        return term.neutral_alternative
    return NO_ALTERNATIVE if term.origin == "model" else None


def finding_where(finding: Finding) -> str:
    """Where a finding applies, in words: `summary sentence 2`, `article source-b`..."""
    loc = finding.location
    if loc is None:
        return ""
    names = {
        "summary": "summary sentence",
        "contested_claims": "contested claim",
        "loaded_language": "loaded term",
        "article": "article",
        "draft": "draft",
        "report": "report",
    }
    where = names[loc.target]
    if loc.index is not None:
        where += f" {loc.index + 1}"
    if loc.article_id and loc.target != "article":
        where += f", article {loc.article_id}"
    elif loc.article_id:
        where += f" {loc.article_id}"
    if loc.start is not None and loc.end is not None:
        where += f", characters {loc.start}-{loc.end}"
    return where


def findings_in_order(report: Report) -> list[Finding]:
    """Errors first, then warnings, then information; otherwise in the order found."""
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(report.findings, key=lambda f: rank[f.severity])


def header_line(report: Report) -> str:
    p = report.provenance
    parts = [
        f"{len(report.articles)} article{'s' if len(report.articles) != 1 else ''}",
        f"engine {p.engine}" + (f" ({p.model})" if p.model else ""),
        f"{p.duration_ms:.0f} ms",
        p.created_at.isoformat(timespec="seconds"),
        f"schema {report.schema_version}",
    ]
    return " · ".join(parts)
