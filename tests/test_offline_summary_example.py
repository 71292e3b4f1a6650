"""The offline summary of the founding example (two outlets on Lukashenko and Russian troops).

Every summary sentence is backed by both articles where both carry its point, no outlet-voice
loaded term survives (the lexicon's or the tagger's), and the disputed election result is given
with its holders, never in the summary's own voice.
"""

from __future__ import annotations

import re

import pytest

import evenhand
from evenhand.annotate import annotate
from evenhand.annotate.cues import cue_kinds
from evenhand.annotate.loaded import word_scores
from evenhand.data import example_paths
from evenhand.offline.align import align
from evenhand.offline.compress import MODIFIER_SCORE
from evenhand.schema import Report


@pytest.fixture(scope="module")
def report() -> Report:
    return evenhand.analyze(example_paths())


def test_each_sentence_is_backed_by_every_article_that_carries_its_point(report: Report) -> None:
    alignment = align(report.articles)
    index = {a.id: i for i, a in enumerate(report.articles)}
    assert report.summary
    for sentence in report.summary:
        own = sentence.support[0]
        a = index[own.article_id]
        refs = [
            ref
            for ref in alignment.refs()
            if ref.article_index == a
            and alignment.sentence(ref).start < own.end
            and own.start < alignment.sentence(ref).end
        ]
        carried = {
            report.articles[m.ref.article_index].id
            for ref in refs
            for m in alignment.counterparts(ref)
        }
        backing = {span.article_id for span in sentence.support}
        assert carried <= backing, (sentence.text, carried, backing)
    assert {span.article_id for s in report.summary for span in s.support} == {
        "source-a",
        "source-b",
    }


def test_no_outlet_voice_loaded_wording(report: Report) -> None:
    text = " ".join(s.text for s in report.summary)
    for term in report.loaded_language:
        if not term.in_quote:
            assert term.span.text.lower() not in text.lower()
    # Nor a word the tagger itself scores as loaded, outside quotation marks.
    doc = annotate(text)
    scores = word_scores(doc)
    loud = [
        t.text
        for t in doc.tokens
        if t.is_word
        and t.pos in {"ADJ", "ADV"}
        and scores[t.i] >= MODIFIER_SCORE
        and not doc.in_quote(t.start, t.end)
    ]
    assert not loud, loud


def test_disputed_election_result_is_attributed(report: Report) -> None:
    disputed = [s for s in report.summary if re.search(r"fraud|rigg|allegation", s.text)]
    assert disputed
    for sentence in disputed:
        assert cue_kinds(sentence.text) & {"allegation", "dispute", "report"}
    text = " ".join(s.text for s in report.summary)
    assert "without providing any evidence" not in text
    assert "baseless" not in text
