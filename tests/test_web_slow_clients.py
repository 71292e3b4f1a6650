"""Slow and idle clients cannot hold the web server: a request's head and body must arrive in
time (408 otherwise), idle connections are closed, and connections are capped (503 past it).
Over real loopback sockets, with short limits; every wait is bounded generously."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from evenhand.web import create_app
from evenhand.web.server import GuardedH11Protocol, serve_in_thread, uvicorn_options
from evenhand.web.settings import ConnectionLimits

pytestmark = pytest.mark.enable_socket

LIMITS = ConnectionLimits(
    header_timeout=1.0, body_timeout=1.5, keep_alive_timeout=1.0, max_connections=3
)
GENEROUS = 15.0  # far beyond every limit above: only a server that never cuts off reaches it


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    with serve_in_thread(create_app(), limits=LIMITS) as url:
        parts = urlsplit(url)
        assert parts.hostname is not None
        assert parts.port is not None
        yield parts.hostname, parts.port


@contextmanager
def _connect(address: tuple[str, int]) -> Iterator[socket.socket]:
    sock = socket.create_connection(address, timeout=GENEROUS)
    try:
        yield sock
    finally:
        sock.close()


def _read_until_closed(sock: socket.socket, trickle: bytes = b"") -> bytes:
    """Everything the server sends until it closes; `trickle` is sent a byte at a time, 0.2 s
    apart, meanwhile (a slow client)."""
    sock.settimeout(0.2)
    received = b""
    deadline = time.monotonic() + GENEROUS
    pending = trickle
    while time.monotonic() < deadline:
        if pending:
            try:
                sock.sendall(pending[:1])
            except OSError:
                pending = b""
            pending = pending[1:]
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"the server kept the connection open; it sent {received[:200]!r}")


def test_an_idle_connection_is_closed(address: tuple[str, int]) -> None:
    with _connect(address) as sock:
        assert _read_until_closed(sock) == b""


def test_a_head_sent_a_byte_at_a_time_gets_408(address: tuple[str, int]) -> None:
    head = b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n" + b"x-slow: " + b"a" * 200
    with _connect(address) as sock:
        answer = _read_until_closed(sock, trickle=head)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"request_timeout" in answer
    assert b"headers did not arrive" in answer


def test_a_body_sent_a_byte_at_a_time_gets_408(address: tuple[str, int]) -> None:
    head = (
        b"POST /api/analyze HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        b"content-length: 1000\r\n\r\n"
    )
    with _connect(address) as sock:
        sock.sendall(head)
        answer = _read_until_closed(sock, trickle=b'{"sources": [' + b" " * 900)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"body did not arrive" in answer


def test_a_kept_alive_connection_left_idle_is_closed(address: tuple[str, int]) -> None:
    with _connect(address) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]


def test_connections_past_the_cap_are_refused_with_503(address: tuple[str, int]) -> None:
    with _connect(address) as first, _connect(address) as second, _connect(address) as third:
        with _connect(address) as fourth:
            answer = _read_until_closed(fourth)
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
        assert b"too_many_connections" in answer
        for sock in (first, second, third):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n")
            assert _read_until_closed(sock).startswith(b"HTTP/1.1 200 ")


def test_evenhand_serve_applies_the_default_limits() -> None:
    options = uvicorn_options()
    assert options["http"] is GuardedH11Protocol
    assert GuardedH11Protocol.limits == ConnectionLimits()
    assert options["timeout_keep_alive"] == ConnectionLimits().keep_alive_timeout
