"""The curated lexicon: file format, pattern expansion and `find_loaded`."""

from __future__ import annotations

import itertools

import pytest

from evenhand.lexicon import CATEGORIES, STRENGTHS, entries, find_loaded
from evenhand.lexicon.loader import expand_pattern, parse_lexicon


def test_every_entry_is_complete() -> None:
    all_entries = entries()
    assert len(all_entries) > 100
    for entry in all_entries:
        assert entry.category in CATEGORIES
        assert entry.strength in STRENGTHS
        assert entry.explanation.endswith(".")
        assert entry.source.startswith(("curated", "recasens2013", "hyland2005", "report-verbs"))
    terms = [e.term for e in all_entries]
    assert len(terms) == len(set(terms)), "each term is listed once"


def test_expand_pattern_handles_alternatives_and_optional_words() -> None:
    assert expand_pattern("(also) without evidence/proof") == [
        ("also", "without", "evidence"),
        ("also", "without", "proof"),
        ("without", "evidence"),
        ("without", "proof"),
    ]


def test_parse_lexicon_rejects_unknown_category() -> None:
    with pytest.raises(ValueError, match="unknown category"):
        parse_lexicon("x\t\tnonsense\tstrong\t-\tWhy.\tcurated\n")


def test_parse_lexicon_rejects_unknown_strength_and_short_rows() -> None:
    with pytest.raises(ValueError, match="unknown strength"):
        parse_lexicon("x\t\tlabelling\tmedium\t-\tWhy.\tcurated\n")
    with pytest.raises(ValueError, match="expected 7 tab-separated cells"):
        parse_lexicon("x\t\tlabelling\t-\tWhy.\tcurated\n")


def test_multi_word_patterns_win_over_their_parts() -> None:
    text = "She repeated the allegations, also without proof, and without providing any evidence."
    found = [(m.text, m.entry.category) for m in find_loaded(text)]
    assert found == [
        ("also without proof", "unsubstantiated"),
        ("without providing any evidence", "unsubstantiated"),
    ]


def test_offsets_are_slices_and_matches_do_not_overlap() -> None:
    text = "The self-proclaimed leader’s so-called regime slammed the ‘phony’ report."
    found = find_loaded(text)
    assert [m.text for m in found] == ["self-proclaimed", "so-called", "regime", "slammed", "phony"]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_possessive_and_case_variants_match() -> None:
    found = find_loaded("The Regime's critics were Notorious.")
    assert [m.text for m in found] == ["Regime's", "Notorious"]


def test_a_pattern_does_not_cross_a_sentence_break() -> None:
    assert [m.text for m in find_loaded("He said so. Called it off.")] == []
    assert [m.text for m in find_loaded("It was so called. Fine.")] == []
    assert [m.text for m in find_loaded("the far. Right wing")] == []


def test_neutral_words_are_not_flagged() -> None:
    text = "The minister said on Friday that the government would present its budget next week."
    assert find_loaded(text) == []


def test_entries_carry_alternatives_where_one_exists() -> None:
    by_term = {e.term: e for e in entries()}
    assert by_term["slammed"].neutral_alternative == "criticised"
    assert by_term["regime"].neutral_alternative == "government"
    assert by_term["self-proclaimed"].neutral_alternative is None


def test_strength_separates_judgements_from_words_with_an_ordinary_sense() -> None:
    by_term = {e.term: e for e in entries()}
    for term in ("self-proclaimed", "scoundrel", "without providing any evidence", "so-called"):
        assert by_term[term].strength == "strong", term
    for term in ("fierce", "soared", "outrage", "regime", "complained"):
        assert by_term[term].strength == "weak", term


def test_a_contraction_is_not_read_as_a_possessive() -> None:
    # "it's" is "it is": the pattern "it's clear that" must not match "made it clear that".
    assert find_loaded("Mr. Romney has made it clear that he opposes it.") == []
    assert [m.text for m in find_loaded("It's clear that he lied.")] == ["It's clear that"]


def test_a_word_inside_a_proper_name_is_not_loaded() -> None:
    text = (
        "“I never thought I’d see the day,” said Representative Louise M. Slaughter of New York. "
        "Rep. Slaughter added that the Blumenthal Bombshell report was wrong."
    )
    assert find_loaded(text) == []


def test_capitals_at_a_sentence_start_or_in_a_headline_still_match() -> None:
    text = "Trump Slams Obama Over Tax Plan\n\nSlammed by critics, Smith left. Critics slammed him."
    assert [m.text for m in find_loaded(text)] == ["Slams", "Slammed", "slammed"]
    # A capitalised word after it does not make a name at a sentence start.
    text = "He spoke last. Bombastic Fox News host Glenn Beck closed the conference."
    assert [m.text for m in find_loaded(text)] == ["Bombastic"]


def test_style_guide_labels_carry_the_style_guides_alternative() -> None:
    text = "The death tax vote split the pro-life caucus; critics lambasted the nanny state."
    found = {m.text: m.entry for m in find_loaded(text)}
    assert list(found) == ["death tax", "pro-life", "lambasted", "nanny state"]
    assert found["death tax"].neutral_alternative == "estate tax"
    assert found["pro-life"].neutral_alternative == "anti-abortion"
    assert found["lambasted"].neutral_alternative == "criticised"
    assert all(e.source == "curated (style guidance)" for e in found.values())
    # The style guides' own neutral terms are not flagged.
    assert find_loaded("The anti-abortion group opposed the estate tax.") == []


def test_multi_word_style_guide_patterns_match_their_inflections() -> None:
    text = "They rammed through a bill, offered no evidence and went ballistic at the war on coal."
    assert [m.text for m in find_loaded(text)] == [
        "rammed through",
        "offered no evidence",
        "went ballistic",
        "war on coal",
    ]
    # A literal sense outside the pattern is left alone: "war on" alone, "ballistic missile".
    assert find_loaded("The war on Tuesday ended; a ballistic missile was tested.") == []
