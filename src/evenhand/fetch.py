"""Fetching an article by URL without becoming a way into the user's own network.

Every hop (the first request and each redirect) is checked before it is requested: the scheme must
be http or https, and unless `allow_private` is given, every address the host resolves to must be
public (not loopback, private, link-local, shared, reserved, multicast or unspecified). Redirects
are followed by hand, at most `MAX_REDIRECTS` of them, so that each target is checked the same way.
The body is read in chunks and the download stops at `MAX_DOWNLOAD_BYTES`; a total deadline
bounds a server that trickles bytes.

The host is resolved once per hop, and the connection goes to an address from that answer: the
request's URL names the checked address, while the Host header and the TLS server name (SNI, and
so the certificate check) keep the host name, as httpx2's `sni_hostname` extension provides. A DNS
server that answers differently a moment later (DNS rebinding) is never asked again. Connections
are not kept alive, so no hop reuses a connection whose certificate was checked for another host.

HTTP goes through `httpx2`, the client the `openai` package uses too (one HTTP stack).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx2

from ._version import __version__
from .errors import FetchError, PrivateAddressError

MAX_DOWNLOAD_BYTES = 5_000_000
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 30.0  # the whole download, redirects included
CONNECT_TIMEOUT_SECONDS = 10.0

# Resolves a host name to the IP addresses a connection could reach (as strings).
Resolver = Callable[[str, int], list[str]]

_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8,*/*;q=0.1"


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    media_type: str  # e.g. "text/html"; "" when the server did not say
    charset: str | None
    body: bytes


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve the host {host!r} ({exc})") from exc
    # An IPv6 address may carry a zone ("fe80::1%eth0"), which ip_address does not parse.
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def resolve(url: httpx2.URL, resolver: Resolver, *, allow_private: bool = False) -> list[str]:
    """The addresses to connect to for `url`, in the resolver's order; unless `allow_private`,
    refuse the URL if its host is, or resolves to, any non-public address."""
    host = url.host
    if not host:
        raise FetchError(f"not a valid URL (no host): {url}")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = list(dict.fromkeys(resolver(host, port)))
    if not addresses:
        raise FetchError(f"cannot resolve the host {host!r}")
    bad = sorted({a for a in addresses if _forbidden(a)})
    if bad and not allow_private:
        resolved = "" if bad == [host] else f" ({', '.join(bad)})"
        raise PrivateAddressError(
            f"{url}: refused, {host} is a loopback, private or reserved address{resolved}; "
            "pass allow_private=True to fetch from your own network",
            url=str(url),
        )
    return addresses


def check_public(url: httpx2.URL, resolver: Resolver) -> list[str]:
    """Refuse `url` if its host is, or resolves to, any non-public address; else its addresses."""
    return resolve(url, resolver)


def _check_scheme(url: httpx2.URL) -> None:
    if url.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched", url=str(url))


def _media_type(content_type: str) -> tuple[str, str | None]:
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _read_body(response: httpx2.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url}: the page is {int(declared):,} bytes; the limit is {max_bytes:,} bytes"
        )
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(
                f"{url}: the page is larger than the limit of {max_bytes:,} bytes", url=str(url)
            )
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: the download took longer than the time limit", url=str(url))
    return bytes(body)


@contextmanager
def _get(client: httpx2.Client, url: httpx2.URL, addresses: list[str]) -> Iterator[httpx2.Response]:
    """GET `url` from the first of `addresses` that accepts a connection, never resolving again.

    The URL sent names the address; the Host header and the TLS server name keep the host name,
    so the server sees the usual request and its certificate is checked for the host name.
    """
    host_header = url.netloc.decode("ascii")
    server_name = url.raw_host.decode("ascii")
    for index, address in enumerate(addresses):
        request = client.build_request(
            "GET",
            url.copy_with(host=address),
            headers={"Host": host_header},
            extensions={"sni_hostname": server_name},
        )
        try:
            response = client.send(request, stream=True)
        except httpx2.ConnectError:
            if index == len(addresses) - 1:
                raise
            continue  # the next address of the same, checked answer
        try:
            yield response
        finally:
            response.close()
        return


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    transport: httpx2.BaseTransport | None = None,
    resolver: Resolver | None = None,
) -> Fetched:
    """GET `url` under the rules above; `transport` and `resolver` let tests stay offline."""
    resolver = resolver or system_resolver
    try:
        current = httpx2.URL(url)
    except httpx2.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})", url=str(url)) from exc
    deadline = time.monotonic() + timeout
    limits = httpx2.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_SECONDS))
    headers = {"User-Agent": f"evenhand/{__version__}", "Accept": _ACCEPT}
    with httpx2.Client(
        transport=transport,
        timeout=limits,
        headers=headers,
        follow_redirects=False,
        limits=httpx2.Limits(max_keepalive_connections=0),
    ) as client:
        for _ in range(max_redirects + 1):
            _check_scheme(current)
            addresses = resolve(current, resolver, allow_private=allow_private)
            try:
                with _get(client, current, addresses) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(
                                f"{current}: a redirect without a Location header", url=str(current)
                            )
                        current = current.join(location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            f"{current}: the server answered {response.status_code} "
                            f"{response.reason_phrase}".rstrip(),
                            url=str(current),
                            status_code=response.status_code,
                        )
                    media, charset = _media_type(response.headers.get("content-type", ""))
                    body = _read_body(response, str(current), max_bytes, deadline)
                    return Fetched(str(current), media, charset, body)
            except httpx2.TimeoutException as exc:
                raise FetchError(
                    f"{current}: no answer within {timeout:g} s", url=str(current)
                ) from exc
            except httpx2.InvalidURL as exc:
                raise FetchError(f"{current}: not a valid URL ({exc})", url=str(current)) from exc
            except httpx2.HTTPError as exc:
                reason = str(exc) or type(exc).__name__
                raise FetchError(f"cannot reach {current}: {reason}", url=str(current)) from exc
    raise FetchError(f"{url}: more than {max_redirects} redirects", url=str(url))
