"""evenhand: neutral, source-backed summaries of articles that frame one event differently.

    >>> import evenhand
    >>> report = evenhand.analyze(["a.txt", "b.txt"])          # offline engine, no key needed
    >>> print(evenhand.render(report, "markdown"))
    >>> evenhand.check(open("draft.txt").read(), ["a.txt", "b.txt"]).findings

The public API is exactly `__all__`. Heavy modules load on first use so that `evenhand --help`
stays fast; the names are the same whatever is installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .checking import check
    from .errors import (
        ConfigError,
        EngineError,
        EvenhandError,
        FetchError,
        InputError,
        ModelError,
        UsageError,
    )
    from .pipeline import analyze, analyze_async
    from .renderers import render
    from .schema import (
        SCHEMA_VERSION,
        Article,
        CheckReport,
        ContestedClaim,
        Finding,
        LoadedTerm,
        Position,
        Provenance,
        Report,
        Span,
        SummarySentence,
        TokenUsage,
    )
    from .sources import load_articles

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "CheckReport",
    "ConfigError",
    "ContestedClaim",
    "EngineError",
    "EvenhandError",
    "FetchError",
    "Finding",
    "InputError",
    "LoadedTerm",
    "ModelError",
    "Position",
    "Provenance",
    "Report",
    "Span",
    "SummarySentence",
    "TokenUsage",
    "UsageError",
    "__version__",
    "analyze",
    "analyze_async",
    "check",
    "load_articles",
    "render",
]

_WHERE = {
    "analyze": "pipeline",
    "analyze_async": "pipeline",
    "check": "checking",
    "load_articles": "sources",
    "render": "renderers",
    **dict.fromkeys(
        (
            "ConfigError",
            "EngineError",
            "EvenhandError",
            "FetchError",
            "InputError",
            "ModelError",
            "UsageError",
        ),
        "errors",
    ),
    **dict.fromkeys(
        (
            "SCHEMA_VERSION",
            "Article",
            "CheckReport",
            "ContestedClaim",
            "Finding",
            "LoadedTerm",
            "Position",
            "Provenance",
            "Report",
            "Span",
            "SummarySentence",
            "TokenUsage",
        ),
        "schema",
    ),
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'evenhand' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
