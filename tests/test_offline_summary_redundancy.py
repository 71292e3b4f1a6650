"""The offline summary states each point once, backed by every outlet that carries it.

Two outlets often open with the same news in different words. The summary gives that point in
one sentence and cites both outlets' sentences as its support, rather than saying it twice.
"""

from __future__ import annotations

from evenhand import load_articles
from evenhand.data import example_paths
from evenhand.engines.offline import OfflineEngine
from evenhand.schema import Article, SummarySentence

LEAD_A = (
    "Governor Jane Roe said on Monday that she would suspend the new water tax until the state "
    "audit is finished."
)
LEAD_B = (
    "Jane Roe announced Monday that the levy on water will be put on hold while auditors "
    "review the state's accounts, a pause critics had demanded."
)
A = Article(
    id="left",
    outlet="Left Daily",
    text=(
        f"{LEAD_A}\n"
        "The tax had added about twelve dollars to the average monthly household bill.\n"
        "Farmers in the northern valleys had protested outside the capitol for three weeks.\n"
        "The audit was ordered after the utility reported a deficit of forty million dollars."
    ),
)
B = Article(
    id="right",
    outlet="Right Times",
    text=(
        f"{LEAD_B}\n"
        "The state legislature will hold hearings on the utility's finances in April.\n"
        "Roe's office said refunds would be considered once the auditors publish their report.\n"
        "Several mayors welcomed the decision and asked for a permanent repeal of the charge."
    ),
)


def _slice(articles: list[Article], sentence: SummarySentence) -> None:
    texts = {a.id: a.text for a in articles}
    for span in sentence.support:
        assert texts[span.article_id][span.start : span.end] == span.text


def _holding(summary: list[SummarySentence], lead: str) -> list[SummarySentence]:
    """Summary sentences whose own source span (the first) is the given lead."""
    return [s for s in summary if s.support[0].text == lead]


def test_a_point_two_outlets_carry_is_stated_once_with_both_as_support() -> None:
    articles = [A, B]
    summary = OfflineEngine().analyze(articles, max_words=130).summary
    assert 3 <= len(summary) <= 6
    assert sum(len(s.text.split()) for s in summary) <= 130
    for sentence in summary:
        assert sentence.support
        _slice(articles, sentence)
    stating = _holding(summary, LEAD_A) + _holding(summary, LEAD_B)
    assert len(stating) == 1, [s.text for s in summary]
    cited = {(span.article_id, span.text) for span in stating[0].support}
    assert ("left", LEAD_A) in cited
    assert ("right", LEAD_B) in cited


def test_the_example_says_lukashenko_would_allow_troops_once() -> None:
    articles = load_articles(example_paths())
    summary = OfflineEngine().analyze(articles, max_words=130).summary
    text = " ".join(s.text for s in summary)
    troops = [s for s in summary if "Russian troops" in s.text]
    assert len(troops) == 1, text
    assert "if necessary" in troops[0].text
    assert "hesitate to invite" not in text
    # The other outlet's lead is cited as support for the one sentence that states the point.
    assert {span.article_id for span in troops[0].support} == {"source-a", "source-b"}
    assert any("would not hesitate to invite" in span.text for span in troops[0].support)
    for sentence in summary:
        _slice(articles, sentence)


BUDGET = "a budget of ninety million dollars"


def test_sources_with_one_point_give_it_once_backed_by_all() -> None:
    # Three one-sentence reports of one event (48 words in all): a short cluster gets a short
    # summary, so the one point is stated once, backed by the sentence of every outlet, rather
    # than restated in each outlet's words.
    articles = [
        Article(id="a", text=f"The city council approved {BUDGET} for the new stadium on Tuesday."),
        Article(
            id="b",
            text=(
                "The city council voted on Tuesday to approve ninety million dollars for the "
                "stadium, which supporters say will bring jobs."
            ),
        ),
        Article(
            id="c",
            text=(
                "The council backed the ninety million dollar stadium budget on Tuesday despite "
                "objections from residents."
            ),
        ),
    ]
    summary = OfflineEngine().analyze(articles, max_words=130).summary
    assert len(summary) == 1
    assert {span.article_id for span in summary[0].support} == {"a", "b", "c"}
    for sentence in summary:
        _slice(articles, sentence)
