"""Reports rendered for people and tools: terminal text, Markdown, JSON and one-file HTML.

`render(report, fmt)` is the one entry point. A `CheckReport` (from `evenhand check`) goes to
`evenhand.renderers.check`, which knows how to show findings anchored in an editor's draft.
"""

from __future__ import annotations

from ..errors import UsageError
from ..schema import CheckReport, Report

FORMATS = ("text", "markdown", "json", "html")


def check_format(fmt: str) -> str:
    """The format name, or a one-line `UsageError` listing the formats."""
    name = fmt.strip().lower()
    if name == "md":
        name = "markdown"
    if name not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return name


def render(obj: Report | CheckReport, fmt: str, *, color: bool = False) -> str:
    """`obj` as text in `fmt` (text | markdown | json | html); `color` only affects `text`."""
    name = check_format(fmt)
    if isinstance(obj, CheckReport):
        from .check import render_check

        result: str = render_check(obj, name, color=color)
        return result
    if name == "json":
        from .json import render_json

        return render_json(obj)
    if name == "markdown":
        from .markdown import render_markdown

        return render_markdown(obj)
    if name == "html":
        from .html import render_html

        return render_html(obj)
    from .text import render_text

    return render_text(obj, color=color)


__all__ = ["FORMATS", "check_format", "render"]
