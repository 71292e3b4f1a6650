"""Turning the sources of a web request into `Article`s.

Text from the page is never read as a path: only an explicit `url` goes to `evenhand.sources`,
and always with private addresses refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import InputError, PrivateAddressError
from ..schema import Article
from .models import SourceIn

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _base_id(source: SourceIn, position: int) -> str:
    from ..article_text import slug

    fallback = f"source-{position}"
    if source.filename:
        name = source.filename.replace("\\", "/").rsplit("/", 1)[-1]
        return slug(name.rsplit(".", 1)[0] if "." in name else name, fallback=fallback)
    if source.outlet:
        return slug(source.outlet.lower(), fallback=fallback)
    return fallback


def article_ids(sources: Sequence[SourceIn]) -> list[str]:
    """Stable, unique ids: the given id, else the file name's stem, else the outlet, else
    `source-N` (a derived id never takes a given one)."""
    given = {source.id for source in sources if source.id}
    ids: list[str] = []
    for position, source in enumerate(sources, start=1):
        if source.id:
            ids.append(source.id)
            continue
        base = candidate = _base_id(source, position)
        n = 2
        while candidate in ids or candidate in given:
            candidate = f"{base}-{n}"
            n += 1
        ids.append(candidate)
    return ids


def _from_text(source: SourceIn, article_id: str, label: str) -> Article:
    """Pasted or uploaded text, read as the CLI reads a file: HTML extracted, headline split off."""
    text = source.text or ""
    if "\x00" in text:
        raise InputError(f"{label} looks like a binary file (it holds NUL bytes), not text")
    title, outlet = source.title, source.outlet
    if (source.filename or "").lower().endswith(_HTML_SUFFIXES):
        from ..html_extract import extract_html

        page = extract_html(text, name=label)
        text, title, outlet = page.text, title or page.title, outlet or page.sitename
    else:
        from ..article_text import split_headline

        headline, text = split_headline(text)
        title = title or headline
    if not text.strip():
        raise InputError(f"{label} is empty")
    url = (source.url or "").strip() or None  # with text, only the article's address
    return Article(id=article_id, outlet=outlet or None, title=title or None, text=text, url=url)


def _from_url(source: SourceIn, article_id: str, label: str) -> Article:
    from ..sources import load_articles

    url = (source.url or "").strip()
    if not re.match(r"(?i)^https?://", url):
        raise InputError(f"{label}: {url!r} is not an http(s) URL")
    try:
        fetched = load_articles([url], allow_private=False)
    except PrivateAddressError as exc:
        raise InputError(
            f"{label}: {url} is on a loopback, private or link-local address, which this server "
            "does not fetch; paste the article's text or upload it as a file instead"
        ) from exc
    if len(fetched) != 1:
        raise InputError(f"{label}: {url} did not give one article")
    article = fetched[0]
    return article.model_copy(
        update={
            "id": article_id,
            "outlet": source.outlet or article.outlet,
            "title": source.title or article.title,
            "url": article.url or url,
        }
    )


def to_articles(sources: Sequence[SourceIn]) -> list[Article]:
    """The articles of a request, in order; URLs are fetched (this blocks: run it in a thread)."""
    articles: list[Article] = []
    for position, (source, article_id) in enumerate(
        zip(sources, article_ids(sources), strict=True), start=1
    ):
        label = f"source {position}" + (f" ({source.filename})" if source.filename else "")
        if not (source.text and source.text.strip()):
            articles.append(_from_url(source, article_id, label))
        else:
            articles.append(_from_text(source, article_id, label))
    return articles
