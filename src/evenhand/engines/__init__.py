"""Engines turn articles into a `Draft`; the pipeline verifies it and wraps it in a `Report`."""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from .base import Draft, Engine

ENGINE_NAMES = ("offline", "llm")


def get_engine(name: str, **options: Any) -> Engine:
    """The engine called `name`, configured with `options` (engine-specific keyword arguments)."""
    if name == "offline":
        from .offline import OfflineEngine

        return OfflineEngine(**options)
    if name == "llm":
        from .llm import LLMEngine

        return LLMEngine(**options)
    raise UsageError(f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")


__all__ = ["ENGINE_NAMES", "Draft", "Engine", "get_engine"]
