"""Loaded terms in articles: strong entries everywhere, weak ones only where context aims them."""

from __future__ import annotations

from evenhand.offline.loaded import about_people, article_terms, loaded_terms, main_actors
from evenhand.schema import Article, LoadedTerm

RYAN = Article(
    id="a",
    text=(
        "Representative Paul Ryan presented his budget on Tuesday. Mr. Ryan said the plan would "
        "balance the books. Ryan's budget slashes antipoverty programs, critics said.\n\n"
        "Without action, the rates paid to doctors will plummet on Jan. 1. The fierce competition "
        "for the committee seat will end next month.\n\n"
        "“It is a horrific policy,” Mr. Ryan said of the old rules. "
        "“These scoundrels have no right to reproach us,” one aide said.\n\n"
        "Critics called the plan outrageous, and the ministry rejected the charges as baseless."
    ),
)


def _found(terms: list[LoadedTerm]) -> dict[str, bool]:
    return {t.span.text: t.in_quote for t in terms}


def test_main_actors_are_people_mentioned_repeatedly() -> None:
    assert main_actors([RYAN.text]) == frozenset({"ryan"})
    # Named once in full, the surname then counts in every article of the cluster.
    other = "Ryan defended it. Ryan spoke again."
    assert main_actors(["Senator Paul Ryan spoke.", other]) == frozenset({"ryan"})
    assert main_actors(["Senator Paul Ryan spoke."]) == frozenset()


def test_about_people_needs_a_main_actor_or_a_personal_pronoun() -> None:
    actors = frozenset({"ryan"})
    assert about_people("Ryan's budget slashes antipoverty programs.", actors)
    assert about_people("He slammed the plan.", actors)
    assert not about_people("Rates will plummet on Jan. 1.", actors)
    assert not about_people("Smith slammed the plan.", actors)


def test_weak_words_are_reported_only_when_aimed_at_the_story_actors() -> None:
    found = _found(article_terms(RYAN))
    assert found["slashes"] is False  # outlet voice, about Ryan's budget
    assert "plummet" not in found  # about rates, not a person
    assert "fierce" not in found  # no actor in the sentence
    assert "horrific" not in found  # a weak word inside a quotation is the speaker's emphasis
    assert "outrageous" not in found  # weak and attributed to the critics


def test_strong_words_are_reported_in_quotes_and_attributions_too() -> None:
    found = _found(article_terms(RYAN))
    assert found["scoundrels"] is True
    assert found["baseless"] is True  # "rejected ... as baseless": the ministry's judgement


def test_actors_are_found_across_the_articles_of_a_cluster() -> None:
    lone = Article(id="b", text="Supporters hailed Ryan at the rally on Friday.")
    assert "hailed" not in _found(article_terms(lone))
    with_cluster = [t for t in loaded_terms([RYAN, lone]) if t.span.article_id == "b"]
    assert [t.span.text for t in with_cluster] == ["hailed"]


def test_style_guidance_terms_count_only_in_the_outlets_own_voice() -> None:
    from evenhand.lexicon import find_loaded
    from evenhand.offline.loaded import article_terms
    from evenhand.schema import Article

    text = (
        'Senator Ann Lee called it "a death tax on family farms" on Monday. '
        "The death tax would hit farms across the state."
    )
    # Both are lexicon matches of one `voice` entry; only the paper's own wording is reported.
    matches = [m for m in find_loaded(text) if m.text.lower() == "death tax"]
    assert [m.entry.strength for m in matches] == ["voice", "voice"]
    found = article_terms(Article(id="a", text=text))
    death_tax = [t for t in found if t.span.text.lower() == "death tax"]
    assert [(t.span.start, t.in_quote) for t in death_tax] == [(text.rindex("death tax"), False)]
