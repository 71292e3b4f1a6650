"""evenhand: neutral, source-backed summaries of articles that frame one event differently.

    >>> import evenhand
    >>> report = evenhand.analyze(["a.txt", "b.txt"])          # offline engine, no key needed
    >>> print(evenhand.render(report, "markdown"))
    >>> evenhand.check(open("draft.txt").read(), ["a.txt", "b.txt"]).findings

In asyncio code, `await evenhand.analyze_async(...)` and `await evenhand.check_async(...)` take
the same arguments; the sync `analyze` and `check` also work inside a running loop (a notebook).

The public API is exactly `__all__`. Heavy modules load on first use so that `evenhand --help`
stays fast; the names are the same whatever is installed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._version import __version__

# `__all__` is the one list of public names. The imports below say where each comes from, for
# type checkers; at run time a name is looked up in these modules, cheapest first, on first use
# (tests/test_public_api.py keeps the two equal).
if TYPE_CHECKING:
    from .draft_check import check, check_async
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
    "check_async",
    "load_articles",
    "render",
]

# where public names are found at run time, the cheapest module to import first
_MODULES = ("errors", "schema", "sources", "renderers", "draft_check", "pipeline")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module in _MODULES:
            value = vars(importlib.import_module(f".{module}", __name__)).get(name)
            # a submodule is no public name (`renderers.check` is not `check`)
            if value is not None and not isinstance(value, ModuleType):
                globals()[name] = value
                return value
    raise AttributeError(f"module 'evenhand' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
