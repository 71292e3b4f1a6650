"""The limits of one request: body size (checked while reading), article count and words.

The time limit is kept by runner.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError


def human_size(size: int) -> str:
    from ..article_text import format_size

    return format_size(size)


class BodySizeLimit:
    """Refuses a request body over the limit before it is read whole.

    A `Content-Length` over the limit is refused before any of the body is read; a chunked body is
    read only until it passes the limit. The body is then handed to the app from memory. `limit_for`
    gives the limit of each path (a report sent back for export carries its articles, so it may be
    larger than the articles alone).
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _refuse(send, 400, "bad_request", "the Content-Length header is not a number")
                return
            if int(declared) > limit:
                await _refuse_size(send, int(declared), limit)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse_size(send, size, limit, at_least=True)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, status: int, kind: str, message: str) -> None:
    payload = json.dumps({"error": kind, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                # The rest of the body is not read: the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def _refuse_size(send: Send, size: int, limit: int, *, at_least: bool = False) -> None:
    amount = f"more than {human_size(limit)}" if at_least else human_size(size)
    await _refuse(
        send,
        413,
        "too_large",
        f"the request is {amount}; this server accepts at most {human_size(limit)} per request: "
        "send fewer or shorter articles, or start the server with a larger --max-request-mb",
    )


def check_article_count(count: int, limit: int) -> None:
    if count == 0:
        raise ApiError(422, "no_articles", "no sources given: add at least one article")
    if count > limit:
        raise ApiError(
            422,
            "too_many_articles",
            f"{count} sources given; this server analyses at most {limit} per request: "
            "remove some, or start the server with a larger --max-articles",
        )


def count_words(texts: Iterable[str | None]) -> int:
    return sum(len(text.split()) for text in texts if text)


def check_word_count(count: int, limit: int) -> None:
    """Refuse more source text than the server analyses well inside its time limit."""
    if count > limit:
        raise ApiError(
            422,
            "too_many_words",
            f"the sources hold {count:,} words; this server analyses at most {limit:,} per "
            "request, so that an analysis ends well inside the time limit: send fewer or "
            "shorter articles",
        )
