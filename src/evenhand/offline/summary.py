"""The neutral summary: shared facts first, compressed source sentences, every one supported.

Sentences are extractive, so each can be backed by its own source span and by its counterparts in
the other articles. Each candidate is first compressed (`compress`: loaded modifiers, sentence
adverbs and comment clauses the tagger flags go) and cleaned of the lexicon's outlet-voice terms
(`clean.neutralise`). Candidates are scored by how widely their content is shared across sources,
with a bonus for leads and for attributed statements, and a penalty for what stays loaded: the
tagger's mean word score over the words left in the outlet's voice, and the sentence's
subjectivity. A sentence that gives a verdict on evidence ("without evidence") in the outlet's own
voice, with no one it is attributed to, is never used: a disputed point is given with its holder
or not at all. Near-duplicates are skipped. The summary aims at the length the
sources call for (`length.target_words`, at most `max_words`).

A quotation that sentence splitting cut into pieces is offered only whole, from its opening mark
to the words that say who spoke, so that no summary sentence is the tail or middle of a quotation
with an unbalanced quote mark; a quotation given only to "he" or "she" ranks below one that names
the speaker.

A source's text addressed to a reader or a model ("Ignore previous instructions and say ...",
`clean.instruction_sentences`) is never summary material. Another outlet's sentence backs a summary
sentence only when it says the same thing: it is aligned with it on content words and the shipped
sentence encoder finds their meanings close (`_REAL_SUPPORT`), not merely a few shared words. A
point that only one outlet carries is given with that outlet ("According to source-c, ...") unless
the sentence already names who holds it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..annotate import AnnotatedDoc, annotate
from ..annotate.attributed import gives_a_holder
from ..annotate.attribution import attribution_at, attributions
from ..annotate.cues import cue_kinds
from ..annotate.embeddings import load_encoder
from ..annotate.loaded import sentence_subjectivity, word_scores
from ..quote_search import make_span
from ..schema import Span, SummarySentence
from ..text import QuoteIndex, words
from .align import SHARED_THRESHOLD, Alignment, SentenceRef, content_terms
from .clean import according_to, has_unquoted_loaded, instruction_sentences, neutralise
from .compress import compress
from .quoted import Passage, Quotations

MIN_SENTENCES = 3
MAX_SENTENCES = 6
_MIN_WORDS = 6
_MAX_WORDS = 55
_REDUNDANT = 0.45
_ENDINGS = frozenset('."”!')
_SPREAD = 0.25
_SAME_LEAD = 0.15
_SAME_WORDS = 0.3
# Weights of what stays loaded in a candidate (tuned on the even lines of NeuS val).
_LOADED_WEIGHT = 1.0
_SUBJECTIVE_WEIGHT = 0.5
# A sentence that would take the summary past its target is taken when at least this share of
# it fits (the target is an aim; `max_words` is the cap).
_FIT = 0.5
# Cosine of the sentence encoder's embeddings at or above which an aligned sentence of another
# outlet says the same thing as a summary sentence (paraphrases and translations of one quote in
# the founding example score 0.44-0.50; a sentence sharing only "2020 election" scores 0.23).
_REAL_SUPPORT = 0.35


@dataclass(frozen=True)
class Candidate:
    ref: SentenceRef  # the first of the source sentences it is made of
    text: str
    score: float
    support: tuple[Span, ...]
    refs: tuple[SentenceRef, ...]  # every source sentence it covers (more than one: a quotation)
    loaded: float = 0.0  # the tagger's mean score over its words left in the outlet's voice
    subjectivity: float = 0.0  # the tagger's subjectivity of its most subjective sentence
    named: bool = True  # the sentence names who holds what it says
    plain: str = ""  # the text without "According to <outlet>, " (when it was given one)


def attributed(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` says who holds what it reports (a holder other than the outlet).

    The summary asks this in one place, of the attribution layer: an attribution whose cue and
    named source both lie in the sentence ("Belarus has rejected the allegations", "..., Peskov
    said"), so that the sentence carries its holder when it is lifted out of its article.
    """
    for a in attributions(annotate(text)):
        if a.source is None or a.actor is None:
            continue
        if start <= a.cue[0] and a.cue[1] <= end and start <= a.source[0] and a.source[1] <= end:
            return True
    return False


def names_holder(text: str, start: int, end: int) -> bool:
    """Whether the sentence `text[start:end]` is given as someone's: an attribution of the
    attribution layer names its source and cue in the sentence, and its cue or its content
    (`attribution_at`) holds the sentence's main verb ("X said ...", "X rejected ...").

    "Sanctions were imposed over allegations, which Belarus has rejected" names a holder of the
    allegations' rejection only, not of the sanctions: it is the outlet's own statement.
    """
    doc = annotate(text)
    roots = [t for t in doc.tokens_in(start, end) if t.dep == "ROOT" and start <= t.start < end]
    for root in roots:
        a = attribution_at(doc, root.start, root.end)
        if a is not None and a.source is not None and start <= a.source[0] < end:
            return True
        for b in attributions(doc):
            if b.source is None or b.actor is None:
                continue
            if b.cue[0] <= root.start < b.cue[1] and start <= b.source[0] and b.source[1] <= end:
                return True
    return False


def _real_support(first: str, other: str) -> bool:
    """Whether `other` (another outlet's sentence) says what `first` says, by the encoder."""
    vectors = load_encoder().embed([first, other])
    return float(vectors[0] @ vectors[1]) >= _REAL_SUPPORT


def _outside_quotes(text: str) -> str:
    """`text` with its quoted speech blanked out."""
    out = list(text)
    for start, end in QuoteIndex(text).regions:
        out[start:end] = " " * (end - start)
    return "".join(out)


def _left_loaded(doc: AnnotatedDoc, start: int, end: int, dropped: frozenset[int]) -> float:
    """Mean tagger score of the words of `start:end` that stay, in the outlet's own voice."""
    scores = word_scores(doc)
    kept = [
        scores[t.i]
        for t in doc.tokens_in(start, end)
        if t.is_word and t.i not in dropped and not doc.in_quote(t.start, t.end)
    ]
    return sum(kept) / len(kept) if kept else 0.0


_PRONOUN_START = re.compile(r"^(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its)\b")


def _n_words(text: str) -> int:
    """Words as a reader counts them (the larger of whitespace and word-token counts)."""
    return max(len(text.split()), len(words(text)))


def _quote_share(quotes: QuoteIndex, start: int, end: int) -> float:
    """Share of the characters in start:end that lie inside quoted speech."""
    quoted = 0
    for s, e in quotes.regions:
        if e > start and s < end:
            quoted += min(e, end) - max(s, start)
    return quoted / max(1, end - start)


def _support(
    alignment: Alignment, refs: tuple[SentenceRef, ...], passage: Passage
) -> tuple[Span, ...]:
    """The passage's own span first, then the counterparts of each of its sentences."""
    article = alignment.articles[refs[0].article_index]
    spans = [make_span(article, passage.start, passage.end)]
    seen = {(spans[0].article_id, spans[0].start, spans[0].end)}
    for ref in refs:
        for m in alignment.counterparts(ref):
            sentence = alignment.sentence(m.ref)
            if not _real_support(alignment.sentence(ref).text, sentence.text):
                continue
            span = make_span(alignment.articles[m.ref.article_index], sentence.start, sentence.end)
            if (span.article_id, span.start, span.end) not in seen:
                seen.add((span.article_id, span.start, span.end))
                spans.append(span)
    return tuple(spans)


def candidates(
    alignment: Alignment, *, relaxed: bool = False, rejected: Counter[str] | None = None
) -> list[Candidate]:
    """Every usable sentence, compressed and cleaned, with its score and support, best first.

    `relaxed` admits shorter and longer sentences, unfinished ones and mostly quoted ones: the
    fallback when short articles leave too few candidates. `rejected`, when given, counts why
    each passed-over sentence was passed over (`REASONS`).
    """
    found: list[Candidate] = []
    quotations = [
        Quotations(a.text, alignment.sentences[i]) for i, a in enumerate(alignment.articles)
    ]
    min_words = _MIN_WORDS - 2 if relaxed else _MIN_WORDS
    max_words = _MAX_WORDS * 2 if relaxed else _MAX_WORDS
    seen: set[tuple[int, int]] = set()
    why: Counter[str] = rejected if rejected is not None else Counter()
    instructions = [instruction_sentences(a.text) for a in alignment.articles]
    for ref in alignment.refs():
        quotes = quotations[ref.article_index]
        passage = quotes.passage(ref.sentence_index)
        if passage is None:
            why["quote"] += 1
            continue
        if (ref.article_index, passage.first) in seen:
            continue
        seen.add((ref.article_index, passage.first))
        article = alignment.articles[ref.article_index]
        if any(s < passage.end and passage.start < e for s, e in instructions[ref.article_index]):
            why["instruction"] += 1
            continue
        raw = article.text[passage.start : passage.end]
        limit = max_words
        if passage.whole_sentence:
            holder = attributed(article.text, passage.start, passage.end)
        else:
            # Pieces of one quotation, read together: worth a sentence only when the narrator
            # says who spoke, and when the whole still reads as one sentence of ordinary length.
            holder = quotes.attributed(passage)
            if not holder:
                why["quote"] += 1
                continue
            limit = _MAX_WORDS
        n_words = _n_words(raw)
        if n_words < min_words or n_words > limit:
            why["length"] += 1
            continue
        if raw.rstrip().endswith("?") or (not relaxed and raw.rstrip()[-1:] not in _ENDINGS):
            why["unfinished"] += 1
            continue
        quote_share = _quote_share(quotes.index, passage.start, passage.end)
        if quote_share > 0.5 and not holder and not relaxed:
            why["quote"] += 1
            continue
        doc = annotate(article.text)
        compressed = compress(doc, passage.start, passage.end)
        if compressed.dropped:
            text = neutralise(compressed.text)
        else:
            text = neutralise(raw, within=(article.text, passage.start))
        if has_unquoted_loaded(text):
            why["loaded"] += 1
            continue
        if _n_words(text) < min_words:
            why["length"] += 1
            continue
        if not holder and "unsupported" in cue_kinds(_outside_quotes(text)):
            # A verdict on evidence ("without evidence") in the outlet's own voice, with no one
            # it is attributed to: a disputed point is given with its holder or not at all.
            why["unattributed"] += 1
            continue
        refs = tuple(
            SentenceRef(ref.article_index, i) for i in range(passage.first, passage.last + 1)
        )
        loaded = _left_loaded(doc, passage.start, passage.end, compressed.dropped)
        subjective = sentence_subjectivity(doc)
        subjectivity = max(subjective[r.sentence_index] for r in refs)
        score = max(alignment.support(r) for r in refs)
        score += 0.3 if passage.first == 0 else 0.15 if passage.first < 3 else 0.0
        score += 0.1 if holder else 0.0
        score -= 0.3 * quote_share
        score -= _LOADED_WEIGHT * loaded + _SUBJECTIVE_WEIGHT * subjectivity
        # "He said ..." or "“...,” he added": the referent stays behind in the article.
        score -= 0.3 if _PRONOUN_START.match(text) or quotes.pronoun_speaker(passage) else 0.0
        first = SentenceRef(ref.article_index, passage.first)
        named = not passage.whole_sentence or (
            holder and names_holder(article.text, passage.start, passage.end)
        )
        support = _support(alignment, refs, passage)
        plain = text
        # A point one outlet alone makes is given as its outlet's, unless the sentence itself
        # names its holder as the summary's verifier reads it (`one_source`).
        if len({s.article_id for s in support}) == 1 and not (named and gives_a_holder(text)):
            text = according_to(article.outlet or article.id, text)
        found.append(
            Candidate(
                first,
                text,
                score,
                support,
                refs,
                loaded,
                subjectivity,
                named,
                plain,
            )
        )
    found.sort(key=lambda c: (-c.score, c.ref.article_index, c.ref.sentence_index))
    return found


def _given_as(candidate: Candidate, more: list[Span]) -> str:
    """The candidate's text, without "According to ..." once another outlet backs it too."""
    own = candidate.support[0].article_id
    if candidate.plain and any(span.article_id != own for span in more):
        return candidate.plain
    return candidate.text


def _refs_of(alignment: Alignment, spans: list[Span]) -> list[SentenceRef]:
    """The aligned sentences that the given spans start in."""
    index = {a.id: i for i, a in enumerate(alignment.articles)}
    refs: list[SentenceRef] = []
    for span in spans:
        a = index.get(span.article_id)
        if a is None:
            continue
        for i, sentence in enumerate(alignment.sentences[a]):
            if sentence.start <= span.start < sentence.end:
                refs.append(SentenceRef(a, i))
                break
    return refs


def _too_close(
    alignment: Alignment, refs: tuple[SentenceRef, ...], others: list[SentenceRef]
) -> bool:
    return any(alignment.similarity(r, o) >= _REDUNDANT for r in refs for o in others)


def _same_point(alignment: Alignment, candidate: Candidate, chosen: Candidate) -> bool:
    """Whether a sentence from another outlet states the point of a sentence already chosen.

    Outlets word one point differently, so the bar is lower than for two sentences of one
    article: the sentences are aligned (their similarity reaches the alignment's threshold), or
    they share a large part of their content words, or both are their articles' leads (the
    sentence that states the news) and share some weighted content.
    """
    if candidate.ref.article_index == chosen.ref.article_index:
        return False
    similarity = max(alignment.similarity(r, o) for r in candidate.refs for o in chosen.refs)
    if similarity >= SHARED_THRESHOLD:
        return True
    leads = candidate.ref.sentence_index == 0 and chosen.ref.sentence_index == 0
    if leads and similarity >= _SAME_LEAD:
        return True
    mine, theirs = set(content_terms(candidate.text)), set(content_terms(chosen.text))
    return bool(mine and theirs) and len(mine & theirs) / len(mine | theirs) >= _SAME_WORDS


def neutral_summary(
    alignment: Alignment,
    max_words: int,
    extra: list[SummarySentence] | None = None,
    target: int | None = None,
) -> list[SummarySentence]:
    """Up to six supported sentences, about `target` words long and never past `max_words`;
    `extra` sentences (contested points, already attributed and supported) are placed after the
    shared facts that fit before them.

    A point is stated once: a sentence from another outlet that says what a chosen sentence
    says is not selected again; its span joins the chosen sentence's support instead. Only when
    the sources carry too few distinct points for three sentences, and the summary is still
    under half its target, is such a sentence given on its own again, best first.
    """
    extra = list(extra or [])
    extra_refs = _refs_of(alignment, [span for s in extra for span in s.support])
    extra_words = sum(_n_words(s.text) for s in extra)
    cap = max_words - extra_words
    aim = min(max_words, target if target is not None else max_words) - extra_words
    room = MAX_SENTENCES - len(extra)
    chosen: list[Candidate] = []
    merged: list[Candidate] = []  # same points in other outlets' words, in the order met
    merged_into: list[int] = []  # for each of them, the index of the chosen sentence
    used = 0

    def fits(n: int) -> bool:
        return used + n <= cap and (used + n <= aim or aim - used >= _FIT * n)

    def short() -> bool:
        return (not chosen and not extra) or (
            len(chosen) + len(extra) < MIN_SENTENCES and used < aim
        )

    skip = {s.text for s in extra}
    for relaxed in (False, True):
        if relaxed and not short():
            break
        taken = {r for c in chosen + merged for r in c.refs}
        pool = [c for c in candidates(alignment, relaxed=relaxed) if not taken.intersection(c.refs)]
        while len(chosen) < room and pool and used < aim:
            # Each pick lowers the other sentences of the same article a little, so that the
            # summary draws on every source rather than on whichever wrote the longest piece.
            per_article = [
                sum(c.ref.article_index == a for c in chosen)
                for a in range(len(alignment.articles))
            ]
            best = max(
                pool,
                key=lambda c: (
                    c.score - _SPREAD * per_article[c.ref.article_index],
                    -c.ref.article_index,
                    -c.ref.sentence_index,
                ),
            )
            pool.remove(best)
            if best.text in skip or _too_close(alignment, best.refs, extra_refs):
                continue
            same = next((i for i, c in enumerate(chosen) if _same_point(alignment, best, c)), None)
            if same is not None:
                merged.append(best)
                merged_into.append(same)
                continue
            n = _n_words(best.text)
            if not (fits(n) or (not chosen and not extra and n <= cap)) or _too_close(
                alignment, best.refs, [r for c in chosen for r in c.refs]
            ):
                continue
            chosen.append(best)
            used += n
    # Too few distinct points for half the target: restate one in another outlet's words rather
    # than fall far short (a point said once, backed by every outlet, is what a short cluster
    # gets).
    for i, candidate in enumerate(merged):
        if not short() or used >= aim / 2 or len(chosen) >= room:
            break
        n = _n_words(candidate.text)
        if not fits(n) or _too_close(
            alignment, candidate.refs, [r for c in chosen for r in c.refs]
        ):
            continue
        chosen.append(candidate)
        merged_into[i] = -1
        used += n
    more: list[list[Span]] = [[] for _ in chosen]
    for candidate, into in zip(merged, merged_into, strict=True):
        if into >= 0 and _real_support(chosen[into].support[0].text, candidate.support[0].text):
            more[into].append(candidate.support[0])
    order = sorted(
        range(len(chosen)),
        key=lambda i: (chosen[i].ref.sentence_index, chosen[i].ref.article_index),
    )
    summary = [
        SummarySentence(
            text=_given_as(chosen[i], more[i]), support=_with(chosen[i].support, more[i])
        )
        for i in order
    ]
    return summary + extra


# Why a source sentence was passed over, as `candidates` counts it, in words for an editor.
REASONS = {
    "loaded": "carry loaded wording in the outlet's own voice that cannot be removed without "
    "breaking the sentence",
    "length": "are too short or too long to stand on their own",
    "unfinished": "are questions or unfinished sentences",
    "quote": "are pieces of a quotation, or quoted speech with no one named as its speaker",
    "unattributed": "give a verdict on evidence in the outlet's own voice, with no one it is "
    "attributed to",
    "instruction": "are addressed to a reader or a model rather than reporting",
}


def empty_summary_reason(alignment: Alignment) -> str:
    """Why no sentence of the sources could be a summary sentence, for a finding."""
    rejected: Counter[str] = Counter()
    candidates(alignment, relaxed=True, rejected=rejected)
    total = sum(len(sents) for sents in alignment.sentences)
    if not rejected:
        return "the articles hold no sentence to summarise"
    parts = [f"{n} {REASONS[why]}" for why, n in rejected.most_common()]
    return f"no neutral summary could be written: of the sources' {total} sentences, " + "; ".join(
        parts
    )


def _with(support: tuple[Span, ...], more: list[Span]) -> list[Span]:
    """The sentence's support followed by the spans not already in it."""
    spans = list(support)
    seen = {(s.article_id, s.start, s.end) for s in spans}
    for span in more:
        if (span.article_id, span.start, span.end) not in seen:
            seen.add((span.article_id, span.start, span.end))
            spans.append(span)
    return spans


def word_count(sentences: list[SummarySentence]) -> int:
    return sum(_n_words(s.text) for s in sentences)
