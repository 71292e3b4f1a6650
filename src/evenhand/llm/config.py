"""Settings of the LLM engine, and the one place where the environment is read.

Each setting comes from the argument, else the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
`EVENHAND_MODEL`), else the model table's default. The key is kept out of `repr` and of every
message, so it cannot leak into output, logs, reports or cassettes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

from ..errors import ConfigError, UsageError
from ..tokens import ModelInfo, default_model, model_info

Structured = Literal["strict", "json"]

OPENAI_HOST = "api.openai.com"
# Local OpenAI-compatible servers accept any key; the client still wants a non-empty string.
PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class LLMSettings:
    model: str
    base_url: str | None
    api_key: str | None = field(repr=False)
    temperature: float | None
    seed: int | None
    timeout: float
    structured: Structured
    reasks: int
    http_retries: int

    @property
    def info(self) -> ModelInfo:
        return model_info(self.model)

    @property
    def is_openai(self) -> bool:
        """True when calls go to OpenAI itself (no base URL, or OpenAI's own host)."""
        return self.base_url is None or urlparse(self.base_url).hostname == OPENAI_HOST

    @property
    def endpoint(self) -> str:
        return self.base_url or f"https://{OPENAI_HOST}/v1"

    def key_for_client(self) -> str:
        """The key for the client; a `ConfigError` when OpenAI needs one and none is set."""
        if self.api_key:
            return self.api_key
        if self.is_openai:
            raise ConfigError(
                "no API key for the OpenAI endpoint: set OPENAI_API_KEY, or point --base-url at a "
                "local OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama)"
            )
        return PLACEHOLDER_KEY

    def scrub(self, message: str) -> str:
        """`message` with the key (if any) masked."""
        return message.replace(self.api_key, "***") if self.api_key else message

    def public(self) -> dict[str, Any]:
        """The settings that shape an answer (for cache keys and provenance); never the key."""
        return {
            "model": self.model,
            "endpoint": self.endpoint,
            "temperature": self.temperature,
            "seed": self.seed,
            "structured": self.structured,
            "reasks": self.reasks,
        }


def resolve_settings(
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    temperature: float | None = None,
    seed: int | None = None,
    timeout: float = 60.0,
    structured: str = "strict",
    reasks: int = 2,
    http_retries: int = 2,
) -> LLMSettings:
    """Settings from the arguments, then the environment, then the model table."""
    if structured not in ("strict", "json"):
        raise UsageError(f"--structured takes strict or json, got {structured!r}")
    if timeout <= 0:
        raise UsageError(f"--timeout must be positive (got {timeout})")
    if reasks < 0 or http_retries < 0:
        raise UsageError("reasks and http_retries must be 0 or more")
    if temperature is not None and not 0 <= temperature <= 2:
        raise UsageError(f"--temperature must be between 0 and 2 (got {temperature})")
    resolved_base = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if resolved_base is not None:
        parsed = urlparse(resolved_base)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise UsageError(f"--base-url must be an http(s) URL, got {resolved_base!r}")
    return LLMSettings(
        model=model or os.environ.get("EVENHAND_MODEL") or default_model(),
        base_url=resolved_base,
        api_key=api_key or os.environ.get("OPENAI_API_KEY") or None,
        temperature=temperature,
        seed=seed,
        timeout=timeout,
        structured="json" if structured == "json" else "strict",
        reasks=reasks,
        http_retries=http_retries,
    )
