"""A one-line status on stderr while the LLM engine works, cleared before anything else is shown.

    evenhand: asking gpt-4.1-mini (1 call, 1,888 prompt tokens)… 4 s
    evenhand: asking gpt-3.5-turbo (4 calls, 21,302 prompt tokens): extract 2/3 done… 12 s

Shown only on a terminal: the line is redrawn in place with a carriage return, which is noise in
a pipe or a log file. It is plain text (no colour, so NO_COLOR has nothing to change) and it goes
to stderr only, so stdout carries the report alone. Stdlib only: `evenhand --help` stays fast.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from types import TracebackType

    from ..llm.progress import ProgressEvent

# Seconds between redraws while waiting on a call: the elapsed time is the sign of life.
TICK_SECONDS = 1.0


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class StatusLine:
    """A progress callback for `LLMEngine(on_progress=...)` that draws one line on `stream`.

    Use it as a context manager: entering starts the clock (and a thread that redraws the
    elapsed seconds every `interval`; None: redraw on events only), leaving clears the line.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float | None = TICK_SECONDS,
        width: int | None = None,
    ) -> None:
        self._stream = stream
        self._clock = clock
        self._interval = interval
        self._width = width
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._started = clock()
        self._head = ""
        self._stage = ""
        self._shown = 0  # characters of the line on screen now
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

    def _columns(self) -> int:
        width = self._width or shutil.get_terminal_size(fallback=(80, 24)).columns
        # One column short of the edge: a full line would wrap on some terminals, and a wrapped
        # line cannot be cleared with a carriage return.
        return max(width - 1, 10)

    def _write(self, data: str) -> None:
        if self._broken:
            return
        try:
            self._stream.write(data)
            self._stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: progress is not worth failing for
            self._broken = True

    def _draw(self) -> None:
        line = self.text()[: self._columns()]
        if not line:
            return
        padding = " " * max(self._shown - len(line), 0)  # cover the rest of a longer line
        self._write(f"\r{line}{padding}")
        self._shown = len(line)

    def tick(self) -> None:
        """Redraw with the current elapsed time."""
        with self._lock:
            self._draw()

    def note(self, text: str) -> None:
        """Print `text` (one finished line) above the status line, which is then drawn again."""
        with self._lock:
            if self._shown:
                self._write("\r" + " " * self._shown + "\r")
                self._shown = 0
            self._write(text)
            self._draw()

    def clear(self) -> None:
        """Blank the line and return the cursor to its start, so the next output starts clean."""
        with self._lock:
            if self._shown:
                self._write("\r" + " " * self._shown + "\r")
                self._shown = 0

    # --- lifetime -------------------------------------------------------------------------------

    def _run_ticker(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.tick()

    def __enter__(self) -> StatusLine:
        self._started = self._clock()
        if self._interval is not None:
            self._ticker = threading.Thread(
                target=self._run_ticker,
                args=(self._interval,),
                name="evenhand-progress",
                daemon=True,
            )
            self._ticker.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
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
