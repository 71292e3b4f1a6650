"""The shipped loaded-language tagger: hash-checked files, deterministic scores, no network,
calibrated confidences in the report, and the terms an editor must see on the bundled example."""

from __future__ import annotations

import json
import socket

import pytest

import evenhand
from evenhand.annotate.document import annotate
from evenhand.annotate.loaded import (
    DEFAULT_MIN_CONFIDENCE,
    MODEL_CATEGORY,
    model_candidates,
    span_confidence,
    word_scores,
)
from evenhand.annotate.onnx_model import verify_model_dir
from evenhand.annotate.tagger import MODEL_DIR, LoadedTagger
from evenhand.data import example_paths
from evenhand.offline.loaded import loaded_terms
from evenhand.schema import Article


def test_the_model_was_calibrated_and_not_trained_on_basil() -> None:
    # the hash check, size and errors of every shipped model: tests/test_shipped_models.py
    meta = verify_model_dir(MODEL_DIR, what="loaded-language")
    assert meta["calibration"]["weights"]
    assert "basil" not in meta["corpora"]  # BASIL's terms allow evaluation only


def test_default_threshold_is_the_one_calibration_chose() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["calibration"]["default_min_confidence"] == DEFAULT_MIN_CONFIDENCE


def test_loading_and_tagging_need_no_network() -> None:
    # pytest-socket blocks every socket for the whole run; this proves the block is on here,
    # then loads the tagger afresh (not from the process cache) and runs it.
    with pytest.raises(Exception, match=r"[Ss]ocket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tagger = LoadedTagger(MODEL_DIR)
    scores = tagger.score_texts(["The corrupt regime staged a sham election."])
    assert scores[0][0]


def test_same_input_same_scores_and_same_terms() -> None:
    text = "Critics blasted the reckless, job-killing plan as a disgraceful power grab."
    first = LoadedTagger(MODEL_DIR).score_texts([text])
    second = LoadedTagger(MODEL_DIR).score_texts([text])
    assert first == second
    article = Article(id="a", text=text)
    assert loaded_terms([article]) == loaded_terms([article])


def test_word_scores_cover_every_token_and_are_probabilities() -> None:
    doc = annotate("Self-proclaimed president Lukashenko praised the brutal crackdown.")
    scores = word_scores(doc)
    assert len(scores) == len(doc.tokens)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_candidates_are_whole_content_phrases_that_are_text_slices() -> None:
    text = "The radical left's hysterical smear campaign failed, he said."
    doc = annotate(text)
    for c in model_candidates(doc, floor=0.05):
        phrase = text[c.start : c.end]
        assert phrase == phrase.strip()
        assert phrase[0].isalnum()
        assert phrase[-1].isalnum()
        assert phrase.lower() not in {"the", "he", "a", "very", "anti"}


def test_tagger_finds_loaded_words_the_lexicon_does_not_list() -> None:
    # Words no lexicon entry covers; the tagger learned them from annotated news.
    text = "These thugs and their bumbling ringleader want to destroy our great nation."
    terms = loaded_terms([Article(id="a", text=text)])
    model_terms = [t for t in terms if t.origin == "model" and t.confidence >= 0.3]
    assert any("bumbling" in t.span.text for t in model_terms)
    for term in model_terms:
        assert term.category == MODEL_CATEGORY
        assert term.neutral_alternative is None
        assert "no neutral alternative" in term.explanation


def test_plain_reporting_gets_no_confident_terms() -> None:
    text = (
        "The city council voted 7 to 2 on Tuesday to approve the budget. "
        "The plan allocates $4 million to road repairs, a spokeswoman said."
    )
    terms = loaded_terms([Article(id="a", text=text)])
    assert not [t for t in terms if t.confidence >= DEFAULT_MIN_CONFIDENCE]


def test_span_confidence_is_higher_for_loaded_than_for_plain_wording() -> None:
    text = "The senator's despicable lies were exposed at the hearing on Tuesday."
    loaded = span_confidence(text, text.index("despicable"), text.index("despicable") + 10)
    plain = span_confidence(text, text.index("hearing"), text.index("hearing") + 7)
    assert 0.0 <= plain < loaded <= 1.0


def test_bundled_example_terms_each_with_a_confidence() -> None:
    report = evenhand.analyze(example_paths())
    found = {(t.span.article_id, t.span.text): t for t in report.loaded_language}
    expected = {
        ("source-b", "Self-proclaimed"): False,
        ("source-a", "without providing any evidence"): False,
        ("source-a", "also without proof"): False,
        ("source-b", "scoundrels"): True,
    }
    for key, in_quote in expected.items():
        assert key in found, key
        assert found[key].in_quote is in_quote
        assert 0.0 < found[key].confidence < 1.0
        assert found[key].origin in {"lexicon", "both"}
    # The tagger's own finds are listed only at or above the default confidence.
    for term in report.loaded_language:
        if term.origin == "model":
            assert term.confidence >= DEFAULT_MIN_CONFIDENCE


def test_a_lower_threshold_shows_more_of_the_taggers_terms() -> None:
    strict = evenhand.analyze(example_paths(), min_confidence=0.9)
    loose = evenhand.analyze(example_paths(), min_confidence=0.1)
    assert len(strict.loaded_language) < len(loose.loaded_language)
    assert all(t.confidence >= 0.9 for t in strict.loaded_language if t.origin == "model")
    # The curated lexicon's terms are listed whatever the threshold.
    lexicon = {(t.span.start, t.span.text) for t in loose.loaded_language if t.origin != "model"}
    assert lexicon == {
        (t.span.start, t.span.text) for t in strict.loaded_language if t.origin != "model"
    }
