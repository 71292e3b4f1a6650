"""unsupported_content, loaded_leak and unattributed_contested on hand-built articles."""

from __future__ import annotations

import pytest

from checks_helpers import context, marked, one_outlet_claim
from evenhand.checks.loaded_leak import check_loaded_leak
from evenhand.checks.unattributed_contested import check_unattributed_contested
from evenhand.checks.unsupported import check_unsupported
from evenhand.schema import Article, LoadedTerm, Span


def test_numbers_dates_and_names_missing_from_the_sources_are_errors() -> None:
    draft = (
        "Mayor Jane Holt said on Wednesday that the Elm Street bridge would close for eight "
        "weeks, and Governor Alan Brooks agreed."
    )
    findings = check_unsupported(context(draft))
    flagged = {marked(draft, f.location.start, f.location.end) for f in findings if f.location}
    # A name is reported whole, without its title.
    assert {"Wednesday", "eight", "Alan Brooks"} <= flagged
    assert "Governor Alan Brooks" not in flagged
    assert all(f.severity == "error" for f in findings if f.location and f.location.start)
    assert "Holt" not in flagged
    assert "Elm" not in flagged


def test_numbers_in_words_or_digits_match_the_sources() -> None:
    draft = "The Elm Street bridge will close for 6 weeks while engineers repair two beams."
    assert [f for f in check_unsupported(context(draft)) if f.severity == "error"] == []


def test_sentence_no_source_backs_is_a_warning() -> None:
    draft = (
        "The city closed the Elm Street bridge for repairs. "
        "Property prices along the river have fallen sharply this spring."
    )
    [finding] = check_unsupported(context(draft))
    assert finding.severity == "warning"
    assert marked(draft, finding.location.start, finding.location.end).startswith("Property")  # type: ignore[union-attr]


def test_lexicon_term_in_own_voice_is_a_warning_but_not_inside_a_quote() -> None:
    own = "Ray Ortiz launched a vicious attack on the mayor."
    [finding] = check_loaded_leak(context(own))
    assert finding.severity == "warning"
    assert marked(own, finding.location.start, finding.location.end) == "vicious"  # type: ignore[union-attr]
    quoted = "Ortiz said the mayor was “vicious” toward his district."
    assert check_loaded_leak(context(quoted)) == []


def test_term_the_report_flagged_names_the_outlet_and_the_alternative() -> None:
    at = B_TEXT.index("reckless")
    span = Span(article_id="b", start=at, end=at + 8, text="reckless")
    term = LoadedTerm(
        span=span,
        category="labelling",
        in_quote=False,
        neutral_alternative="hasty",
        explanation="Passes judgement on the decision.",
        confidence=0.9,
        origin="lexicon",
    )
    draft = "The reckless closure will last six weeks."
    [finding] = check_loaded_leak(context(draft, loaded=[term]))
    assert "Daily B" in finding.message
    assert finding.suggestion == "replace “reckless” with “hasty”"


def test_claim_a_source_marks_as_claimed_stated_as_fact_is_a_warning() -> None:
    draft = "The repairs were ordered to punish his district."
    [finding] = check_unattributed_contested(context(draft))
    assert finding.severity == "warning"
    assert finding.location is not None
    assert finding.location.start == 0


def test_the_same_claim_attributed_passes() -> None:
    draft = "Ortiz claimed the repairs were ordered to punish his district."
    assert check_unattributed_contested(context(draft)) == []


def test_contested_claim_from_the_report_is_used() -> None:
    claim = one_outlet_claim(
        "Engineers found cracks in the support beams",
        "b",
        "Daily B reports the cracks; Daily A does not.",
    )
    draft = "Engineers found cracks in the support beams."
    [finding] = check_unattributed_contested(context(draft, contested=[claim]))
    assert "Daily B" in finding.message


B_TEXT = context("x").sources.article("b").text


RALLY = Article(
    id="r",
    outlet="Paper R",
    text=(
        "Customers lined up at the restaurants for “Chick-fil-A Appreciation Day.” "
        "Sestak rejected the overture and went on to defeat Specter in the Democratic primary "
        "election. “Our units will be deployed within 24 hours,” Lukashenko said at a meeting "
        "on cooperation with Russia. Blumenthal's campaign disputed a report in the Times as an "
        "“outrageous distortion” of his service in the Marines."
    ),
)


@pytest.mark.parametrize(
    "sentence",
    [
        # a quoted name is a label, not a statement
        "Customers lined up at the restaurants for an appreciation day for Chick-fil-A.",
        # "rejected the overture" is an act: what follows it is not a rejected claim
        "Sestak declined and went on to defeat Specter in the primary election.",
        # what Lukashenko said comes before "said", not after it
        "Speaking at a meeting on cooperation with Russia, Lukashenko promised quick help.",
    ],
)
def test_an_act_or_a_name_in_the_sources_is_not_a_claim(sentence: str) -> None:
    assert check_unattributed_contested(context(sentence, [RALLY])) == []


def test_a_report_a_source_disputes_stated_as_fact_is_a_warning() -> None:
    draft = "The report was an outrageous distortion of his service in the Marines."
    [finding] = check_unattributed_contested(context(draft, [RALLY]))
    assert finding.severity == "warning"
