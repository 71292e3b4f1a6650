"""Reading inputs into `Article`s: files, folders, JSON, stdin, URLs, plain strings, `Article`s.

Limits (each refused with a one-line `InputError` naming the limit):
- `MAX_ARTICLE_BYTES` (500 kB, `article_text`) of text per article, after HTML extraction.
- `MAX_FILE_BYTES` (10 MB) per HTML or JSON file, which carry markup or several articles.

Ids are stable and unique: given ids are kept (two equal given ids are an error); otherwise the
file stem, the URL's last path segment, `stdin` or `text-N`, with `-2`, `-3`... added on a clash.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .article_text import (
    MAX_ARTICLE_BYTES,
    check_article_size,
    check_unicode,
    clean_newlines,
    decode_text,
    format_size,
    slug,
    split_headline,
)
from .article_text import surrogate_problem as surrogate_problem  # noqa: PLC0414 (batch.inputs)
from .errors import InputError, UsageError
from .schema import Article

MAX_FILE_BYTES = 10_000_000

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

# JSON's own names for what a JSON document held, for messages about misshapen input.
_JSON_KIND: dict[type, str] = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://\S*$", re.IGNORECASE)

Source = str | Path | Article
Kind = Literal["text", "html", "json", "jsonl"]


@dataclass
class _Pending:
    """An article read from its source, before ids are made unique and outlets applied."""

    text: str
    name: str  # where it came from, for messages
    given_id: str | None = None
    base_id: str = "article"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None


# --- one reader per kind of input -------------------------------------------------------------


def _kind_of_suffix(path: Path) -> Kind:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def _sniff_kind(text: str) -> Kind:
    """For stdin and URLs without a useful content type: JSON, HTML or plain text."""
    head = text.lstrip()[:2048]
    if head.startswith(("{", "[")):
        return "json"
    lowered = head.lower()
    if head.startswith("<") and any(t in lowered for t in ("<html", "<body", "<!doctype", "<p")):
        return "html"
    return "text"


def _from_text(text: str, name: str, base_id: str, kind: Kind) -> list[_Pending]:
    if kind == "html":
        from .html_extract import extract_html

        page = extract_html(text, name=name)
        return [_Pending(text=page.text, name=name, base_id=base_id, title=page.title)]
    if kind in ("json", "jsonl"):
        return _from_json(text, name, base_id, jsonl=kind == "jsonl")
    title, body = split_headline(text)
    if not body:
        raise InputError(f"{name} is empty", source=name)
    return [_Pending(text=body, name=name, base_id=base_id, title=title)]


def _optional_str(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise InputError(
            f"{where}: {key!r} must be a string, not {type(value).__name__}", source=where
        )
    return value.strip() or None


def _json_items(text: str, name: str, jsonl: bool) -> list[tuple[str, Any]]:
    """(where, value) for every article object in a JSON or JSON Lines text."""
    if jsonl:
        items: list[tuple[str, Any]] = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((f"{name} line {n}", json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{name} line {n} is not valid JSON: {exc.msg}", source=name
                ) from exc
        return items
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects, one per line: read it as JSON Lines
            return _json_items(text, name, jsonl=True)
        raise InputError(
            f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if isinstance(data, dict) and "articles" in data and "text" not in data:
        if not isinstance(data["articles"], list):
            raise InputError(f'{name}: "articles" must be a list of article objects')
        data = data["articles"]
    if isinstance(data, dict):
        return [(name, data)]
    if isinstance(data, list):
        return [(f"{name} item {i}", item) for i, item in enumerate(data, start=1)]
    found = _JSON_KIND.get(type(data), type(data).__name__)
    raise InputError(
        f"{name}: expected an article object or a list of them, not {found}", source=name
    )


def _from_json(text: str, name: str, base_id: str, *, jsonl: bool) -> list[_Pending]:
    items = _json_items(text, name, jsonl)
    if not items:
        raise InputError(f"{name} holds no articles", source=name)
    pending: list[_Pending] = []
    for n, (where, obj) in enumerate(items, start=1):
        if not isinstance(obj, dict):
            kind = _JSON_KIND.get(type(obj), type(obj).__name__)
            raise InputError(f"{where} is {kind}, not an article object", source=where)
        body = obj.get("text")
        if body is not None and not isinstance(body, str):
            raise InputError(f'{where}: "text" must be a string, not {type(body).__name__}')
        if body is None or not body.strip():
            raise InputError(
                f'{where} has no "text" (each article needs a non-empty "text" string)'
            )
        pending.append(
            _Pending(
                text=clean_newlines(body),
                name=where,
                given_id=_optional_str(obj, "id", where),
                base_id=base_id if len(items) == 1 else f"{base_id}-{n}",
                title=_optional_str(obj, "title", where),
                outlet=_optional_str(obj, "outlet", where),
                url=_optional_str(obj, "url", where),
            )
        )
    return pending


def _read_file(path: Path) -> list[_Pending]:
    name = str(path)
    if not path.exists():
        raise InputError(f"file not found: {name}", source=name)
    if not path.is_file():
        raise InputError(f"{name} is not a regular file", source=name)
    kind = _kind_of_suffix(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{name} is empty", source=name)
    if kind == "text" and size > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name} is {format_size(size)} ({size:,} bytes); the limit is "
            f"{format_size(MAX_ARTICLE_BYTES)} of text per article (split or shorten it)"
        )
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{name} is {format_size(size)}; the limit is {format_size(MAX_FILE_BYTES)} per file"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}", source=name) from exc
    return _from_text(decode_text(data, name), name, slug(path.stem), kind)


def _expand_folder(folder: Path) -> list[Path]:
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
    )
    if not files:
        raise InputError(
            f"folder {folder} holds no article files (.txt, .md, .html, .json or .jsonl)"
        )
    return files


def _read_stdin() -> list[_Pending]:
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(MAX_FILE_BYTES + 1) if stream is not None else sys.stdin.read().encode()
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"stdin holds more than {format_size(MAX_FILE_BYTES)}")
    text = decode_text(data, "stdin")
    return _from_text(text, "stdin", "stdin", _sniff_kind(text))


def _from_url(url: str, *, allow_private: bool) -> list[_Pending]:
    """Fetch `url` and read the page as HTML, plain text or JSON, by its content type."""
    from urllib.parse import urlsplit

    from .errors import FetchError
    from .fetch import fetch

    page = fetch(url, allow_private=allow_private)
    parts = urlsplit(page.url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    base_id = slug(Path(segments[-1]).stem if segments else host, fallback="page")
    if page.media_type in ("text/html", "application/xhtml+xml"):
        kind: Kind = "html"
    elif page.media_type in ("text/plain", "text/markdown"):
        kind = "text"
    elif page.media_type in ("application/json", "application/x-ndjson", "application/jsonl"):
        kind = "jsonl" if "nd" in page.media_type or "lines" in page.media_type else "json"
    elif page.media_type == "":
        kind = _sniff_kind(page.body[:2048].decode("utf-8", "replace"))
    else:
        raise FetchError(
            f"{url} is {page.media_type}, not a web page; evenhand reads HTML, plain text and JSON"
        )
    if kind == "html":
        from .html_extract import extract_html

        # Bytes let trafilatura honour the page's own <meta charset> when the header has none.
        raw: str | bytes = page.body
        if page.charset:
            try:
                raw = page.body.decode(page.charset)
            except (LookupError, UnicodeDecodeError) as exc:
                raise FetchError(f"{url}: the page is not valid {page.charset}") from exc
        extracted = extract_html(raw, name=url, url=page.url)
        return [
            _Pending(
                text=extracted.text,
                name=url,
                base_id=base_id,
                title=extracted.title,
                outlet=extracted.sitename or host or None,
                url=page.url,
            )
        ]
    items = _from_text(decode_text(page.body, url), url, base_id, kind)
    for item in items:
        item.url = item.url or page.url
        item.outlet = item.outlet or host or None
    return items


# --- choosing a reader, then ids and outlets --------------------------------------------------


def _classify(source: str) -> Literal["url", "stdin", "path", "text"]:
    """A string is a URL, `-`, a path, or else the text of an article."""
    stripped = source.strip()
    if "\n" in source or not stripped:  # "" would otherwise be Path("."), the current folder
        return "text"
    if _URL.match(stripped):
        return "url"
    if _OTHER_SCHEME.match(stripped):
        raise InputError(f"{stripped}: only http and https URLs can be fetched")
    if stripped == "-":
        return "stdin"
    if len(stripped) < 1024:
        path = Path(stripped)
        if path.suffix.lower() in SUFFIXES or path.exists():
            return "path"
        if not any(c.isspace() for c in stripped) and ("/" in stripped or "\\" in stripped):
            return "path"
    return "text"


def _read_all(sources: Iterable[Source], allow_private: bool) -> Iterator[_Pending]:
    stdin_used = False
    texts = 0
    for source in sources:
        if isinstance(source, Article):
            yield _Pending(
                text=source.text,
                name=f"article {source.id!r}",
                given_id=source.id,
                base_id=source.id,
                title=source.title,
                outlet=source.outlet,
                url=source.url,
            )
            continue
        if isinstance(source, Path):
            paths = _expand_folder(source) if source.is_dir() else [source]
            for path in paths:
                yield from _read_file(path)
            continue
        if not isinstance(source, str):
            raise InputError(
                f"cannot read a {type(source).__name__} as an article: give a path, a URL, "
                "'-' for stdin, the article's text (str) or an evenhand.Article"
            )
        kind = _classify(source)
        if kind == "url":
            yield from _from_url(source.strip(), allow_private=allow_private)
        elif kind == "stdin":
            if stdin_used:
                raise InputError("'-' (stdin) can be given only once")
            stdin_used = True
            yield from _read_stdin()
        elif kind == "path":
            path = Path(source.strip())
            paths = _expand_folder(path) if path.is_dir() else [path]
            for p in paths:
                yield from _read_file(p)
        else:
            texts += 1
            name = f"text {texts}"
            if not source.strip():
                raise InputError(f"{name} is empty", source=name)
            yield from _from_text(source, name, f"text-{texts}", "text")


def _assign_ids(pending: list[_Pending]) -> list[str]:
    given: dict[str, str] = {}
    for item in pending:
        if item.given_id is not None:
            if item.given_id in given:
                raise InputError(
                    f"two articles have the id {item.given_id!r} "
                    f"({given[item.given_id]} and {item.name}); ids must be unique"
                )
            given[item.given_id] = item.name
    taken = set(given)
    ids: list[str] = []
    for item in pending:
        if item.given_id is not None:
            ids.append(item.given_id)
            continue
        candidate, n = item.base_id, 1
        while candidate in taken:
            n += 1
            candidate = f"{item.base_id}-{n}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def load_articles(
    sources: Iterable[Source],
    *,
    outlets: Mapping[str, str] | None = None,
    allow_private: bool = False,
) -> list[Article]:
    """Read every source into an `Article` with a stable, unique id.

    A `Path` is a file or a folder of article files; a string is a URL (`http(s)://`), `-` for
    stdin, a path, or else the text of an article. `outlets` maps ids to outlet names and wins over
    outlets given in JSON or found on a web page.
    """
    if isinstance(sources, str | Path | Article):
        sources = [sources]
    pending = list(_read_all(sources, allow_private))
    if not pending:
        raise InputError("no articles given")
    for item in pending:
        if not item.text.strip():
            raise InputError(f"{item.name} is empty", source=item.name)
        for field in ("given_id", "title", "outlet", "url", "text"):
            check_unicode(getattr(item, field), item.name, field.removeprefix("given_"))
        check_article_size(item.text, item.name)
    ids = _assign_ids(pending)
    outlets = dict(outlets or {})
    unknown = sorted(set(outlets) - set(ids))
    if unknown:
        raise UsageError(
            f"outlets: no article has the id {unknown[0]!r} (the ids are: {', '.join(ids)})",
            option="outlets",
        )
    return [
        Article(
            id=article_id,
            outlet=outlets.get(article_id, item.outlet),
            title=item.title,
            text=item.text,
            url=item.url,
        )
        for article_id, item in zip(ids, pending, strict=True)
    ]
