"""The offline summary fits its sources: its length, its compression, and never a silent blank.

A short cluster gets a short summary and `max_words` stays the cap; loaded modifiers, sentence
adverbs and comment clauses in the outlet's voice are compressed away while quotes stay whole;
and when no sentence of the sources can be given neutrally, the report says why.
"""

from __future__ import annotations

import evenhand
from evenhand.annotate import annotate
from evenhand.engines.offline import OfflineEngine
from evenhand.offline.clean import _tidy
from evenhand.offline.compress import compress
from evenhand.offline.length import MIN_WORDS, target_words
from evenhand.schema import Article


def _compressed(text: str) -> str:
    return _tidy(compress(annotate(text), 0, len(text)).text)


def test_single_sentence_articles_each_with_a_flagged_term_get_a_finding_saying_why() -> None:
    # Every sentence leads with a loaded label that has no neutral alternative and cannot be cut
    # without breaking the sentence: no summary sentence can be written, and the report says so.
    articles = [
        Article(id="a", outlet="A", text="Thugs attacked the embassy in the capital on Friday."),
        Article(id="b", outlet="B", text="Thugs attacked the embassy in the city on Friday."),
        Article(id="c", outlet="C", text="Thugs stormed the embassy in the capital on Friday."),
    ]
    report = evenhand.analyze(articles)
    assert report.summary == []
    empty = [f for f in report.findings if f.check == "empty_summary"]
    assert len(empty) == 1
    assert empty[0].severity == "warning"
    assert empty[0].location is not None
    assert empty[0].location.target == "summary"
    assert "loaded wording in the outlet's own voice" in empty[0].message
    assert "3 sentences" in empty[0].message


def test_a_summary_written_carries_no_empty_summary_finding() -> None:
    articles = [
        Article(id="a", text="The city council approved a budget of ninety million dollars."),
        Article(id="b", text="The city council voted on Tuesday to approve the stadium budget."),
    ]
    draft = OfflineEngine().analyze(articles, max_words=130)
    assert draft.summary
    assert not [f for f in draft.findings if f.check == "empty_summary"]


def test_target_length_follows_the_sources_and_max_words_stays_the_cap() -> None:
    def article(i: int, n: int) -> Article:
        return Article(id=f"a{i}", text=" ".join(f"word{i}x{k}" for k in range(n)))

    short = [article(i, 20) for i in range(3)]
    neus_size = [article(i, 58) for i in range(3)]
    long = [article(i, 400) for i in range(3)]
    assert target_words(short, 130) == MIN_WORDS
    assert 60 <= target_words(neus_size, 130) <= 70
    assert target_words(long, 130) == 130
    assert target_words(long, 90) == 90
    # The same text given twice counts once.
    assert target_words([*neus_size, neus_size[0]], 130) == target_words(neus_size, 130)


def test_compression_drops_loaded_modifiers_sentence_adverbs_and_comment_clauses() -> None:
    assert _compressed(
        "Unsurprisingly, the radical senator slammed the disastrous bill, a shameful betrayal of "
        "voters."
    ) == ("The senator slammed the bill.")
    assert _compressed("Protesters stormed the embassy, a brazen assault on diplomacy.") == (
        "Protesters stormed the embassy."
    )


def test_compression_keeps_hedges_numbers_and_quotes() -> None:
    hedged = "The alleged attacker was arrested on Friday after the assault on the embassy."
    assert _compressed(hedged) == hedged
    numbers = "Florida on Sunday reported more than 15,000 new coronavirus cases."
    assert _compressed(numbers) == numbers
    quoted = "The senator called the bill “a disastrous, shameful betrayal” on Monday."
    assert _compressed(quoted) == quoted


def test_compressed_sentences_are_still_backed_by_their_spans() -> None:
    articles = [
        Article(
            id="a",
            text=(
                "The radical mayor sharply criticised the city council's budget plan on Tuesday. "
                "The plan would raise property taxes by two percent next year."
            ),
        ),
        Article(
            id="b",
            text=(
                "Mayor Jane Roe criticised the council's budget plan on Tuesday. "
                "Property taxes would rise by two percent next year under the plan."
            ),
        ),
    ]
    draft = OfflineEngine().analyze(articles, max_words=130)
    texts = {a.id: a.text for a in articles}
    assert draft.summary
    for sentence in draft.summary:
        assert "radical" not in sentence.text
        assert "sharply" not in sentence.text
        assert sentence.support
        for span in sentence.support:
            assert texts[span.article_id][span.start : span.end] == span.text
