"""Where the work runs, and for how long the client waits for it.

Threads for work that waits on the network (the LLM engine, fetching URLs). The offline engine is
CPU-bound and Python threads share one core, so with `processes` > 0 its work goes to worker
processes fed from one queue: every core works, and no client waits behind a busy process while
another one idles.

A run in a worker process is stopped at the time limit: the client gets its 504, the process is
killed and a fresh one takes its place, so an abandoned analysis never keeps a worker from the
requests behind it. A run in a thread (the LLM engine, or the offline engine with `processes` = 0)
cannot be stopped from outside: its result is dropped and the thread finishes in the background.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import ApiError
from .jobs import warm_up

T = TypeVar("T")
log = logging.getLogger("evenhand.web")


def _timeout_error(timeout: float) -> ApiError:
    return ApiError(
        504,
        "timeout",
        f"the analysis took longer than {timeout:g} s, this server's limit per request: "
        "try fewer or shorter articles, or start the server with a larger "
        "--request-timeout",
    )


def _kill(worker: ProcessPoolExecutor) -> None:
    """Stop a one-process pool now, even in the middle of a run."""
    # No public way to kill a pool's process; `_processes` is None once the pool is shut down.
    processes = worker._processes
    for process in list(processes.values()) if processes else []:
        process.kill()
    worker.shutdown(wait=False, cancel_futures=True)


class Runner:
    def __init__(self, threads: int, processes: int) -> None:
        self.threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="evenhand-web")
        self.processes = processes
        # One single-process pool per worker, so that one run can be killed without the others;
        # the idle ones wait in `_idle`, and a request waits there for the first one free.
        self._workers: list[ProcessPoolExecutor] = []
        self._idle: asyncio.Queue[ProcessPoolExecutor] | None = None

    def _new_worker(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server process has threads, and a forked lock stays locked.
        context = multiprocessing.get_context("spawn")
        worker = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self._workers.append(worker)
        return worker

    def _idle_workers(self) -> asyncio.Queue[ProcessPoolExecutor]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.processes):
                self._idle.put_nowait(self._new_worker())
        return self._idle

    def _replace(self, worker: ProcessPoolExecutor) -> None:
        """Kill `worker` and put a fresh one, loading the engine, in its place."""
        _kill(worker)
        if worker in self._workers:
            self._workers.remove(worker)
        fresh = self._new_worker()
        fresh.submit(warm_up)  # queued first: it runs before the fresh worker's first request
        self._idle_workers().put_nowait(fresh)

    async def start(self) -> None:
        """Start the worker processes and load the engine in each, before the first request."""
        if self.processes:
            idle = self._idle_workers()
            workers = [idle.get_nowait() for _ in range(idle.qsize())]
            try:
                await asyncio.gather(*(asyncio.wrap_future(w.submit(warm_up)) for w in workers))
            finally:
                for worker in workers:
                    idle.put_nowait(worker)

    def shutdown(self) -> None:
        """Stop the workers; the runner can start again (an app's lifespan may run again)."""
        self.threads.shutdown(wait=False, cancel_futures=True)
        # A fresh pool starts no thread until it is used.
        self.threads = ThreadPoolExecutor(
            max_workers=self.threads._max_workers, thread_name_prefix="evenhand-web"
        )
        for worker in self._workers:
            worker.shutdown(wait=False, cancel_futures=True)
        self._workers = []
        self._idle = None

    async def run(self, timeout: float, cpu_bound: bool, job: Callable[..., T], *args: Any) -> T:
        """`job(*args)` in a worker, waiting at most `timeout` seconds for it (queue included)."""
        if cpu_bound and self.processes:
            return await self._in_process(timeout, functools.partial(job, *args))
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.threads, functools.partial(job, *args))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise _timeout_error(timeout) from None

    async def _in_process(self, timeout: float, call: Callable[[], T]) -> T:
        idle = self._idle_workers()
        worker: ProcessPoolExecutor | None = None
        finished = False
        try:
            async with asyncio.timeout(timeout):
                worker = await idle.get()
                result = await asyncio.wrap_future(worker.submit(call))
            finished = True
            return result
        except TimeoutError:
            raise _timeout_error(timeout) from None
        except BrokenProcessPool:
            log.error("an analysis process stopped unexpectedly; starting a new one")
            raise ApiError(
                503,
                "worker_stopped",
                "the analysis process stopped unexpectedly (out of memory?); try again",
            ) from None
        except ApiError:
            finished = True  # the job's own answer (bad input, engine error): the worker is fine
            raise
        finally:
            if worker is not None:
                if finished:
                    idle.put_nowait(worker)
                else:  # timed out, broken or cancelled: whatever it still runs is abandoned
                    self._replace(worker)
