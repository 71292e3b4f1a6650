"""The curated lexicon: file format, pattern expansion and `find_loaded`."""

from __future__ import annotations

import itertools

import pytest

from evenhand.lexicon import CATEGORIES, entries, find_loaded
from evenhand.lexicon.loader import expand_pattern, parse_lexicon


def test_every_entry_is_complete() -> None:
    all_entries = entries()
    assert len(all_entries) > 100
    for entry in all_entries:
        assert entry.category in CATEGORIES
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
        parse_lexicon("x\t\tnonsense\t-\tWhy.\tcurated\n")


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
