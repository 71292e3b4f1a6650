"""The main text of an HTML page (trafilatura), without menus, footers, scripts and comments."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

# A page whose extracted text has fewer words than this holds no article: what trafilatura falls
# back to on such pages is navigation ("Home About Contact"), which must not pass as a source.
MIN_ARTICLE_WORDS = 15


@dataclass(frozen=True)
class ExtractedPage:
    title: str | None
    text: str
    sitename: str | None


def _drop_repeated_headline(title: str | None, text: str) -> str:
    """trafilatura keeps the <h1> as the first line of the text; the title already holds it."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    if sep and first.strip().casefold() == title.strip().casefold():
        return rest.lstrip("\n")
    return text


def extract_html(page: str | bytes, *, name: str, url: str | None = None) -> ExtractedPage:
    """The article in `page`; `name` says where the page came from, for the error message."""
    import trafilatura  # heavy (lxml, justext): loaded only when an HTML page is read

    try:
        document = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise InputError(f"{name}: cannot parse the HTML ({exc})") from exc
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    title = getattr(document, "title", None) if document is not None else None
    sitename = getattr(document, "sitename", None) if document is not None else None
    text = _drop_repeated_headline(title, text)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(
            f"{name}: no article text found in the HTML "
            f"(fewer than {MIN_ARTICLE_WORDS} words outside menus, scripts and footers)"
        )
    return ExtractedPage(
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        text=text,
        sitename=sitename.strip() if isinstance(sitename, str) and sitename.strip() else None,
    )
