"""Colour for the terminal formats, by rich: whether a stream gets colour, and text in a style.

rich decides as the command line always has: colour on a terminal, none in a pipe or a file,
none with `NO_COLOR` set or `TERM=dumb`, and colour when `FORCE_COLOR` is set (unless `NO_COLOR`
is set too). Styles are rich's names (`bold red`, `dim`, `italic`).
"""

from __future__ import annotations

from functools import cache
from typing import TextIO

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style


def wants_color(stream: TextIO) -> bool:
    """Whether text written to `stream` should be in colour."""
    console = Console(file=stream)
    return console.is_terminal and console.color_system is not None and not console.no_color


@cache
def _style(spec: str) -> Style:
    return Style.parse(spec)


class Painter:
    """Text in a rich style when colour is on; the text unchanged otherwise."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, *styles: str) -> str:
        if not self.color or not styles or not text:
            return text
        return _style(" ".join(styles)).render(text, color_system=ColorSystem.STANDARD)
