"""A one-line status on stderr while the LLM engine works, cleared before anything else is shown.

    evenhand: asking gpt-4.1-mini (1 call, 1,888 prompt tokens)… 4 s
    evenhand: asking gpt-3.5-turbo (4 calls, 21,302 prompt tokens): extract 2/3 done… 12 s

Shown only on a terminal, as a transient rich `Live` display (redrawn in place, which is noise in a
pipe or a log file, and removed when the work ends). It is plain text (no colour, so NO_COLOR has
nothing to change) and it goes to stderr only, so stdout carries the report alone. rich is imported
when a line is made, so `evenhand --help` stays fast.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from types import TracebackType

    from rich.live import Live
    from rich.text import Text

    from ..llm.progress import ProgressEvent

# Seconds between redraws while waiting on a call: the elapsed time is the sign of life.
TICK_SECONDS = 1.0


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class StatusLine:
    """A progress callback for `LLMEngine(on_progress=...)` that draws one line on `stream`.

    Use it as a context manager: entering starts the clock, the first event shows the line (which
    rich redraws with the elapsed seconds every `interval`; None: on events only), leaving
    removes it.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float | None = TICK_SECONDS,
        width: int | None = None,
    ) -> None:
        from rich.console import Console

        self._console = Console(file=stream, width=width, highlight=False, markup=False)
        self._clock = clock
        self._interval = interval
        self._lock = threading.Lock()
        self._live: Live | None = None
        self._started = clock()
        self._head = ""
        self._stage = ""
        self._broken = False
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "…".encode(encoding)
            self._dots = "…"
        except (UnicodeEncodeError, LookupError):
            self._dots = "..."

    # --- the callback ---------------------------------------------------------------------------

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            if event.stage == "start":
                self._head = (
                    f"asking {event.detail} ({_plural(event.total, 'call')}, "
                    f"{_plural(event.prompt_tokens, 'prompt token')})"
                )
                self._stage = ""
            elif event.stage == "extract":
                self._stage = f"extract {event.done}/{event.total} done"
            elif event.stage == "merge":
                self._stage = "merging" if event.done < event.total else "checking the answer"
            elif event.stage == "analyze":
                self._stage = "" if event.done < event.total else "checking the answer"
            elif event.stage == "reask":
                self._stage = (
                    f"the {event.detail} answer was invalid, re-asking ({event.done}/{event.total})"
                )
            self._draw()

    # --- drawing --------------------------------------------------------------------------------

    def text(self) -> str:
        """The line as it would be drawn now."""
        if not self._head:
            return ""
        elapsed = int(self._clock() - self._started)
        stage = f": {self._stage}" if self._stage else ""
        return f"evenhand: {self._head}{stage}{self._dots} {elapsed} s"

    def _renderable(self) -> Text:
        from rich.text import Text

        return Text(self.text(), no_wrap=True, overflow="ellipsis")

    def _guarded(self, action: Callable[[], object]) -> None:
        """Run a drawing step; a stderr that is closed or gone ends the drawing, not the run."""
        if self._broken:
            return
        try:
            action()
        except (OSError, ValueError):
            self._broken = True

    def _draw(self) -> None:
        if not self._head:
            return
        if self._live is None:
            from rich.live import Live

            self._live = Live(
                console=self._console,
                get_renderable=self._renderable,
                auto_refresh=self._interval is not None,
                refresh_per_second=1 / self._interval if self._interval else 1,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._guarded(self._live.start)
        self._guarded(self._live.refresh)

    def tick(self) -> None:
        """Redraw with the current elapsed time."""
        with self._lock:
            self._draw()

    def note(self, text: str) -> None:
        """Print `text` (one finished line) above the status line, which stays below it."""
        with self._lock:
            self._guarded(lambda: self._console.print(text.rstrip("\n"), soft_wrap=True))

    def clear(self) -> None:
        """Remove the line, so the next output starts on a clean line."""
        with self._lock:
            live, self._live = self._live, None
            if live is not None:
                self._guarded(live.stop)

    # --- lifetime -------------------------------------------------------------------------------

    def __enter__(self) -> StatusLine:
        self._started = self._clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.clear()


def status_line(*, quiet: bool, stream: TextIO | None = None) -> StatusLine | None:
    """A status line on `stream` (default: stderr), or None when it should not be shown: with
    --quiet, or when the stream is not a terminal (a pipe, a file, a test's capture)."""
    target = sys.stderr if stream is None else stream
    if quiet:
        return None
    try:
        if not target.isatty():
            return None
    except (AttributeError, ValueError):  # a replaced or closed stream
        return None
    return StatusLine(target)


class _Notes(logging.Handler):
    """The library's warnings (a wait on a rate-limited model service) as `evenhand: ...` lines
    on stderr, above the status line when one is drawn."""

    def __init__(self, line: StatusLine | None, stream: TextIO) -> None:
        super().__init__(logging.WARNING)
        self._line = line
        self._stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        text = f"evenhand: {record.getMessage()}\n"
        if self._line is not None:
            self._line.note(text)
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            pass


@contextlib.contextmanager
def library_notes(line: StatusLine | None, *, quiet: bool) -> Iterator[None]:
    """While the block runs, show evenhand's logged warnings on stderr (none with --quiet)."""
    logger = logging.getLogger("evenhand")
    handler: logging.Handler = logging.NullHandler() if quiet else _Notes(line, sys.stderr)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
