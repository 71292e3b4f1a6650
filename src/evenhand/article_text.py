"""Article text as evenhand accepts it: its size limit, bytes decoded, Unicode that can be
written as UTF-8, the headline split from the body, ids made from names.

`MAX_ARTICLE_BYTES` (500 kB) of text per article, after HTML extraction: far above any news
article (a long feature is 50 kB), low enough that one stray file cannot stall the engines.
"""

from __future__ import annotations

import codecs
import re

from .errors import InputError

MAX_ARTICLE_BYTES = 500_000

_MAX_HEADLINE_CHARS = 200
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP (or .docx/.odt)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}


def format_size(n: int) -> str:
    """Decimal units, as file managers show them: 500 kB, 1.0 MB."""
    if n >= 999_500:  # what would round to "1000 kB"
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} kB"
    return f"{n} bytes"


def check_article_size(text: str, name: str) -> None:
    """An `InputError` when `text` is over `MAX_ARTICLE_BYTES` as UTF-8."""
    size = len(text.encode("utf-8"))
    if size > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name}: the article is {format_size(size)} ({size:,} bytes); the limit is "
            f"{format_size(MAX_ARTICLE_BYTES)} of text per article (split or shorten it)",
            source=name,
        )


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is a clear error."""
    if not data.strip():
        raise InputError(f"{name} is empty", source=name)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(
                f"{name} is {what} file, not text; save the article as text or HTML", source=name
            )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} starts like UTF-16 text but is not valid UTF-16", source=name
            ) from exc
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name} looks like a binary file (it contains NUL bytes), not text", source=name
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} is "
            "invalid in UTF-8 (tried utf-8 and utf-8-sig); re-save the file as UTF-8"
        ) from exc


def surrogate_problem(value: str) -> str | None:
    """What is wrong with `value` when it holds a lone surrogate (`\\ud800`, which a JSON escape
    can spell but which is no Unicode character and cannot be written as UTF-8), else None."""
    found = _SURROGATE.search(value)
    if found is None:
        return None
    return (
        f"holds a lone surrogate (\\u{ord(found.group()):04x}) at character {found.start()}, "
        "which is not a Unicode character; fix the \\u escapes of the JSON (a surrogate must "
        "come in a high-low pair) or save the text as UTF-8"
    )


def check_unicode(value: str | None, where: str, field: str) -> None:
    """An `InputError` naming the article and the field when `value` holds a lone surrogate."""
    problem = None if value is None else surrogate_problem(value)
    if problem is not None:
        raise InputError(f"{where}: {field} {problem}", source=where)


def clean_newlines(text: str) -> str:
    """`text` with Windows and old Mac line ends as \\n, and no space around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def split_headline(text: str) -> tuple[str | None, str]:
    """A short first line followed by a blank line (or a Markdown `# ` heading) is the headline.

    Short means at most 200 characters, not ending in a full stop (a one-sentence lead paragraph
    ends in one; a headline does not). Returns (title or None, body).
    """
    text = clean_newlines(text)
    first, sep, rest = text.partition("\n")
    if not sep:
        return None, text
    heading = first.strip()
    markdown = heading.startswith("# ")
    blank_next = rest.split("\n", 1)[0].strip() == ""
    if not (markdown or blank_next):
        return None, text
    heading = heading.lstrip("#").strip()
    body = rest.strip()
    if not heading or not body or len(heading) > _MAX_HEADLINE_CHARS:
        return None, text
    if heading.endswith(".") and not markdown:
        return None, text
    return heading, body


def slug(value: str, fallback: str = "article") -> str:
    """An id-safe form of a file stem or URL segment: letters, digits, `.`, `_`, `-`."""
    cleaned = re.sub(r"[^\w.-]+", "-", value, flags=re.UNICODE).strip("-.")
    return cleaned[:80] or fallback
