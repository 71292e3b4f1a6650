"""The async API, and the sync one called inside a running event loop (as in a notebook)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

import evenhand
from evenhand.engines import EngineResult
from evenhand.errors import UsageError
from evenhand.schema import Article, Report

A = Article(
    id="a",
    outlet="Daily One",
    text="The council approved the new budget on Monday. The mayor said the plan would fix "
    "the roads. Opposition members said the vote was rushed.",
)
B = Article(
    id="b",
    outlet="Evening Two",
    text="The council passed the budget on Monday. Critics called the vote a reckless gamble. "
    "The mayor said the plan would fix the roads.",
)
DRAFT = "The council approved the budget on Monday. The mayor said the plan would fix the roads."


class OwnLoopEngine:
    """An engine whose sync `analyze` runs its async core with `asyncio.run`, as the LLM
    engine does for a cluster that needs several model calls: inside a running loop asyncio
    refuses that, unless the call is moved off the loop's thread."""

    name = "own-loop"

    def __init__(self) -> None:
        self.threads: list[int] = []

    def analyze(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        return asyncio.run(self.analyze_async(articles, max_words=max_words))

    async def analyze_async(self, articles: Sequence[Article], *, max_words: int) -> EngineResult:
        self.threads.append(threading.get_ident())
        await asyncio.sleep(0)
        return EngineResult(summary=[], contested_claims=[], loaded_language=[], model="fake")


def _texts(report: Report) -> list[str]:
    return [s.text for s in report.summary]


def test_sync_analyze_inside_asyncio_run() -> None:
    engine = OwnLoopEngine()

    async def notebook_cell() -> tuple[Report, int]:
        return evenhand.analyze([A, B], engine=engine), threading.get_ident()

    report, loop_thread = asyncio.run(notebook_cell())
    assert report.provenance.engine == "own-loop"
    assert report.provenance.model == "fake"
    assert len(engine.threads) == 1
    assert engine.threads[0] != loop_thread  # it ran off the loop's thread


def test_sync_analyze_outside_a_loop_stays_on_the_callers_thread() -> None:
    engine = OwnLoopEngine()
    evenhand.analyze([A, B], engine=engine)
    # asyncio.run runs the coroutine on the calling thread
    assert engine.threads == [threading.get_ident()]


def test_errors_inside_a_loop_are_the_same_errors() -> None:
    async def cell() -> Report:
        return evenhand.analyze([A, B], max_words=5)

    with pytest.raises(UsageError, match="max_words must be at least 20"):
        asyncio.run(cell())


def test_the_offline_engine_gives_the_same_report_sync_async_and_in_a_loop() -> None:
    sync = evenhand.analyze([A, B])

    async def cell() -> tuple[Report, Report]:
        return evenhand.analyze([A, B]), await evenhand.analyze_async([A, B])

    in_loop, awaited = asyncio.run(cell())
    assert sync.summary
    assert _texts(sync) == _texts(in_loop) == _texts(awaited)
    assert sync.loaded_language == in_loop.loaded_language == awaited.loaded_language


def test_an_engine_object_takes_no_engine_options() -> None:
    with pytest.raises(UsageError, match="'model' is an option of a named engine") as info:
        evenhand.analyze([A, B], engine=OwnLoopEngine(), model="gpt-4o-mini")
    assert info.value.option == "model"


def test_check_sync_in_a_loop_and_check_async_agree() -> None:
    sync = evenhand.check(DRAFT, [A, B])

    async def cell() -> tuple[list[str], list[str]]:
        in_loop = evenhand.check(DRAFT, [A, B])
        awaited = await evenhand.check_async(DRAFT, [A, B])
        return [f.message for f in in_loop.findings], [f.message for f in awaited.findings]

    in_loop, awaited = asyncio.run(cell())
    assert [f.message for f in sync.findings] == in_loop == awaited
    assert sync.draft == DRAFT


def test_check_async_validates_like_check() -> None:
    with pytest.raises(evenhand.InputError, match="the draft is empty"):
        asyncio.run(evenhand.check_async("  ", [A, B]))
