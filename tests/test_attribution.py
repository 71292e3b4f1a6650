"""The attribution layer: who said what, with offsets, on the bundled example and plain sentences;
the shipped attribution tagger's files are hash-checked and it needs no network."""

from __future__ import annotations

import socket

import pytest

from evenhand.annotate.attribution import Attribution, attribution_at, attributions
from evenhand.annotate.attribution_tagger import MODEL_DIR, AttributionTagger
from evenhand.annotate.document import annotate
from evenhand.annotate.onnx_model import verify_model_dir
from evenhand.data import example_paths


def _example(name: str) -> str:
    path = next(p for p in example_paths() if p.stem == name)
    return path.read_text(encoding="utf-8")


def _text(text: str, span: tuple[int, int] | None) -> str:
    return "" if span is None else text[span[0] : span[1]]


def _holding(text: str, found: list[Attribution], words: str) -> list[Attribution]:
    at = text.index(words)
    return [a for a in found if a.covers(at, at + len(words))]


def test_the_model_is_trained_on_polnear() -> None:
    # the hash check, size and errors of every shipped model: tests/test_shipped_models.py
    assert verify_model_dir(MODEL_DIR, what="attribution")["corpora"] == ["polnear"]


def test_tagging_needs_no_network_and_is_deterministic() -> None:
    with pytest.raises(Exception, match=r"[Ss]ocket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    text = "The senator said the bill would raise taxes. Officials denied it."
    first = AttributionTagger(MODEL_DIR).spans(annotate(text))
    second = AttributionTagger(MODEL_DIR).spans(annotate(text))
    assert first == second
    assert first


def test_indirect_speech_has_source_cue_and_content() -> None:
    text = "Senator Jane Roe said on Tuesday that the bill would raise taxes for most families."
    (found,) = attributions(annotate(text))
    assert _text(text, found.source) == "Senator Jane Roe"
    assert _text(text, found.cue) == "said"
    assert "the bill would raise taxes" in _text(text, found.content)
    assert found.actor == "Jane Roe"
    assert found.actor_kind == "person"
    assert not found.direct


def test_a_pronoun_source_is_resolved_to_the_person_named_before() -> None:
    text = (
        "Maria Lopez leads the union. She said the strike would go on until wages rise by "
        "five percent."
    )
    found = attributions(annotate(text))
    held = _holding(text, found, "the strike would go on")
    assert held
    assert _text(text, held[0].source) == "She"
    assert held[0].actor == "Maria Lopez"


def test_unattributed_text_is_the_outlets_own_voice() -> None:
    text = "The river flooded the town on Monday. The mayor said the damage was severe."
    doc = annotate(text)
    at = text.index("flooded")
    assert attribution_at(doc, at, at + len("flooded")) is None
    at = text.index("the damage was severe")
    held = attribution_at(doc, at, at + len("the damage"))
    assert held is not None
    assert _text(text, held.cue) == "said"


def test_bundled_example_who_holds_the_vote_rigging_claim() -> None:
    text = _example("source-a")
    found = attributions(annotate(text))
    fraud = _holding(text, found, "there had been voter fraud")
    assert [a.actor for a in fraud] == ["Sviatlana Tsikhanouskaya"]
    assert _text(text, fraud[0].cue).startswith("claimed")
    # "he added" after Lukashenko's quotation is Lukashenko's.
    added = next(a for a in found if _text(text, a.cue) == "added")
    assert added.actor == "Alexander Lukashenko"
    assert added.direct
    # The outlet's own verdict on the claim is nobody's content but its own.
    at = text.index("without providing any evidence")
    assert attribution_at(annotate(text), at, at + len("without providing any evidence")) is None


def test_every_attribution_is_made_of_text_slices() -> None:
    for path in example_paths():
        text = path.read_text(encoding="utf-8")
        for a in attributions(annotate(text)):
            for span in (a.source, a.cue, a.content):
                if span is not None:
                    assert 0 <= span[0] < span[1] <= len(text)
            assert 0.0 <= a.confidence <= 1.0
