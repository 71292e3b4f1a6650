"""The work behind each endpoint, as plain top-level functions: they run in a worker thread or,
for the CPU-bound offline engine, in a worker process (so their arguments and results pickle).

Each returns the report as JSON data, or as rendered text for the other formats. An evenhand
error becomes an `ApiError` here, so that it crosses a process boundary intact.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from ..errors import EvenhandError
from ..schema import CheckReport, Report
from .errors import ApiError, status_for
from .models import AnalyzeRequest, CheckRequest

Output = dict[str, Any] | str
P = ParamSpec("P")


def _as_api_errors(job: Callable[P, Output]) -> Callable[P, Output]:
    @wraps(job)
    def run(*args: P.args, **kwargs: P.kwargs) -> Output:
        try:
            return job(*args, **kwargs)
        except EvenhandError as exc:
            status, kind = status_for(exc)
            raise ApiError(status, kind, exc.message) from None

    return run


def output(report: Report | CheckReport, fmt: str) -> Output:
    if fmt == "json":
        data: dict[str, Any] = report.model_dump(mode="json")
        return data
    from ..renderers import render

    return render(report, fmt)


@_as_api_errors
def analyze_job(body: AnalyzeRequest, options: dict[str, Any], fmt: str) -> Output:
    from ..pipeline import analyze
    from .convert import to_articles

    articles = to_articles(body.sources)  # URLs are fetched here, inside the time limit
    report = analyze(
        articles,
        body.engine,
        max_words=body.max_words,
        min_confidence=body.min_confidence,
        **options,
    )
    return output(report, fmt)


@_as_api_errors
def check_job(body: CheckRequest, options: dict[str, Any], fmt: str) -> Output:
    from ..draft_check import check
    from .convert import to_articles

    report = body.report
    articles = report.articles if report is not None else to_articles(body.sources)
    result = check(
        body.draft,
        articles,
        report=report,
        engine=body.engine,
        max_words=body.max_words,
        min_confidence=body.min_confidence,
        **options,
    )
    return output(result, fmt)


@_as_api_errors
def render_job(report: Report | CheckReport, fmt: str) -> Output:
    return output(report, fmt)


def warm_up() -> bool:
    """Load the engine's modules, word lists and annotation models in a fresh worker process."""
    from ..annotate import warm_up as warm_models
    from ..draft_check import check  # noqa: F401
    from ..lexicon import find_loaded
    from ..pipeline import analyze  # noqa: F401
    from ..renderers import render  # noqa: F401

    find_loaded("a warm-up sentence")
    warm_models()
    return True
