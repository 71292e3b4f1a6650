"""`grounding`: claimed spans are their articles' text; quotations verbatim, rightly attributed.

A quotation in the checked text must appear word for word (up to case, whitespace, quote marks
and dashes; "..." may stand for left-out words) in one source. A quotation that is close to a
source's words but not equal is an altered quote; one with no close match is not in any source.
Both are errors: they put words in someone's mouth. A verbatim quotation attributed to a person
other than the one the source names is an error too.
"""

from __future__ import annotations

import re

from ..annotate import Sentence
from ..quote_search import ArticleIndex, normalise
from ..schema import Article, Finding
from .context import CheckContext
from .speakers import blank_quotes, context_names, quote_speakers, speaker_names
from .words import script_word_spans

CHECK = "grounding"
CLOSE_MATCH = 0.6
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…|\[[^\]]*\])\s*")
_EDGE = " \t\n\"'“”‘’,.;:!?()"


def _pieces(quote: str) -> list[str]:
    """The verbatim parts of a quotation: split at ellipses and bracketed editorial insertions."""
    return [p.strip(_EDGE) for p in _ELLIPSIS.split(quote) if p.strip(_EDGE)]


def _find_in(index: ArticleIndex, pieces: list[str]) -> tuple[int, int] | None:
    """Offsets in the article of the pieces found in order, normalised; None if any is missing."""
    pos = 0
    first: int | None = None
    last = 0
    for piece in pieces:
        needle = normalise(piece)
        at = index.norm.find(needle, pos)
        if at < 0:
            return None
        if first is None:
            first = index.norm_map[at]
        last = index.norm_map[at + len(needle) - 1] + 1
        pos = at + len(needle)
    return (first or 0, last)


def _source_speakers(ctx: CheckContext, article: Article, start: int) -> set[str] | None:
    """Names the source gives as the speaker of the quotation at `start`, or None if unclear.

    The attribution may sit in any sentence the quotation spans ("“... . ...,” Zelensky said").
    """
    sentences = ctx.sources.split[article.id]
    region = ctx.sources.quotes(article.id).region_at(start)
    end = region[1] - 1 if region else start
    # From the sentence where the quotation opens: its attribution is there ("He added, “...").
    begin = region[0] if region else start
    first = next((i for i, s in enumerate(sentences) if s.start <= begin < s.end), None)
    last = next((i for i, s in enumerate(sentences) if s.start <= end < s.end), first)
    if first is None or last is None:
        return None
    lo, hi = sentences[first].start, sentences[last].end
    # The verb that governs this quotation first; else whoever the sentences name as speaker.
    qs, qe = region if region else (start, start)
    names, indirect = quote_speakers(article.text, lo, hi, qs, qe)
    if not names and not indirect:
        names, indirect = speaker_names(article.text, lo, hi)
    if names and not indirect:
        return names
    # A pronoun, a title or no speech verb: the nearest speaker named around it stands in (a
    # quotation that runs on into the next sentence keeps its speaker), else the nearest subject.
    own = _subject(article.text, sentences[first].start, sentences[first].end)
    if own and not names and not indirect:
        return own  # "But Netanyahu pushed back..., first telling CNN, “...”"
    before = [i for i in range(first - 1, first - 4, -1) if i >= 0]
    # The sentence after counts only when it is a bare attribution ("“...!” Trump said.").
    after = [last + 1] if last + 1 < len(sentences) and len(sentences[last + 1].text) < 60 else []
    for i in before + after:
        named, vague = speaker_names(article.text, sentences[i].start, sentences[i].end)
        if named and not vague:
            return named | names
    for i in before:
        subject = _subject(article.text, sentences[i].start, sentences[i].end)
        if subject:
            return subject | names
    lo = sentences[max(0, first - 3)].start
    hi = sentences[min(len(sentences) - 1, last + 1)].end
    # Still unclear: any name around it may be meant, and so may the story's protagonist, whom
    # a run of "he said" often goes back to (named in the opening sentence).
    lede = _subject(article.text, sentences[0].start, sentences[0].end) if indirect else set()
    chained = _pronoun_chain(article, sentences, first)
    return context_names(article.text, lo, hi) | names | lede | chained or None


# How many sentences back a run of "he said" may go to the name it stands for.
_CHAIN = 8


def _pronoun_chain(article: Article, sentences: list[Sentence], first: int) -> set[str]:
    """The speaker a run of pronoun attributions goes back to: "Rep. Peter King ... said ...
    He said ... “...,” he told Fox News. “...”" gives King. Walks back over sentences that
    attribute to a pronoun or title, or say nothing outside quotation marks, to the nearest one
    that names its speaker; any other sentence breaks the run."""
    for i in range(first - 1, max(-1, first - 1 - _CHAIN), -1):
        s = sentences[i]
        named, vague = speaker_names(article.text, s.start, s.end)
        if named and not vague:
            return named
        if not vague and script_word_spans(blank_quotes(article.text, s.start, s.end)):
            return set()
    return set()


def _other_person(claimed: set[str], options: set[str], ctx: CheckContext) -> bool:
    """True when the shared name is a family name and the text's given name is someone else's:
    "Liz Cheney wrote" for words the sources give to Mary Cheney."""
    text = ctx.sources.all_text.lower()
    return any(
        f"{given} {family}" in text and f"{other} {family}" in text
        for family in claimed & options
        for given in claimed - options
        for other in options - claimed
    )


def _subject(text: str, start: int, end: int) -> set[str]:
    """The name a sentence opens with ("Trump first announced..."), if it opens with one.

    Quoted words do not count (“Senate Bill 1062 ...,” she said), nor does a first word the text
    only capitalises at the start of a sentence ("Saying", "When", "But Netanyahu" -> Netanyahu).
    """
    toks = script_word_spans(blank_quotes(text, start, end))
    if toks and not _capitalised_mid_sentence(toks[0].text, text):
        toks = toks[1:]
    run = []
    for tok in toks[:4]:
        if tok.text[0].isupper():
            run.append(tok)
        elif run:
            break
    if not run or run[0] is not toks[0]:
        return set()
    return context_names(text, start + run[0].start, start + run[-1].end)


def _capitalised_mid_sentence(word: str, text: str) -> bool:
    return re.search(rf"[a-z,] {re.escape(word)}\b", text) is not None


def check_grounding(ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    checked = ctx.checked
    for unit in checked.units:
        for span in unit.claimed:
            try:
                article = ctx.sources.article(span.article_id)
            except KeyError:
                findings.append(
                    Finding(
                        check=CHECK,
                        severity="error",
                        message=f"cites article {span.article_id!r}, which is not a source",
                        location=checked.unit_location(unit),
                    )
                )
                continue
            if article.text[span.start : span.end] != span.text:
                findings.append(
                    Finding(
                        check=CHECK,
                        severity="error",
                        message=(
                            f"cites {span.start}:{span.end} of {ctx.sources.label(article.id)}, "
                            "but that is not the text the span holds"
                        ),
                        location=checked.unit_location(unit),
                    )
                )
    for qs, qe in checked.quotes.regions:
        findings += _check_quote(ctx, qs, qe)
    return findings


def _check_quote(ctx: CheckContext, qs: int, qe: int) -> list[Finding]:
    checked = ctx.checked
    quote = checked.text[qs:qe]
    pieces = _pieces(quote)
    if not pieces or not script_word_spans(" ".join(pieces)):
        return []
    location = checked.location(qs, qe)
    found: list[tuple[Article, int]] = []
    for article in ctx.sources.articles:
        hit = _find_in(ctx.sources.index(article), pieces)
        if hit is not None:
            found.append((article, hit[0]))
    if not found:
        closest = None
        for article in ctx.sources.articles:
            near = ctx.sources.index(article).locate(" ".join(pieces), CLOSE_MATCH)
            if near is not None and (closest is None or near.score > closest[1]):
                closest = (article, near.score, near.span.text)
        if closest is not None:
            article, _, source_words = closest
            return [
                Finding(
                    check=CHECK,
                    severity="error",
                    message=(
                        f"quotation {quote} differs from the words in "
                        f"{ctx.sources.label(article.id)}: “{source_words}”"
                    ),
                    location=location,
                    suggestion=f"quote the source exactly: “{source_words}”",
                )
            ]
        return [
            Finding(
                check=CHECK,
                severity="error",
                message=f"quotation {quote} appears in no source",
                location=location,
                suggestion="quote a source, or drop the quotation marks and attribute a paraphrase",
            )
        ]
    unit = checked.unit_at(qs)
    if unit is None:
        return []
    claimed, _ = quote_speakers(checked.text, unit.start, max(unit.end, qe), qs, qe)
    following = checked.unit_at(qe + 1) if unit.end <= qe else None
    if not claimed and following is not None and following is not unit and len(following.text) < 60:
        # “...!” Trump said. -- the attribution became a sentence of its own.
        claimed, _ = speaker_names(checked.text, following.start, following.end)
    if not claimed:
        return []
    # Only a source that quotes the words names a speaker for them; one that uses them in its
    # own voice ("America's Toughest Sheriff") says nothing about who said them.
    found = [(a, start) for a, start in found if ctx.sources.quotes(a.id).region_at(start)]
    if not found:
        return []
    options: set[str] = set()
    for article, start in found:
        speakers = _source_speakers(ctx, article, start)
        if speakers is None:
            return []  # some source leaves the speaker unclear: do not guess
        options |= speakers
    if claimed & options and not _other_person(claimed, options, ctx):
        return []
    article = found[0][0]
    said_by = sorted(_source_speakers(ctx, article, found[0][1]) or set())
    return [
        Finding(
            check=CHECK,
            severity="error",
            message=(
                f"quotation {quote} is attributed to {' '.join(sorted(claimed)).title()}, "
                f"but {ctx.sources.label(article.id)} gives it to someone else "
                f"({', '.join(n.title() for n in said_by)})"
            ),
            location=location,
            suggestion="attribute the quotation to the speaker the source names",
        )
    ]
