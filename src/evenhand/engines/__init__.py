"""Engines turn articles into an `EngineResult`; the pipeline verifies it and builds a `Report`."""

from __future__ import annotations

import inspect
from typing import Any

from ..errors import UsageError
from .base import Engine, EngineResult

ENGINE_NAMES = ("offline", "llm")


def get_engine(name: str, **options: Any) -> Engine:
    """The engine called `name`, configured with `options` (engine-specific keyword arguments).

    An option the engine does not take is a `UsageError` naming it, not a bare `TypeError`.
    """
    engine: type[Any]
    if name == "offline":
        from .offline import OfflineEngine

        engine = OfflineEngine
    elif name == "llm":
        from .llm import LLMEngine

        engine = LLMEngine
    else:
        raise UsageError(
            f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}", option="engine"
        )
    _check_options(name, engine, options)
    built: Engine = engine(**options)
    return built


def _check_options(name: str, engine: type[Any], options: dict[str, Any]) -> None:
    taken = inspect.signature(engine).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in taken.values()):
        return
    unknown = sorted(set(options) - set(taken))
    if not unknown:
        return
    if name == "offline":
        hint = "it runs without a model; model, base_url, api_key and the like need engine='llm'"
    else:
        hint = f"it takes {', '.join(sorted(taken))}"
    raise UsageError(f"the {name} engine has no option {unknown[0]!r}: {hint}", option=unknown[0])


__all__ = ["ENGINE_NAMES", "Engine", "EngineResult", "get_engine"]
