"""Options shared by several commands (analyze, check, eval, batch, serve), defined once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import typer

from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..errors import UsageError

ENGINE = typer.Option(
    "offline",
    "--engine",
    "-e",
    metavar="offline|llm",
    help="offline: deterministic, no key or network. llm: an OpenAI-compatible model.",
)
MODEL = typer.Option(
    None,
    "--model",
    "-m",
    metavar="NAME",
    help="The language model (default: $EVENHAND_MODEL, else the model table's default).",
)
BASE_URL = typer.Option(
    None,
    "--base-url",
    metavar="URL",
    help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (Ollama).",
)
TEMPERATURE = typer.Option(
    None, "--temperature", metavar="T", help="The language model's sampling temperature."
)
SEED = typer.Option(
    None,
    "--seed",
    metavar="N",
    help="The language model's sampling seed, where the server honours it.",
)
TIMEOUT = typer.Option(
    60.0,
    "--timeout",
    metavar="SECONDS",
    help="Seconds to wait for one model response, and at most in all for the retries of one "
    "call (a rate-limited service's retry-after; each wait of a second or more is said on "
    "stderr).",
)
STRUCTURED = typer.Option(
    "strict",
    "--structured",
    metavar="MODE",
    help="How the answer's JSON shape is asked for. strict: the server enforces the schema "
    "(OpenAI, llama-server, vLLM). json: the schema sent as a non-strict json_schema (Ollama). "
    "json_object: a json_object format with the schema (llama-cpp-python's server). plain: the "
    "schema in the prompt only. Every answer is validated here and re-asked when it fails.",
)
CONTEXT_TOKENS = typer.Option(
    None,
    "--context-tokens",
    metavar="N",
    help="The server's context window per request, in tokens (default: what a llama.cpp server "
    "reports, else $EVENHAND_CONTEXT_TOKENS, else the model table's; 32,768 for unknown "
    "models). A cluster that does not fit is split.",
)
MAX_OUTPUT_TOKENS = typer.Option(
    None,
    "--max-output-tokens",
    metavar="N",
    help="Most tokens the model may write per call (default: $EVENHAND_MAX_OUTPUT_TOKENS, else "
    "what each step needs within the model table's limit; 4,096 for unknown models).",
)
MAX_WORDS = typer.Option(130, "--max-words", metavar="N", help="Longest neutral summary, in words.")
MIN_CONFIDENCE = typer.Option(
    DEFAULT_MIN_CONFIDENCE,
    "--min-confidence",
    metavar="P",
    help="Show loaded terms at or above this confidence (0-1; default "
    f"{DEFAULT_MIN_CONFIDENCE:g}); lower finds more, with more false alarms.",
)
OUTLET = typer.Option(
    None,
    "--outlet",
    metavar="ID=NAME",
    help="Name an article's outlet: --outlet ID=NAME (ID is the file stem). Repeatable.",
)
ALLOW_PRIVATE = typer.Option(
    False, "--allow-private", help="Allow URLs on loopback, private or link-local addresses."
)


def min_confidence(value: float) -> float:
    """`--min-confidence`, checked: a probability from 0 to 1."""
    if not 0 <= value <= 1:
        raise UsageError(f"--min-confidence must be between 0 and 1 (got {value:g})")
    return value


def parse_outlets(values: list[str] | None) -> dict[str, str]:
    """`["a=Reuters", "b=RT"]` -> `{"a": "Reuters", "b": "RT"}`, with a clear error otherwise."""
    outlets: dict[str, str] = {}
    for value in values or []:
        key, sep, name = value.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise UsageError(f"--outlet takes ID=NAME, got {value!r}")
        outlets[key.strip()] = name.strip()
    return outlets


@dataclass(frozen=True)
class LLMOptions:
    """The language-model flags of a command, as one value: see `llm_options`."""

    model: str | None = None
    base_url: str | None = None
    temperature: float | None = None
    seed: int | None = None
    timeout: float = 60.0
    structured: str = "strict"
    context_tokens: int | None = None
    max_output_tokens: int | None = None

    def for_engine(self, engine: str) -> dict[str, Any]:
        """Keyword arguments for `get_engine(engine, ...)`: the LLM settings only for the llm
        engine; `--model` or `--base-url` with the offline engine is a usage error."""
        if engine == "offline":
            given = [f for f, v in (("--model", self.model), ("--base-url", self.base_url)) if v]
            if given:
                verb = "applies" if len(given) == 1 else "apply"
                raise UsageError(f"{' and '.join(given)} only {verb} to --engine llm")
            return {}
        if engine != "llm":
            raise UsageError(f"unknown engine {engine!r}: choose offline or llm")
        from ..llm.config import check_structured

        check_structured(self.structured)
        limits = {
            "context_tokens": self.context_tokens,
            "max_output_tokens": self.max_output_tokens,
        }
        return {
            "model": self.model,
            "base_url": self.base_url,
            "temperature": self.temperature,
            "seed": self.seed,
            "timeout": self.timeout,
            "structured": self.structured,
            **{name: value for name, value in limits.items() if value is not None},
        }


# Each field of `LLMOptions` with its type and its flag (name, metavar, help): declared here only.
_LLM_FLAGS: list[tuple[str, Any, Any]] = [
    ("model", str | None, MODEL),
    ("base_url", str | None, BASE_URL),
    ("temperature", float | None, TEMPERATURE),
    ("seed", int | None, SEED),
    ("timeout", float, TIMEOUT),
    ("structured", str, STRUCTURED),
    ("context_tokens", int | None, CONTEXT_TOKENS),
    ("max_output_tokens", int | None, MAX_OUTPUT_TOKENS),
]
assert [name for name, _, _ in _LLM_FLAGS] == [f.name for f in fields(LLMOptions)]

Command = Callable[..., None]


def llm_options(command: Command) -> Command:
    """Give a typer command that takes `llm: LLMOptions` the language-model flags.

    Typer reads a command's flags from its signature: the one `llm` parameter is shown to typer
    as the eight flags, where `llm` stands, and the command is called with their values gathered
    into one `LLMOptions`. Use it under `@app.command(...)`.
    """
    signature = inspect.signature(command)
    if "llm" not in signature.parameters:
        raise TypeError(f"{command.__name__} takes no `llm: LLMOptions` parameter")
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name != "llm":
            parameters.append(parameter)
            continue
        parameters += [
            inspect.Parameter(name, parameter.kind, default=flag, annotation=kind)
            for name, kind, flag in _LLM_FLAGS
        ]

    @functools.wraps(command)
    def with_llm_flags(*args: Any, **values: Any) -> None:
        llm = LLMOptions(**{name: values.pop(name) for name, _, _ in _LLM_FLAGS})
        command(*args, **values, llm=llm)

    with_llm_flags.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    annotations = {k: v for k, v in command.__annotations__.items() if k != "llm"}
    with_llm_flags.__annotations__ = annotations | {name: kind for name, kind, _ in _LLM_FLAGS}
    return with_llm_flags
