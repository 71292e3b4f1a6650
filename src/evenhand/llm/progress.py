"""Progress of an LLM analysis, as plain events for whoever wants to show it.

The engine reports where it is (which calls are in flight, which are done) through an optional
callback; how that is shown (a terminal line, a log, nothing) is the caller's business.

Events of one `analyze` call, in order:

    start    done=0, total=all calls planned, detail=model, prompt_tokens=planned prompt tokens
    analyze  0/1 when the single call is sent, 1/1 when its answer is valid        (one call)
    extract  0/n when the extract calls start, k/n as each one finishes        (map-reduce)
    merge    0/1 when the merge call is sent, 1/1 when its answer is valid     (map-reduce)
    reask    done=re-ask number, total=re-asks allowed, detail=the step re-asked (any time)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Stage = Literal["start", "analyze", "extract", "merge", "reask"]


@dataclass(frozen=True)
class ProgressEvent:
    stage: Stage
    done: int
    total: int
    detail: str = ""  # start: the model; reask: the step whose answer is re-asked
    prompt_tokens: int = 0  # start: prompt tokens of every planned call (the merge at its largest)


ProgressCallback = Callable[[ProgressEvent], None]


class Progress:
    """Sends events to a callback (or nowhere), one at a time: extract calls made on threads
    finish concurrently, and a callback should not have to be thread-safe."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._lock = threading.Lock()
        self._done: dict[Stage, int] = {}

    def emit(self, event: ProgressEvent) -> None:
        if self._callback is None:
            return
        with self._lock:
            self._callback(event)

    def begin(self, stage: Stage, total: int) -> None:
        with self._lock:
            self._done[stage] = 0
        self.emit(ProgressEvent(stage, 0, total))

    def finished(self, stage: Stage, total: int) -> None:
        """One more call of `stage` is done (counted here, so concurrent calls count right)."""
        if self._callback is None:
            return
        with self._lock:
            done = self._done.get(stage, 0) + 1
            self._done[stage] = done
            self._callback(ProgressEvent(stage, done, total))


NO_PROGRESS = Progress(None)
