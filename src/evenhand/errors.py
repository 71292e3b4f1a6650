"""One error tree for the whole library.

Every error a user can cause or meet is an `EvenhandError`; its message says what went wrong and
what to do about it, in one line. `exit_code` is what the CLI exits with: 2 for bad input, usage or
configuration (the user can fix it), 1 for failures of the engine or the model service.
"""

from __future__ import annotations

from typing import Any


class EvenhandError(Exception):
    """Base of every error evenhand raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- the user's input -------------------------------------------------------------------------


class InputError(EvenhandError):
    """An input cannot be read or used as an article (missing, empty, binary, too large...)."""

    exit_code = 2


class FetchError(InputError):
    """A URL could not be fetched (unreachable, timed out, too large, not an article)."""


class PrivateAddressError(FetchError):
    """A URL points at a loopback, private or link-local address without `--allow-private`."""


class UsageError(EvenhandError):
    """Options that do not fit together or values out of range."""

    exit_code = 2


class ConfigError(EvenhandError):
    """Missing or invalid configuration, such as no API key for the OpenAI endpoint."""

    exit_code = 2


class OutputError(EvenhandError):
    """The output file cannot be written."""

    exit_code = 2


# --- engines and models -----------------------------------------------------------------------


class ModelUnavailableError(EvenhandError):
    """A model evenhand runs locally (spaCy's pipeline, a shipped tagger) is missing or damaged."""

    exit_code = 1


class EngineError(EvenhandError):
    """An engine failed to produce a report."""

    exit_code = 1


class ModelError(EngineError):
    """The model service failed or answered with something unusable."""


class AuthenticationError(ModelError):
    """The model service rejected the key (401/403)."""

    exit_code = 2


class RateLimitError(ModelError):
    """The model service kept answering 429 after the allowed retries."""


class ServiceError(ModelError):
    """The model service failed (5xx, timeout, connection reset) after the allowed retries."""


class ModelRefusal(ModelError):
    """The model refused to answer."""

    def __init__(self, message: str, refusal: str) -> None:
        super().__init__(message)
        self.refusal = refusal


class OutputTruncated(ModelError):
    """The model stopped at its output limit (finish_reason "length"); keeps the partial text."""

    def __init__(self, message: str, partial_text: str) -> None:
        super().__init__(message)
        self.partial_text = partial_text


class InvalidModelOutput(ModelError):
    """The model's output failed the schema on every attempt.

    `last_output` is the last raw text; `usages` holds the token usage of every attempt, so the cost
    of the failure is known.
    """

    def __init__(self, message: str, last_output: str, usages: list[Any]) -> None:
        super().__init__(message)
        self.last_output = last_output
        self.usages = usages


class BudgetError(EngineError):
    """A prompt cannot be made to fit the model's context window, even split per article."""

    exit_code = 2
