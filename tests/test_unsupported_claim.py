"""unsupported_claim, the sentence encoder, number words, dates and attributed wording in drafts."""

from __future__ import annotations

import numpy as np
import pytest

from checks_helpers import context, marked, one_outlet_claim
from evenhand.annotate.attributed import attributed_spans, is_attributed
from evenhand.annotate.embeddings import MODEL_DIR, load_encoder
from evenhand.checks import CHECKS, CheckedText, run_checks
from evenhand.checks.dates import date_keys
from evenhand.checks.loaded_leak import check_loaded_leak
from evenhand.checks.unattributed_contested import check_unattributed_contested
from evenhand.checks.unsupported import check_unsupported
from evenhand.checks.unsupported_claim import check_unsupported_claim
from evenhand.checks.words import numbers_in
from evenhand.schema import Article

UNION = Article(
    id="p",
    outlet="Paper P",
    text=(
        "A union representing flight attendants endorsed Hillary Clinton for president on "
        "Thursday. The Association of Flight Attendants represents almost 50,000 workers. "
        "Other major unions, including the American Federation of Teachers, have also endorsed "
        "Clinton in the race. The mayor said there had been no specific, credible threats "
        "against the city. A majority of voters expect Clinton to win Monday's debate at "
        "Hofstra University. The poll was conducted from Dec. 3 to Dec. 5."
    ),
)


def _claims(draft: str, articles: list[Article] | None = None) -> list[tuple[str, str]]:
    findings = check_unsupported_claim(context(draft, articles or [UNION]))
    return [
        (f.severity, marked(draft, f.location.start, f.location.end))
        for f in findings
        if f.location is not None
    ]


def test_the_check_is_registered_after_unsupported_content() -> None:
    names = list(CHECKS)
    assert names.index("unsupported_claim") == names.index("unsupported_content") + 1


def test_a_sentence_a_source_states_raises_nothing() -> None:
    draft = (
        "The Association of Flight Attendants, which represents almost 50,000 workers, endorsed "
        "Hillary Clinton for president on Thursday."
    )
    assert _claims(draft) == []


def test_an_invented_sentence_is_a_warning() -> None:
    draft = (
        "A union representing flight attendants endorsed Hillary Clinton on Thursday. "
        "The union had stayed neutral during the Democratic primaries."
    )
    assert _claims(draft) == [
        ("warning", "The union had stayed neutral during the Democratic primaries.")
    ]


@pytest.mark.parametrize(
    "reversed_sentence",
    [
        # a negating verb on the shared words
        "Other major unions, including the American Federation of Teachers, have declined to "
        "endorse Clinton in the race.",
        # "no" dropped from the source's words
        "The mayor said there had been specific, credible threats against the city.",
        # the same words around another person
        "A majority of voters expect Trump to win Monday's debate at Hofstra University.",
    ],
)
def test_a_sentence_a_source_states_the_other_way_round_is_an_error(
    reversed_sentence: str,
) -> None:
    [(severity, where)] = _claims(reversed_sentence)
    assert severity == "error"
    assert where == reversed_sentence


def test_the_error_quotes_the_contradicting_source() -> None:
    draft = "The mayor said there had been specific, credible threats against the city."
    [finding] = check_unsupported_claim(context(draft, [UNION]))
    assert "Paper P says otherwise" in finding.message
    assert "no specific, credible threats" in finding.message


def test_quoted_speech_is_left_to_grounding() -> None:
    assert _claims("“We will win the war on the moon,” the union wrote.") == []


def test_the_encoder_gives_unit_vectors_and_puts_paraphrases_closest() -> None:
    encoder = load_encoder()
    assert encoder is load_encoder()  # once per process
    vectors = encoder.embed(
        [
            "A union endorsed Clinton for president.",
            "Clinton won the endorsement of a union.",
            "The bridge will close for six weeks of repairs.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3


def test_the_shipped_encoder_has_a_card_and_no_torch_at_run_time() -> None:
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "all-MiniLM-L6-v2" in card
    assert "Apache-2.0" in card
    sums = (MODEL_DIR / "SHA256SUMS").read_text(encoding="utf-8")
    assert {"model.onnx", "tokenizer.json", "meta.json", "MODEL_CARD.md"} <= {
        line.split()[-1] for line in sums.splitlines() if line.strip()
    }


def test_figures_written_in_words_have_their_value() -> None:
    text = "almost fifty thousand workers; twenty-nine people; three hundred and forty two; one"
    assert [v for _, _, v in numbers_in(text)] == ["50000", "29", "342"]
    assert [v for _, _, v in numbers_in("the third time, the first time, 25,000")] == [
        "3",
        "25000",
    ]


def test_one_ends_and_begins_a_figure_but_is_no_figure_alone() -> None:
    text = "thirty-one counties, a hundred and one votes, one million people; one of them; no one"
    assert [(text[s:e], v) for s, e, v in numbers_in(text)] == [
        ("thirty-one", "31"),
        ("hundred and one", "101"),
        ("one million", "1000000"),
    ]


def test_a_figure_in_words_matches_the_sources_digits_and_a_wrong_one_does_not() -> None:
    same = "The union represents almost fifty thousand workers."
    assert [f for f in check_unsupported(context(same, [UNION])) if f.severity == "error"] == []
    wrong = "The union represents almost eighty thousand workers."
    errors = [f for f in check_unsupported(context(wrong, [UNION])) if f.severity == "error"]
    assert [marked(wrong, f.location.start, f.location.end) for f in errors if f.location] == [
        "eighty thousand"
    ]


def test_dates_are_compared_as_dates_not_names() -> None:
    assert date_keys("Dec. 3") == date_keys("December 3") == ((12, 3),)
    assert date_keys("Monday") == ()
    same = "The poll was conducted from December 3 to December 5."
    assert [f for f in check_unsupported(context(same, [UNION])) if f.severity == "error"] == []
    wrong = "The poll was conducted on Dec. 9."
    errors = [f for f in check_unsupported(context(wrong, [UNION])) if f.severity == "error"]
    assert len(errors) == 1
    assert "the date" in errors[0].message
    assert "Dec. 9" in errors[0].message


def test_loaded_wording_inside_an_attribution_is_not_the_drafts_voice() -> None:
    source = Article(
        id="v",
        outlet="Paper V",
        text="Ray Ortiz called the closure a vicious attack on his district.",
    )
    attributed = "Ortiz said the mayor had launched a vicious attack on his district."
    assert check_loaded_leak(context(attributed, [source])) == []
    own = "The mayor launched a vicious attack on Ortiz's district."
    [finding] = check_loaded_leak(context(own, [source]))
    assert marked(own, finding.location.start, finding.location.end) == "vicious"  # type: ignore[union-attr]


def test_a_loaded_word_no_source_uses_is_the_drafts_even_inside_an_attribution() -> None:
    # The sources never say "vicious": the draft put the word in Ortiz's mouth.
    attributed = "Ortiz said the mayor had launched a vicious attack on his district."
    [finding] = check_loaded_leak(context(attributed))
    assert marked(attributed, finding.location.start, finding.location.end) == "vicious"  # type: ignore[union-attr]


def test_attributed_spans_cover_what_a_speech_verb_governs() -> None:
    from evenhand.annotate import annotate

    text = "Western governments say the vote was rigged. The vote was rigged."
    doc = annotate(text)
    first = text.index("rigged")
    second = text.rindex("rigged")
    assert is_attributed(doc, first, first + 6)
    assert not is_attributed(doc, second, second + 6)
    assert attributed_spans(doc) is attributed_spans(doc)  # computed once per document


def test_a_disputed_allegation_stated_as_fact_is_flagged_and_attributed_it_is_not() -> None:
    claim = one_outlet_claim("Allegations of vote rigging", "a", "Daily A reports the allegations.")
    stated = "Holt won the election through massive vote rigging."
    [finding] = check_unattributed_contested(context(stated, contested=[claim]))
    assert finding.severity == "warning"
    attributed = "Ortiz says the election was won through vote rigging."
    assert check_unattributed_contested(context(attributed, contested=[claim])) == []


COUNCIL = Article(
    id="c",
    outlet="Paper C",
    text=(
        "The council approved the budget, which nobody opposed, on Monday after a long "
        "debate. The state bill allowed business owners to deny service to customers on "
        "religious grounds. A spokesman for the prosecutor said he could not confirm, deny or "
        "comment on the case. Relations have deteriorated since Ukraine did not recognize "
        "Lukashenko's victory in the 2020 elections."
    ),
)


@pytest.mark.parametrize(
    "sentence",
    [
        # the source's "nobody" is in its relative clause, not on "approved" (though the parse
        # hangs "after a long debate" on that clause)
        "The council approved the budget on Monday after a long debate.",
        # "refuse service" is a verb and its object, not "refused to" of an infinitive
        "The state bill allowed business owners to refuse service to customers on religious "
        "grounds.",
        # "declined to comment" is what "could not confirm, deny or comment" says
        "A spokesman for the prosecutor declined to comment on the case.",
        # a figure and one word ("2020 elections") are not a statement the source denies
        "Lukashenko won the 2020 elections through massive vote rigging.",
    ],
)
def test_a_negation_outside_the_stretchs_clause_or_scope_is_no_contradiction(
    sentence: str,
) -> None:
    assert [s for s, _ in _claims(sentence, [COUNCIL]) if s == "error"] == []


def test_a_sentence_no_source_backs_is_reported_once() -> None:
    draft = (
        "A union representing flight attendants endorsed Hillary Clinton on Thursday. "
        "The union had stayed neutral during the Democratic primaries."
    )
    findings = run_checks(CheckedText.from_draft(draft), [UNION])
    at = [
        f.check
        for f in findings
        if f.location is not None
        and marked(draft, f.location.start, f.location.end)
        == "The union had stayed neutral during the Democratic primaries."
    ]
    assert at == ["unsupported_claim"]


HEDGED = Article(
    id="h",
    outlet="Paper H",
    text=(
        "Mr. Etheridge faces a re-election challenge, but his race is not among the top "
        "Republican targets in the country. Trump said he would like Obama to show his birth "
        "certificate. Steele is expected to announce that he will not seek a second term. "
        "Trump has dropped plans to moderate a presidential debate. Doctors said the pain was "
        "due to a pulled muscle and not a blood clot. Senators are expected to approve the "
        "treaty on Friday. The governor did not believe the episode merited a federal "
        "investigation."
    ),
)


@pytest.mark.parametrize(
    "sentence",
    [
        # the source's "not" is on its second clause, which has a subject of its own
        "Etheridge faces a re-election race in November.",
        # what Trump would like is not asserted
        "Trump said Obama had not shown his birth certificate.",
        # an embedded question takes no side
        "Steele was expected to tell members whether he would seek a second term.",
        # what someone plans is not asserted
        "Trump said that he would not moderate the presidential debate.",
        # "rather than" denies the clot as "and not" does
        "Doctors said the pain was a pulled muscle rather than a blood clot.",
        # "did not believe it merited" denies that it merited
        "The governor said the episode did not merit a federal investigation.",
    ],
)
def test_a_clause_the_source_does_not_assert_or_denies_alike_is_no_contradiction(
    sentence: str,
) -> None:
    assert [s for s, _ in _claims(sentence, [HEDGED]) if s == "error"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Senators are expected not to approve the treaty on Friday.",
        "The governor said the episode merited a federal investigation.",
    ],
)
def test_an_expectation_or_a_belief_reversed_is_still_an_error(sentence: str) -> None:
    assert [s for s, _ in _claims(sentence, [HEDGED])] == ["error"]
