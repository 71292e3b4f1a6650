"""The progress bar: count, rate and ETA on a terminal, silent otherwise (logs, CI, pipes)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO


class Progress:
    """A thin wrapper over rich's progress bar that does nothing when `enabled` is false."""

    def __init__(
        self,
        total: int,
        *,
        description: str,
        enabled: bool | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.description = description
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled and self.total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[note]}"),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.description, total=self.total, rate="", note="")
        return self

    def advance(self, *, note: str = "") -> None:
        if self._bar is None:
            return
        self._bar.advance(self._task)
        speed = self._bar.tasks[0].speed
        rate = f"{speed:.1f}/s" if speed else ""
        self._bar.update(self._task, rate=rate, note=note)

    def update(self, completed: int, *, note: str = "") -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=completed, note=note)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
            self._bar = None
