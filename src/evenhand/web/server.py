"""Running the app with uvicorn: the connection limits every server gets, and a server in a
background thread (tests, demos, embedding in a notebook)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import h11
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import ConnectionLimits


def _refusal(status: int, reason: str, kind: str, message: str) -> bytes:
    body = json.dumps({"error": kind, "message": message}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with the limits it lacks (see `ConnectionLimits`).

    uvicorn closes a connection left idle after a response, but not one that never sends a
    request, nor one that sends its head or body a byte at a time: here the head must arrive
    within `header_timeout` and the body within `body_timeout`, and no more than
    `max_connections` connections are open at once.
    """

    limits = ConnectionLimits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            transport.write(
                _refusal(
                    503,
                    "Service Unavailable",
                    "too_many_connections",
                    f"this server takes at most {self.limits.max_connections} connections at "
                    "once; try again shortly",
                )
            )
            transport.close()
            return
        self._arm_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is not h11.IDLE and self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        if state is h11.SEND_BODY and self._body_timer is None:
            self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_late)
        elif state is not h11.SEND_BODY and self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head()  # the next request's head, if the client keeps the connection

    def _arm_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_late)

    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = None

    def _head_late(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # part of a head came: say why the connection ends
            self._close_with_408(
                f"the request's headers did not arrive within {self.limits.header_timeout:g} s"
            )
        else:  # an idle connection: close it, as uvicorn does after keep-alive
            self.transport.close()

    def _body_late(self) -> None:
        self._body_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.SEND_BODY:
            return
        self._close_with_408(
            f"the request's body did not arrive within {self.limits.body_timeout:g} s"
        )

    def _close_with_408(self, message: str) -> None:
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(_refusal(408, "Request Timeout", "request_timeout", message))
        self.transport.close()


def protocol_with(limits: ConnectionLimits) -> type[GuardedH11Protocol]:
    """`GuardedH11Protocol` with other limits (the default class is used when they are equal,
    so that a server with worker processes can pickle it by name)."""
    if limits == GuardedH11Protocol.limits:
        return GuardedH11Protocol
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"limits": limits})


def uvicorn_options(limits: ConnectionLimits | None = None) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.Config` / `uvicorn.run` that apply `limits`."""
    limits = limits or ConnectionLimits()
    return {
        "http": protocol_with(limits),
        "ws": "none",
        "timeout_keep_alive": limits.keep_alive_timeout,
        # uvicorn answers 503 from this many connections on, counting the one asking: one more
        # than ours, which refuses the connection itself past `max_connections`.
        "limit_concurrency": limits.max_connections + 1,
        "timeout_graceful_shutdown": limits.graceful_shutdown,
    }


@contextmanager
def serve_in_thread(
    app: FastAPI,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    limits: ConnectionLimits | None = None,
) -> Iterator[str]:
    """Serve `app` on host:port (0: a free port) until the block ends; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    bound_port = sock.getsockname()[1]
    # No websockets and a fixed HTTP implementation: nothing optional is imported.
    config = uvicorn.Config(app, log_level="warning", access_log=False, **uvicorn_options(limits))
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="evenhand-web", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
