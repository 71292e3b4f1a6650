"""Blocking calls that work inside a running event loop (a Jupyter cell, an async web handler).

An engine's sync `analyze` may start an event loop of its own (`asyncio.run`), which asyncio
refuses on a thread whose loop is already running. The sync API therefore does its work on a
worker thread when it finds a running loop: the caller blocks as with any sync call, and the
caller's loop is never re-entered (unlike patching asyncio with nest_asyncio).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def off_the_loop(work: Callable[[], T]) -> T:
    """`work()` here, or on a worker thread when this thread runs an event loop; its result or
    its exception either way. Context variables go with it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evenhand-sync") as pool:
        return pool.submit(context.run, work).result()
