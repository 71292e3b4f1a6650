"""Where the work runs, and for how long the client waits for it.

Threads for work that waits on the network (the LLM engine, fetching URLs). The offline engine is
CPU-bound and Python threads share one core, so with `processes` > 0 its work goes to a pool of
worker processes fed from one queue: every core works, and no client waits behind a busy process
while another one idles.

A run cannot be stopped from outside: past the time limit the client gets its answer at once and
the run finishes in the background, its result dropped. The pool sizes bound how many such runs
can be in flight.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import ApiError
from .jobs import warm_up

T = TypeVar("T")
log = logging.getLogger("evenhand.web")


class Runner:
    def __init__(self, threads: int, processes: int) -> None:
        self.threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="evenhand-web")
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    def _process_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the server process has threads, and a forked lock stays locked.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context)
        return self._pool

    async def start(self) -> None:
        """Start the worker processes and load the engine in each, before the first request."""
        if self.processes:
            loop = asyncio.get_running_loop()
            pool = self._process_pool()
            await asyncio.gather(
                *(loop.run_in_executor(pool, warm_up) for _ in range(self.processes))
            )

    def shutdown(self) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, timeout: float, cpu_bound: bool, job: Callable[..., T], *args: Any) -> T:
        """`job(*args)` in a worker, waiting at most `timeout` seconds for it."""
        executor: Executor = self._process_pool() if cpu_bound and self.processes else self.threads
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(executor, functools.partial(job, *args))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise ApiError(
                504,
                "timeout",
                f"the analysis took longer than {timeout:g} s, this server's limit per request: "
                "try fewer or shorter articles, or start the server with a larger "
                "--request-timeout",
            ) from None
        except BrokenProcessPool:
            log.error("an analysis process stopped unexpectedly; starting new ones")
            broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            raise ApiError(
                503,
                "worker_stopped",
                "the analysis process stopped unexpectedly (out of memory?); try again",
            ) from None
