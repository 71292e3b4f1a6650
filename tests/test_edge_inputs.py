"""Awkward inputs found by trying to break evenhand: each is refused with a clear one-line error
(or handled), never a traceback, a silently odd report or a damaged file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from evenhand.errors import InputError
from evenhand.sources import load_articles

ARTICLE = (
    "The city council approved the new budget on Tuesday after a debate that lasted six hours. "
    "The mayor said the plan protects schools, while the opposition called it reckless."
)


# --- sources ------------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_an_empty_string_is_an_empty_article_not_the_current_folder(
    blank: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "" used to become Path("."): the current folder was read as a folder of articles.
    (tmp_path / "other.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^text 1 is empty$"):
        load_articles([blank, ARTICLE])


@pytest.mark.parametrize("source", [None, 42, b"bytes of text", {"text": ARTICLE}])
def test_a_source_of_another_type_is_an_input_error(source: object) -> None:
    with pytest.raises(InputError, match=r"cannot read a .* as an article: give a path, a URL"):
        load_articles([source, ARTICLE])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": "x", "text": 42}]', r'item 1: "text" must be a string, not int'),
        ('{"articles": {"a": {"text": "a b c"}}}', r'"articles" must be a list of article objects'),
        ("null", r"expected an article object or a list of them, not null$"),
    ],
)
def test_json_of_the_wrong_shape_says_what_is_wrong(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "wrong.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_articles([path])


def test_an_article_object_may_carry_an_articles_key_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": ARTICLE, "articles": "related"}), encoding="utf-8")
    [article] = load_articles([path])
    assert article.text == ARTICLE


# --- output files -------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_written_report_has_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    # Written through mkstemp, every report used to be readable by its owner only (0600).
    from evenhand.safe_write import atomic_write_text

    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "report.html", "<p>report</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644
    shared = tmp_path / "shared.md"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    atomic_write_text(shared, "new")
    assert shared.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664  # a replaced file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "shared.md"]


# --- reports ------------------------------------------------------------------------------------


def test_two_copies_of_one_article_get_a_warning(example_files: list[Path]) -> None:
    # Two identical texts used to make a report with no word that they are one source.
    import evenhand

    text = example_files[0].read_text(encoding="utf-8")
    report = evenhand.analyze([text, text.replace("\n", "\r\n\t"), example_files[1]])
    duplicates = [f for f in report.findings if f.check == "duplicate_source"]
    assert len(duplicates) == 1
    assert duplicates[0].severity == "warning"
    assert "'text-1' and 'text-2' have the same text" in duplicates[0].message
    assert duplicates[0].location is not None
    assert duplicates[0].location.article_id == "text-2"
    distinct = evenhand.analyze(example_files)
    assert not [f for f in distinct.findings if f.check == "duplicate_source"]
