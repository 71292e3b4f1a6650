"""What every engine shares: the `Engine` protocol and the `EngineResult` it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ..schema import (
    Article,
    ContestedClaim,
    Finding,
    LoadedTerm,
    SummarySentence,
    TokenUsage,
)


@dataclass
class EngineResult:
    """An engine's answer before verification: already grounded (every span is an article slice).

    `findings` holds what the engine itself noticed (a quote it could not locate, a single source,
    a non-English text); the pipeline adds the findings of the neutrality checks.
    """

    summary: list[SummarySentence]
    contested_claims: list[ContestedClaim]
    loaded_language: list[LoadedTerm]
    findings: list[Finding] = field(default_factory=list)
    model: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    token_usage: TokenUsage | None = None


@runtime_checkable
class Engine(Protocol):
    """Turns articles about one event into an `EngineResult`; knows nothing of rendering."""

    name: str

    def analyze(self, articles: Sequence[Article], *, max_words: int) -> EngineResult: ...

    async def analyze_async(
        self, articles: Sequence[Article], *, max_words: int
    ) -> EngineResult: ...
