"""Settings of the LLM engine, and the one place where the environment is read.

Each setting comes from the argument, else the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
`EVENHAND_MODEL`, `EVENHAND_CONTEXT_TOKENS`, `EVENHAND_MAX_OUTPUT_TOKENS`, `EVENHAND_REASKS`),
else the model table's default (a local server's context size may also be read from it:
`llm.server`). The key is kept out of `repr` and of every message, so it cannot leak into output,
logs, reports or cassettes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast, get_args
from urllib.parse import urlparse

from ..errors import ConfigError, UsageError
from ..token_count import ModelInfo, default_model, model_info

# How the answer's shape is asked for (see `answer_models.response_format`):
#   strict       response_format json_schema with strict: true; the server enforces the schema
#                (OpenAI, llama.cpp's llama-server, vLLM)
#   json         json_schema with strict: false; the server may or may not enforce it (Ollama)
#   json_object  {"type": "json_object", "schema": ...} (llama-cpp-python's server)
#   plain        no response_format: the schema is written into the prompt, the answer validated
#                here and re-asked when it fails (any chat server)
Structured = Literal["strict", "json", "json_object", "plain"]
STRUCTURED_MODES: tuple[str, ...] = get_args(Structured)

OPENAI_HOST = "api.openai.com"
# Re-asks after an answer that fails validation (a slow local model may be given fewer through
# $EVENHAND_REASKS).
DEFAULT_REASKS = 2
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
    # The server's context window and an output cap, when given (or read from the server);
    # otherwise the model table's figures.
    context_tokens: int | None = None
    max_output_tokens: int | None = None

    @property
    def info(self) -> ModelInfo:
        info = model_info(self.model)
        if self.context_tokens is not None:
            info = replace(info, context_window=self.context_tokens)
        if self.max_output_tokens is not None:
            info = replace(info, max_output=self.max_output_tokens)
        return info

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
                "no API key for the OpenAI endpoint: set OPENAI_API_KEY, or point `base_url` at a "
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
    reasks: int | None = None,
    http_retries: int = 2,
    context_tokens: int | None = None,
    max_output_tokens: int | None = None,
) -> LLMSettings:
    """Settings from the arguments, then the environment, then the model table."""
    structured = check_structured(structured)
    if reasks is None:
        reasks = _env_int("EVENHAND_REASKS")
        reasks = DEFAULT_REASKS if reasks is None else reasks
    context_tokens = context_tokens or _env_int("EVENHAND_CONTEXT_TOKENS")
    max_output_tokens = max_output_tokens or _env_int("EVENHAND_MAX_OUTPUT_TOKENS")
    for name, value, least in (
        ("context_tokens", context_tokens, 1024),
        ("max_output_tokens", max_output_tokens, 64),
    ):
        if value is not None and value < least:
            raise UsageError(f"{name} must be at least {least} (got {value})", option=name)
    if timeout <= 0:
        raise UsageError(f"timeout must be positive (got {timeout})", option="timeout")
    if reasks < 0 or http_retries < 0:
        raise UsageError("reasks and http_retries must be 0 or more")
    if temperature is not None and not 0 <= temperature <= 2:
        raise UsageError(
            f"temperature must be between 0 and 2 (got {temperature})", option="temperature"
        )
    resolved_base = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if resolved_base is not None:
        parsed = urlparse(resolved_base)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise UsageError(
                f"base_url must be an http(s) URL, got {resolved_base!r}", option="base_url"
            )
    return LLMSettings(
        model=model or os.environ.get("EVENHAND_MODEL") or default_model(),
        base_url=resolved_base,
        api_key=api_key or os.environ.get("OPENAI_API_KEY") or None,
        temperature=temperature,
        seed=seed,
        timeout=timeout,
        structured=structured,
        reasks=reasks,
        http_retries=http_retries,
        context_tokens=context_tokens,
        max_output_tokens=max_output_tokens,
    )


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"${name} must be a whole number of tokens (got {value!r})") from None


def check_structured(value: str) -> Structured:
    """A `structured` mode, checked: one of `STRUCTURED_MODES`."""
    if value in STRUCTURED_MODES:
        return cast("Structured", value)
    raise UsageError(
        f"structured takes {', '.join(STRUCTURED_MODES[:-1])} or {STRUCTURED_MODES[-1]} "
        f"(got {value!r})",
        option="structured",
    )
