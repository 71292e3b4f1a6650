"""Every failure leaves the web app as JSON `{"error": kind, "message": text}`, never a traceback.

`message` is written for a person: what went wrong and what to do about it. `error` is a stable
machine-readable kind (`too_large`, `too_many_articles`, `timeout`, `input_error`, ...).
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    AuthenticationError,
    BudgetError,
    ConfigError,
    EvenhandError,
    InputError,
    ModelError,
    RateLimitError,
    UsageError,
)

log = logging.getLogger("evenhand.web")


class ApiError(Exception):
    """A failure the app reports as it is: an HTTP status, a kind and a message for a person."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message

    def __reduce__(self) -> tuple[type[ApiError], tuple[int, str, str]]:
        # Raised in a worker process, it is pickled back to the server whole.
        return (ApiError, (self.status, self.kind, self.message))


def error_response(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": kind, "message": message})


# Most specific first: the first class the error is an instance of decides.
_STATUS: list[tuple[type[EvenhandError], int, str]] = [
    (InputError, 422, "input_error"),
    (UsageError, 422, "usage_error"),
    (BudgetError, 422, "too_long_for_model"),
    (ConfigError, 503, "engine_not_configured"),
    (AuthenticationError, 502, "model_rejected_key"),
    (RateLimitError, 503, "model_rate_limited"),
    (ModelError, 502, "model_error"),
    (EvenhandError, 500, "engine_error"),
]


def status_for(exc: EvenhandError) -> tuple[int, str]:
    """The HTTP status and error kind for an evenhand error."""
    for cls, status, kind in _STATUS:
        if isinstance(exc, cls):
            return status, kind
    return 500, "engine_error"  # pragma: no cover - EvenhandError is the last row


_INTERNAL_LOC = re.compile(r"^[\w-]+\[.*\]$|^[A-Z]\w*$")  # validators; model names


def _field_path(loc: tuple[object, ...]) -> str:
    # Pydantic names validators and union members in `loc` ("function-after[...]", "Report"):
    # they say nothing to the client, so only field names and list indexes are kept.
    parts = [str(p) for p in loc if p != "body" and not _INTERNAL_LOC.match(str(p))]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "request body"


def validation_message(exc: RequestValidationError) -> str:
    """Pydantic's errors as one readable line: `sources[1].text: Field required; ...`."""
    items = []
    for error in exc.errors()[:5]:
        where = _field_path(tuple(error.get("loc", ())))
        message = str(error.get("msg", "invalid value"))
        if error.get("type") == "json_invalid":  # its loc is a character position, not a field
            where, message = "request body", "not valid JSON"
        items.append(f"{where}: {message}")
    more = len(exc.errors()) - 5
    return "; ".join(items) + (f" (and {more} more)" if more > 0 else "")


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception type the app can meet to a JSON error body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        if exc.status >= 500:
            log.warning("%s on %s: %s", exc.kind, request.url.path, exc.message)
        return error_response(exc.status, exc.kind, exc.message)

    @app.exception_handler(EvenhandError)
    async def _evenhand_error(request: Request, exc: EvenhandError) -> JSONResponse:
        status, kind = status_for(exc)
        if status >= 500:
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc.message)
        return error_response(status, kind, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if errors and all(
            tuple(e.get("loc", ())) == ("body", "sources") and e.get("type") == "too_short"
            for e in errors
        ):  # `{"sources": []}`: the schema says at least one, and the kind says which limit
            return error_response(422, "no_articles", "no sources given: add at least one article")
        return error_response(422, "invalid_request", validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = str(exc.detail)
        if exc.status_code == 404:
            message = f"no such page or endpoint: {request.url.path} (see /docs for the API)"
        if exc.status_code == 400 and message == "There was an error parsing the body":
            # FastAPI's answer to a body that is not UTF-8 JSON: the same 422 as any bad JSON.
            return error_response(422, "invalid_request", "request body: not valid JSON")
        response = error_response(exc.status_code, kind, message)
        # Starlette's 405 carries the `Allow` header (RFC 9110 requires it): keep it.
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(UnicodeEncodeError)
    async def _surrogate(request: Request, exc: UnicodeEncodeError) -> JSONResponse:
        # Sources and drafts are checked field by field (models.py); a report sent back holds
        # text the client supplied, and a lone surrogate in it is bad input too.
        if exc.reason != "surrogates not allowed":
            return await _bug(request, exc)
        return error_response(
            422,
            "input_error",
            f"the request holds a lone surrogate (\\u{ord(exc.object[exc.start]):04x}), which is "
            "not a Unicode character; fix the \\u escapes of the JSON (a surrogate must come in "
            "a high-low pair)",
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # A bug: the traceback goes to the server log, the client gets one line.
        log.error("internal error on %s", request.url.path, exc_info=exc)
        return error_response(
            500,
            "internal_error",
            f"internal error ({type(exc).__name__}); the server log has the details",
        )
