"""One error tree for the whole library.

Every error a user can cause or meet is an `EvenhandError`; its message says what went wrong and
what to do about it, in one line, in the library's own terms: a keyword argument is named as it is
spelled in Python (`max_words must be...`, "raise `timeout`", `structured='json'`,
`allow_private=True`), never as a command-line flag.
Errors also carry what a program needs without parsing the text: the option at fault, the input,
the URL and HTTP status, the attempts made. `exit_code` is the CLI's exit status for the error
(2 for bad input, usage or configuration, which the user can fix; 1 for failures of the engine or
the model service); the CLI alone turns option names into flags (`evenhand.cli.errors`).
"""

from __future__ import annotations

from typing import Any


class EvenhandError(Exception):
    """Base of every error evenhand raises on purpose.

    `option` is the keyword argument the error is about (`max_words`, `allow_private`...), as
    the library spells it, or None.
    """

    exit_code: int = 1
    option: str | None = None

    def __init__(self, message: str, *, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if option is not None:
            self.option = option

    def __str__(self) -> str:
        return self.message


# --- the user's input -------------------------------------------------------------------------


class InputError(EvenhandError):
    """An input cannot be read or used as an article (missing, empty, binary, too large...).

    `source` names the input at fault (a path, a URL, '-' or an article id) when there is one.
    """

    exit_code = 2

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source


class FetchError(InputError):
    """A URL could not be fetched (unreachable, timed out, too large, not an article).

    `url` is the address that failed (after redirects); `status_code` the server's HTTP status
    when it answered with an error.
    """

    def __init__(
        self, message: str, *, url: str | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message, source=url)
        self.url = url
        self.status_code = status_code


class PrivateAddressError(FetchError):
    """A URL points at a loopback, private or link-local address and `allow_private` is off."""

    option = "allow_private"


class UsageError(EvenhandError):
    """Options that do not fit together or values out of range.

    `option` is the keyword argument at fault (`max_words`, `engine`...), as the library spells
    it; the CLI shows the matching flag.
    """

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
    """The model service failed or answered with something unusable.

    `status_code` is the HTTP status of the last failed answer and `attempts` how many times the
    call was made, when the raiser knows them; `option` the setting the message suggests changing
    (`timeout`, `base_url`...), if one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        attempts: int | None = None,
        option: str | None = None,
    ) -> None:
        super().__init__(message, option=option)
        self.status_code = status_code
        self.attempts = attempts


class AuthenticationError(ModelError):
    """The model service rejected the key (401/403)."""

    exit_code = 2


class RateLimitError(ModelError):
    """The model service kept answering 429 after the allowed retries."""


class ServiceError(ModelError):
    """The model service failed (5xx, timeout, connection reset) after the allowed retries."""


class ModelRefusalError(ModelError):
    """The model refused to answer; `refusal` is what it said."""

    def __init__(self, message: str, refusal: str) -> None:
        super().__init__(message)
        self.refusal = refusal


class OutputTruncatedError(ModelError):
    """The model stopped at its output limit (finish_reason "length"); keeps the partial text."""

    def __init__(self, message: str, partial_text: str) -> None:
        super().__init__(message)
        self.partial_text = partial_text


class InvalidModelOutputError(ModelError):
    """The model's output failed the schema on every attempt.

    `last_output` is the last raw text; `usages` holds the token usage of every attempt, so the cost
    of the failure is known, and `attempts` counts them.
    """

    def __init__(self, message: str, last_output: str, usages: list[Any]) -> None:
        super().__init__(message, attempts=len(usages))
        self.last_output = last_output
        self.usages = usages


# The names these classes had before every error class ended in `Error`; kept so that code
# written against them keeps working.
ModelRefusal = ModelRefusalError
OutputTruncated = OutputTruncatedError
InvalidModelOutput = InvalidModelOutputError


class BudgetError(EngineError):
    """A prompt cannot be made to fit the model's context window, even split per article."""

    exit_code = 2
