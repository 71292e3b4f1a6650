"""Reading inputs into Articles: formats, headlines, ids, outlets, limits and clear errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from evenhand.article_text import MAX_ARTICLE_BYTES, split_headline
from evenhand.errors import InputError, UsageError
from evenhand.schema import Article
from evenhand.sources import load_articles

ARTICLE = (
    "The city council approved the new budget on Tuesday after a debate that lasted six hours. "
    "The mayor said the plan protects schools, while the opposition called it reckless."
)


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- the bundled example and text files ---------------------------------------------------------


def test_bundled_example_ids_titles_and_text(example_files: list[Path]) -> None:
    a, b = load_articles(example_files)
    assert (a.id, b.id) == ("source-a", "source-b")
    # source-a has no blank line after its first line: no headline, the lead stays in the text.
    assert a.title is None
    assert a.text.startswith("Belarusian President Alexander Lukashenko says")
    # source-b starts with its headline and a blank line.
    assert b.title == "Lukashenko ready to allow Russian troops into Belarus if necessary"
    assert b.text.startswith("Self-proclaimed president of Belarus")
    assert a.outlet is None
    assert a.url is None


@pytest.mark.parametrize(
    ("text", "title", "body_start"),
    [
        ("Council passes budget\n\nThe council voted.", "Council passes budget", "The council"),
        ("Will the budget pass?\n\nThe council voted.", "Will the budget pass?", "The council"),
        ("# Council passes budget\nThe council voted.", "Council passes budget", "The council"),
        # A one-sentence lead paragraph ends in a full stop: it is text, not a headline.
        ("The council voted on Tuesday.\n\nIt was close.", None, "The council voted"),
        # No blank line after the first line: no headline.
        ("Council passes budget\nThe council voted.", None, "Council passes"),
        ("Only one line here", None, "Only one line"),
        ("x" * 201 + "\n\nThe council voted.", None, "xxx"),
        ("Headline only\n\n", None, "Headline only"),
        ("Council passes budget\r\n\r\nThe council voted.", "Council passes budget", "The council"),
    ],
)
def test_split_headline(text: str, title: str | None, body_start: str) -> None:
    got_title, body = split_headline(text)
    assert got_title == title
    assert body.startswith(body_start)
    assert "\r" not in body


def test_markdown_file_heading_becomes_title(tmp_path: Path) -> None:
    [article] = load_articles([write(tmp_path / "story.md", f"# Budget passes\n\n{ARTICLE}\n")])
    assert article.title == "Budget passes"
    assert article.text == ARTICLE


def test_utf8_bom_is_removed_and_utf16_with_bom_is_read(tmp_path: Path) -> None:
    with_bom = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode())
    utf16 = write(tmp_path / "wide.txt", ARTICLE.encode("utf-16"))
    a, b = load_articles([with_bom, utf16])
    assert a.text == ARTICLE
    assert b.text == ARTICLE


def test_folder_expands_to_its_article_files_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "a.md", ARTICLE)
    write(tmp_path / "notes.csv", "x,y")
    write(tmp_path / ".hidden.txt", ARTICLE)
    assert [a.id for a in load_articles([tmp_path])] == ["a", "b"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no article files"):
        load_articles([tmp_path])


# --- ids ---------------------------------------------------------------------------------------


def test_equal_stems_get_unique_stable_ids(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = write(tmp_path / "x" / "story.txt", ARTICLE)
    second = write(tmp_path / "y" / "story.txt", ARTICLE)
    third = write(tmp_path / "story.html.txt", ARTICLE)
    ids = [a.id for a in load_articles([first, second, third])]
    assert ids == ["story", "story-2", "story.html"]
    assert [a.id for a in load_articles([first, second, third])] == ids


def test_given_ids_win_over_derived_ones_whatever_the_order(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", ARTICLE)
    given = write(tmp_path / "given.json", json.dumps({"id": "story", "text": ARTICLE}))
    assert [a.id for a in load_articles([story, given])] == ["story-2", "story"]


def test_duplicate_given_ids_are_an_error(tmp_path: Path) -> None:
    data = [{"id": "same", "text": ARTICLE}, {"id": "same", "text": ARTICLE}]
    with pytest.raises(InputError, match="two articles have the id 'same'"):
        load_articles([write(tmp_path / "two.json", json.dumps(data))])


def test_unsafe_characters_in_stems_are_replaced(tmp_path: Path) -> None:
    [article] = load_articles([write(tmp_path / "my story (final).txt", ARTICLE)])
    assert article.id == "my-story-final"


# --- outlets -----------------------------------------------------------------------------------


def test_outlets_name_articles_and_override_json(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", ARTICLE)
    b = write(tmp_path / "b.json", json.dumps({"text": ARTICLE, "outlet": "From JSON"}))
    c = write(tmp_path / "c.json", json.dumps({"text": ARTICLE, "outlet": "Kept"}))
    articles = load_articles([a, b, c], outlets={"a": "Reuters", "b": "RT"})
    assert [x.outlet for x in articles] == ["Reuters", "RT", "Kept"]


def test_outlet_for_an_unknown_id_names_the_ids(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", ARTICLE)
    with pytest.raises(UsageError, match=r"no article has the id 'z' \(the ids are: a\)"):
        load_articles([a], outlets={"z": "Reuters"})


# --- JSON --------------------------------------------------------------------------------------


def test_json_list_single_object_and_articles_key(tmp_path: Path) -> None:
    listed = write(
        tmp_path / "many.json",
        json.dumps(
            [
                {"text": ARTICLE, "title": "One", "url": "https://example.com/1"},
                {"text": ARTICLE, "id": 7, "outlet": "Wire", "extra": "ignored"},
            ]
        ),
    )
    single = write(tmp_path / "one.json", json.dumps({"text": ARTICLE}))
    wrapped = write(tmp_path / "wrapped.json", json.dumps({"articles": [{"text": ARTICLE}]}))
    articles = load_articles([listed, single, wrapped])
    assert [a.id for a in articles] == ["many-1", "7", "one", "wrapped"]
    assert articles[0].title == "One"
    assert articles[0].url == "https://example.com/1"
    assert articles[1].outlet == "Wire"


def test_jsonl_and_json_lines_saved_as_json(tmp_path: Path) -> None:
    lines = json.dumps({"text": ARTICLE}) + "\n\n" + json.dumps({"text": ARTICLE, "id": "b"})
    assert [a.id for a in load_articles([write(tmp_path / "s.jsonl", lines)])] == ["s-1", "b"]
    assert [a.id for a in load_articles([write(tmp_path / "t.json", lines)])] == ["t-1", "b"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"text": ', r"bad\.json is not valid JSON: .*line 1, column"),
        ("bad.jsonl", '{"text": "a b c"}\n{oops}\n', r"bad\.jsonl line 2 is not valid JSON"),
        ("none.json", "[]", "holds no articles"),
        ("notext.json", '[{"title": "x"}]', r'notext\.json item 1 has no "text"'),
        ("blank.json", '{"text": "   "}', 'has no "text"'),
        ("number.json", "[3]", "item 1 is a number, not an article object"),
        ("scalar.json", '"just a string"', "expected an article object or a list"),
        ("badtitle.json", '{"text": "a b c", "title": 5}', "'title' must be a string"),
    ],
)
def test_json_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_articles([write(tmp_path / name, content)])


# --- strings, Articles, stdin ------------------------------------------------------------------


def test_plain_strings_are_article_text_with_positional_ids() -> None:
    a, b = load_articles([ARTICLE, "Headline here\n\n" + ARTICLE])
    assert (a.id, b.id) == ("text-1", "text-2")
    assert a.text == ARTICLE
    assert b.title == "Headline here"


def test_a_string_that_names_a_missing_file_is_not_taken_as_text() -> None:
    with pytest.raises(InputError, match=r"file not found: nowhere/story\.txt"):
        load_articles(["nowhere/story.txt"])


def test_article_objects_pass_through_unchanged() -> None:
    given = Article(id="wire", outlet="AP", title="T", text="  " + ARTICLE + "\n", url=None)
    [article] = load_articles([given], outlets={"wire": "Associated Press"})
    assert article.text == given.text  # offsets into a caller's text must stay valid
    assert article.outlet == "Associated Press"


def test_stdin_text_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, ("Headline\n\n" + ARTICLE).encode())
    [article] = load_articles(["-"])
    assert (article.id, article.title, article.text) == ("stdin", "Headline", ARTICLE)
    feed_stdin(monkeypatch, json.dumps([{"text": ARTICLE, "id": "x"}]).encode())
    assert [a.id for a in load_articles(["-"])] == ["x"]


def test_stdin_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, ARTICLE.encode())
    with pytest.raises(InputError, match="only once"):
        load_articles(["-", "-"])


def test_no_sources_is_an_error() -> None:
    with pytest.raises(InputError, match="no articles given"):
        load_articles([])


def test_other_url_schemes_are_refused() -> None:
    with pytest.raises(InputError, match="only http and https"):
        load_articles(["file:///etc/passwd"])


# --- bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", r"empty\.txt is empty"),
        ("blank.txt", b" \n\t\n", r"blank\.txt is empty"),
        ("nul.txt", b"abc\x00\x01\x02def", r"nul\.txt looks like a binary file"),
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3", r"doc\.txt is a PDF file, not text"),
        ("zip.md", b"PK\x03\x04rest", r"zip\.md is a ZIP"),
        (
            "latin1.txt",
            "Café au lait".encode("latin-1"),
            r"latin1\.txt is not UTF-8 text: byte 0xe9 at offset 3 .*tried utf-8 and utf-8-sig",
        ),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_articles([write(tmp_path / name, content)])


def test_missing_file() -> None:
    with pytest.raises(InputError, match=r"file not found: missing\.txt"):
        load_articles([Path("missing.txt")])


def test_size_limit_is_exact_and_named(tmp_path: Path) -> None:
    at_limit = write(tmp_path / "at.txt", "a" * MAX_ARTICLE_BYTES)
    assert len(load_articles([at_limit])[0].text) == MAX_ARTICLE_BYTES
    over = write(tmp_path / "over.txt", "a" * (MAX_ARTICLE_BYTES + 1))
    with pytest.raises(
        InputError, match=r"over\.txt is 500 kB \(500,001 bytes\); the limit is 500 kB"
    ):
        load_articles([over])


@pytest.mark.parametrize("kind", ["file", "json", "string", "article"])
def test_a_one_megabyte_article_is_refused_whatever_its_form(tmp_path: Path, kind: str) -> None:
    big = ("word " * 200_000).strip()  # 1 MB
    source: str | Path | Article
    if kind == "file":
        source = write(tmp_path / "big.txt", big)
    elif kind == "json":
        source = write(tmp_path / "big.json", json.dumps({"text": big}))
    elif kind == "string":
        source = big + "\n"
    else:
        source = Article(id="big", text=big)
    with pytest.raises(InputError, match=r"1\.0 MB \(999,999 bytes\); the limit is 500 kB"):
        load_articles([source])


# --- HTML --------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Budget passes | City Paper</title>
<meta property="og:site_name" content="City Paper"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Budget passes after long debate</h1>
<p>The city council approved the new budget on Tuesday after a debate that lasted six hours.</p>
<p>The mayor said the plan protects schools, while the opposition called it reckless.</p>
</article><footer>Copyright City Paper</footer><script>track()</script></body></html>"""


def test_html_main_text_and_title(tmp_path: Path) -> None:
    [article] = load_articles([write(tmp_path / "page.html", PAGE)])
    assert article.id == "page"
    assert article.title == "Budget passes after long debate"
    assert "approved the new budget" in article.text
    assert "called it reckless" in article.text
    for boilerplate in ("Home", "Copyright", "track()", "Budget passes after long debate"):
        assert boilerplate not in article.text


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    page = "<html><body><nav>Home About</nav><script>var x = 1;</script></body></html>"
    with pytest.raises(InputError, match=r"nav\.html: no article text found in the HTML"):
        load_articles([write(tmp_path / "nav.html", page)])


def test_html_on_stdin_is_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, PAGE.encode())
    [article] = load_articles(["-"])
    assert article.title == "Budget passes after long debate"
    assert "<p>" not in article.text


def test_a_single_source_need_not_be_in_a_list(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", ARTICLE)
    assert [a.id for a in load_articles(path)] == ["one"]  # type: ignore[arg-type]
    assert [a.id for a in load_articles(ARTICLE)] == ["text-1"]
