"""The offline summary never lifts a piece of a quotation out of its quote marks.

Sentence splitting cuts a multi-sentence quotation into several sentences; the summary must give
either the whole quoted passage with the words that say who spoke, or nothing of it.
"""

from __future__ import annotations

from evenhand.engines.offline import OfflineEngine
from evenhand.offline.align import align
from evenhand.offline.claims import claim_summary_sentences, contested_claims
from evenhand.offline.summary import candidates
from evenhand.schema import Article, SummarySentence
from evenhand.text import quote_marks_balance, quote_regions

QUOTE = (
    "“We have quite a strong, united, and compact armed force… If it is not enough, Russian "
    "armed forces will be introduced… If it is necessary, we will not hesitate,”"
)
FRAGMENT = "If it is necessary, we will not hesitate,”"


def _cuts_a_quotation(articles: list[Article], sentence: SummarySentence) -> bool:
    """Whether the sentence's own source span starts or ends inside a quoted passage."""
    span = sentence.support[0]
    text = next(a.text for a in articles if a.id == span.article_id)
    return any(s < span.start < e or s < span.end < e for s, e in quote_regions(text))


def _assert_whole_quotations(articles: list[Article]) -> list[str]:
    summary = OfflineEngine().analyze(articles).summary
    assert summary, "the summary should not be empty"
    for sentence in summary:
        assert quote_marks_balance(sentence.text), sentence.text
        assert not _cuts_a_quotation(articles, sentence), sentence.text
    return [s.text for s in summary]


def _talks(quote_attribution: str) -> Article:
    return Article(
        id="a",
        outlet="Outlet A",
        text=(
            "Belarus held talks with Russia on Friday about military cooperation.\n"
            f"{QUOTE} {quote_attribution}\n"
            "The talks ended without a joint statement from the two governments."
        ),
    )


PARAPHRASE = Article(
    id="b",
    outlet="Outlet B",
    text=(
        "Belarus and Russia discussed military cooperation at talks on Friday.\n"
        "President Alexander Lukashenko said that if it is necessary, Belarus will not hesitate "
        "to bring in Russian armed forces.\n"
        "No joint statement was issued after the talks."
    ),
)


def test_the_tail_of_a_quotation_is_not_a_summary_sentence() -> None:
    texts = _assert_whole_quotations([_talks("he added."), PARAPHRASE])
    assert not any(FRAGMENT in t and not t.startswith("“We have") for t in texts)


def test_a_split_quotation_becomes_the_whole_passage_with_its_speaker() -> None:
    alignment = align([_talks("Lukashenko added."), PARAPHRASE])
    texts = [c.text for c in candidates(alignment) if c.ref.article_index == 0]
    passage = f"{QUOTE} Lukashenko added."
    assert passage in texts
    # No candidate is a piece of it: the head, the middle or the tail alone.
    assert [t for t in texts if "armed force" in t or "hesitate," in t] == [passage]
    whole = next(c for c in candidates(alignment) if c.text == passage)
    article = alignment.articles[0]
    assert whole.support[0].text == article.text[article.text.index("“") :].split("\n")[0]


def test_a_quotation_too_long_for_one_sentence_is_left_out() -> None:
    long_quote = " ".join(
        f"The {n} district will get a new school and a new clinic before the winter comes."
        for n in ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
    )
    a = Article(
        id="a",
        text=(
            "The governor presented the plan for the eight districts on Monday.\n"
            f"“{long_quote}” the governor said.\n"
            "The plan still needs the approval of the state assembly."
        ),
    )
    b = Article(
        id="b",
        text=(
            "On Monday the governor presented a plan for eight districts.\n"
            "Every district will get a new school and a new clinic before the winter.\n"
            "The state assembly must approve the plan."
        ),
    )
    for relaxed in (False, True):
        texts = [c.text for c in candidates(align([a, b]), relaxed=relaxed)]
        assert not any("winter comes" in t for t in texts)
        assert not any("the governor said" in t for t in texts)
    _assert_whole_quotations([a, b])


def test_articles_made_only_of_quotations_give_no_fragments() -> None:
    a = Article(
        id="a",
        text=(
            "“We will rebuild the bridge by June. The money is already in the city budget. "
            "Nobody should doubt that.”\n\n"
            "“The old bridge was closed in March. Engineers found cracks in two of its piers. "
            "It could not stay open.”"
        ),
    )
    b = Article(
        id="b",
        text=(
            "“The bridge will be rebuilt by June. The money is in the budget. Do not doubt it.”\n\n"
            "“Cracks were found in two piers in March. The old bridge had to close. "
            "There was no choice.”\n\n"
            "The city council approved the repair plan on Tuesday, the mayor's office said."
        ),
    )
    summary = OfflineEngine().analyze([a, b]).summary
    for sentence in summary:
        assert quote_marks_balance(sentence.text), sentence.text
        assert not _cuts_a_quotation([a, b], sentence), sentence.text


def test_a_named_speaker_is_preferred_to_he_added() -> None:
    named = Article(
        id="b",
        outlet="Outlet B",
        text=(
            "Belarus and Russia discussed military cooperation at talks on Friday.\n"
            f"{QUOTE} Lukashenko added.\n"
            "No joint statement was issued after the talks."
        ),
    )
    texts = _assert_whole_quotations([_talks("he added."), named])
    assert f"{QUOTE} Lukashenko added." in texts
    assert not any(t.endswith("he added.") for t in texts)


def test_a_disputed_claim_quoted_in_pieces_is_summarised_whole() -> None:
    passage = (
        "“The count was rigged. We have the ballots to prove it. The commission denied us a "
        "recount,” opposition leader Jane Roe alleged on Monday."
    )
    a = Article(
        id="a",
        outlet="A",
        text=(
            "The election commission published the final count on Monday.\n"
            f"{passage}\n"
            "The commission rejected the allegations of fraud."
        ),
    )
    b = Article(
        id="b",
        outlet="B",
        text=(
            "The final count was published by the election commission on Monday.\n"
            "She alleged that the count was rigged, a claim the commission denied.\n"
            "Observers said the vote was calm."
        ),
    )
    alignment = align([a, b])
    claims = contested_claims([a, b], alignment)
    sentences = claim_summary_sentences([a, b], alignment, claims, max_words=65)
    assert passage in [s.text for s in sentences]
    for sentence in sentences:
        assert quote_marks_balance(sentence.text), sentence.text
        assert not _cuts_a_quotation([a, b], sentence), sentence.text
