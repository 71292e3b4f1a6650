"""Fetching URLs: address checks on every hop, redirects, size and time limits, content types.

Nothing here touches the network: a fake transport (httpx2.MockTransport) and a fake resolver
stand in for it, and the few end-to-end tests serve pages from 127.0.0.1 with allow_private (or
let pytest-socket refuse any connection beyond loopback).
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx2
import pytest
from pytest_socket import SocketConnectBlockedError

from evenhand.errors import FetchError, InputError, PrivateAddressError
from evenhand.fetch import check_public, fetch
from evenhand.sources import load_articles

PUBLIC = "93.184.216.34"
PAGE = (
    "<html><head><title>Budget passes</title></head><body><nav>Home</nav><article>"
    "<h1>Budget passes</h1><p>The city council approved the new budget on Tuesday after a "
    "debate that lasted six hours. The mayor said the plan protects schools, while the "
    "opposition called it reckless.</p></article></body></html>"
)


def public_resolver(host: str, port: int) -> list[str]:
    return [PUBLIC]


class Recorder:
    """A fake transport's handler that answers from a table and records every request.

    `requests` holds the URLs as the user sees them (host name from the Host header), `connected`
    the address each request was sent to, `server_names` the TLS server name asked for.
    """

    def __init__(self, routes: dict[str, Callable[[httpx2.Request], httpx2.Response]]) -> None:
        self.routes = routes
        self.requests: list[str] = []
        self.connected: list[str] = []
        self.server_names: list[str] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        url = str(request.url.copy_with(netloc=request.headers["host"].encode("ascii")))
        self.requests.append(url)
        self.connected.append(request.url.host)
        self.server_names.append(str(request.extensions.get("sni_hostname")))
        return self.routes[url](request)

    @property
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self)


def html(body: str = PAGE, content_type: str = "text/html; charset=utf-8") -> Callable[..., Any]:
    return lambda request: httpx2.Response(200, headers={"content-type": content_type}, text=body)


def redirect(location: str, status: int = 302) -> Callable[..., Any]:
    return lambda request: httpx2.Response(status, headers={"location": location})


# --- which addresses are refused -------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata service (link-local)
        "100.64.0.1",  # carrier-grade NAT (shared)
        "0.0.0.0",
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(PrivateAddressError, match=r"allow_private=True") as info:
        check_public(httpx2.URL(f"http://{host}/story"), public_resolver)
    assert "--" not in info.value.message  # the library names its argument, not the CLI flag
    assert info.value.option == "allow_private"
    assert info.value.url == f"http://{host}/story"


def test_public_address_passes() -> None:
    check_public(httpx2.URL(f"http://{PUBLIC}/story"), public_resolver)
    check_public(httpx2.URL("https://news.example/story"), public_resolver)


def test_every_resolved_address_is_checked() -> None:
    def mixed(host: str, port: int) -> list[str]:
        return [PUBLIC, "10.0.0.7"]

    with pytest.raises(PrivateAddressError, match=r"news\.example .*\(10\.0\.0\.7\)"):
        check_public(httpx2.URL("https://news.example/story"), mixed)


def test_resolver_gets_the_default_port() -> None:
    seen: list[tuple[str, int]] = []

    def record(host: str, port: int) -> list[str]:
        seen.append((host, port))
        return [PUBLIC]

    check_public(httpx2.URL("https://news.example/a"), record)
    check_public(httpx2.URL("http://news.example:8080/a"), record)
    assert seen == [("news.example", 443), ("news.example", 8080)]


def test_private_url_is_refused_before_any_request() -> None:
    recorder = Recorder({})
    with pytest.raises(PrivateAddressError):
        fetch("http://192.168.0.10/admin", transport=recorder.transport)
    assert recorder.requests == []


@pytest.mark.enable_socket  # resolves "localhost" (the hosts file); no connection is made
def test_localhost_by_name_is_refused() -> None:
    with pytest.raises(PrivateAddressError, match="localhost"):
        fetch("http://localhost/story", transport=Recorder({}).transport)


# --- redirects ---------------------------------------------------------------------------------


def test_redirects_are_followed_and_each_hop_checked() -> None:
    recorder = Recorder(
        {
            "https://news.example/old": redirect("/new", 301),
            "https://news.example/new": html(),
        }
    )
    page = fetch("https://news.example/old", transport=recorder.transport, resolver=public_resolver)
    assert page.url == "https://news.example/new"
    assert page.media_type == "text/html"
    assert page.charset == "utf-8"
    assert b"approved the new budget" in page.body
    assert recorder.requests == ["https://news.example/old", "https://news.example/new"]
    assert recorder.connected == [PUBLIC, PUBLIC]


def test_redirect_to_a_private_address_is_refused() -> None:
    recorder = Recorder({"https://news.example/go": redirect("http://127.0.0.1:8080/admin")})
    with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.1"):
        fetch("https://news.example/go", transport=recorder.transport, resolver=public_resolver)
    assert recorder.requests == ["https://news.example/go"]


def test_redirect_to_another_scheme_is_refused() -> None:
    recorder = Recorder({"https://news.example/go": redirect("file:///etc/passwd")})
    with pytest.raises(FetchError, match="only http and https"):
        fetch("https://news.example/go", transport=recorder.transport, resolver=public_resolver)


def test_too_many_redirects() -> None:
    routes = {f"https://news.example/{i}": redirect(f"/{i + 1}") for i in range(10)}
    recorder = Recorder(routes)
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(
            "https://news.example/0",
            transport=recorder.transport,
            resolver=public_resolver,
            max_redirects=3,
        )
    assert len(recorder.requests) == 4


# --- the connection goes to the address that was checked (no DNS rebinding) --------------------


class Rebinding:
    """A resolver that answers with a public address first and with loopback afterwards."""

    def __init__(self, first: str = PUBLIC) -> None:
        self.first = first
        self.calls = 0

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return [self.first] if self.calls == 1 else ["127.0.0.1"]


def test_the_request_goes_to_the_checked_address() -> None:
    resolver = Rebinding()
    recorder = Recorder({"https://news.example:8443/story": html()})
    page = fetch("https://news.example:8443/story", transport=recorder.transport, resolver=resolver)
    assert page.url == "https://news.example:8443/story"
    assert resolver.calls == 1  # resolved once: the client does not look the name up again
    assert recorder.connected == [PUBLIC]
    # The server still sees its own name, and TLS checks the certificate for it.
    assert recorder.requests == ["https://news.example:8443/story"]
    assert recorder.server_names == ["news.example"]


def test_an_ipv6_answer_is_connected_to_as_such() -> None:
    address = "2606:2800:220:1:248:1893:25c8:1946"
    recorder = Recorder({"https://news.example/story": html()})
    fetch("https://news.example/story", transport=recorder.transport, resolver=Rebinding(address))
    assert recorder.connected == [address]


def test_a_redirect_hop_is_resolved_and_checked_again() -> None:
    recorder = Recorder({"https://news.example/go": redirect("/story")})
    with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.1"):
        fetch("https://news.example/go", transport=recorder.transport, resolver=Rebinding())
    assert recorder.connected == [PUBLIC]


def test_the_next_checked_address_is_tried_when_one_refuses() -> None:
    other = "93.184.216.35"

    def both(host: str, port: int) -> list[str]:
        return [PUBLIC, other]

    def refuse_the_first(request: httpx2.Request) -> httpx2.Response:
        if request.url.host == PUBLIC:
            raise httpx2.ConnectError("connection refused")
        return httpx2.Response(200, headers={"content-type": "text/html"}, text=PAGE)

    recorder = Recorder({"https://news.example/story": refuse_the_first})
    page = fetch("https://news.example/story", transport=recorder.transport, resolver=both)
    assert b"approved the new budget" in page.body
    assert recorder.connected == [PUBLIC, other]


# --- size, status, time, failures -------------------------------------------------------------


def test_declared_length_over_the_cap_is_refused() -> None:
    big = "x" * 2000
    recorder = Recorder({"https://news.example/big": html(big)})
    with pytest.raises(FetchError, match="the page is 2,000 bytes; the limit is 1,000 bytes"):
        fetch(
            "https://news.example/big",
            transport=recorder.transport,
            resolver=public_resolver,
            max_bytes=1000,
        )


def test_streamed_body_over_the_cap_is_cut_off() -> None:
    def chunks() -> Iterator[bytes]:
        while True:  # a server that never stops sending
            yield b"x" * 512

    def endless(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/plain"}, content=chunks())

    recorder = Recorder({"https://news.example/endless": endless})
    with pytest.raises(FetchError, match="larger than the limit of 4,096 bytes"):
        fetch(
            "https://news.example/endless",
            transport=recorder.transport,
            resolver=public_resolver,
            max_bytes=4096,
        )


def test_http_error_status() -> None:
    recorder = Recorder({"https://news.example/gone": lambda r: httpx2.Response(404)})
    with pytest.raises(FetchError, match="the server answered 404 Not Found") as info:
        fetch("https://news.example/gone", transport=recorder.transport, resolver=public_resolver)
    assert info.value.status_code == 404
    assert info.value.url == "https://news.example/gone"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx2.ReadTimeout("read timed out"), "no answer within 30 s"),
        (httpx2.ConnectError("connection refused"), "cannot reach .*connection refused"),
    ],
)
def test_transport_failures_are_fetch_errors(error: Exception, message: str) -> None:
    def fail(request: httpx2.Request) -> httpx2.Response:
        raise error

    recorder = Recorder({"https://news.example/x": fail})
    with pytest.raises(FetchError, match=message):
        fetch("https://news.example/x", transport=recorder.transport, resolver=public_resolver)


def test_invalid_url() -> None:
    with pytest.raises(FetchError, match=r"not a valid URL \(no host\)"):
        fetch("http://", transport=Recorder({}).transport, resolver=public_resolver)


# --- through load_articles, served from 127.0.0.1 ---------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {
        "/news/budget-passes.html": ("text/html; charset=utf-8", PAGE.encode()),
        "/wire.txt": (
            "text/plain; charset=utf-8",
            b"Budget passes\n\nThe city council approved the new budget on Tuesday.",
        ),
        "/paper.pdf": ("application/pdf", b"%PDF-1.7"),
        "/latin.html": (
            "text/html; charset=iso-8859-1",
            PAGE.replace("mayor", "Bürgermeister").encode("latin-1"),
        ),
        "/empty.html": ("text/html", b"<html><body><nav>Home</nav></body></html>"),
    }

    hosts: ClassVar[list[str]] = []  # the Host header of every request served

    def do_GET(self) -> None:
        self.hosts.append(self.headers.get("Host", ""))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news/budget-passes.html")
            self.end_headers()
            return
        content_type, body = self.pages.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hosts.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.enable_socket
def test_html_page_by_url(server: str) -> None:
    [article] = load_articles([f"{server}/moved"], allow_private=True)
    assert article.id == "budget-passes"
    assert article.url == f"{server}/news/budget-passes.html"
    assert article.title == "Budget passes"
    assert article.text.startswith("The city council approved the new budget")
    # No site name in the page: trafilatura names the site after the URL's host and port.
    assert article.outlet == server.removeprefix("http://")


@pytest.mark.enable_socket
def test_a_host_name_is_served_from_its_resolved_address(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    page = fetch(
        f"http://news.test:{port}/moved",
        allow_private=True,
        resolver=lambda host, port: ["127.0.0.1"],
    )
    assert page.url == f"http://news.test:{port}/news/budget-passes.html"
    assert _Handler.hosts == [f"news.test:{port}"] * 2  # the server sees the name, not the address


@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")  # pytest-socket's
def test_a_rebinding_resolver_cannot_reach_loopback(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    # The check sees a public address; the system's own lookup of "localhost" would give the
    # server's 127.0.0.1. The real client connects to the checked public address, which
    # pytest-socket refuses here, so no second lookup steers the request to loopback.
    with pytest.raises(SocketConnectBlockedError, match=re.escape(PUBLIC)):
        fetch(f"http://localhost:{port}/wire.txt", resolver=Rebinding())
    assert _Handler.hosts == []


@pytest.mark.enable_socket
def test_text_page_by_url_and_outlet_override(server: str) -> None:
    [article] = load_articles([f"{server}/wire.txt"], allow_private=True, outlets={"wire": "AP"})
    assert (article.id, article.title, article.outlet) == ("wire", "Budget passes", "AP")
    assert article.url == f"{server}/wire.txt"


@pytest.mark.enable_socket
def test_page_charset_from_the_header_is_honoured(server: str) -> None:
    [article] = load_articles([f"{server}/latin.html"], allow_private=True)
    assert "The Bürgermeister said the plan protects schools" in article.text


@pytest.mark.enable_socket
@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/paper.pdf", FetchError, "is application/pdf, not a web page"),
        ("/empty.html", InputError, "no article text found"),
        ("/missing", FetchError, "answered 404"),
    ],
)
def test_unusable_pages_by_url(
    server: str, path: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        load_articles([f"{server}{path}"], allow_private=True)


def test_loopback_url_without_allow_private_is_refused() -> None:
    with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.1"):
        load_articles(["http://127.0.0.1:1/story"])


@pytest.mark.enable_socket
def test_unreachable_url() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens on it
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=f"cannot reach http://127.0.0.1:{port}/story"):
        load_articles([f"http://127.0.0.1:{port}/story"], allow_private=True)
