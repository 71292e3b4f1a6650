"""`evenhand serve`: the editorial web tool on one page, over a small JSON API."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import time
from types import FrameType
from typing import TYPE_CHECKING

import typer

from ..errors import UsageError
from . import options
from .app import app

if TYPE_CHECKING:
    import uvicorn


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a one-line error saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: cannot resolve it ({exc.strerror})") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = " (another program uses it: choose another --port)" if exc.errno == 98 else ""
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from exc
    sock.set_inheritable(True)
    return sock


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _stop_children(grace: float = 3.0) -> None:
    """End the processes this server started (its pool of analysis processes).

    Idle ones leave on their own once the pool is shut down; one still busy with an abandoned
    analysis is terminated: the server is gone, no one waits for its answer.
    """
    import multiprocessing

    children = multiprocessing.active_children()
    deadline = time.monotonic() + grace
    for child in children:
        child.join(timeout=max(0.0, deadline - time.monotonic()))
    for child in children:
        if child.is_alive():
            child.terminate()
    for child in children:
        child.join(timeout=grace)
        if child.is_alive():
            child.kill()


def _run_server(server: uvicorn.Server, sock: socket.socket) -> None:
    """Run uvicorn until SIGINT or SIGTERM, then stop the analysis processes either way.

    uvicorn stops on both signals, then raises the signal again. SIGINT then ends the process
    through Python (KeyboardInterrupt); SIGTERM would kill it on the spot, before the pool's
    processes are stopped, leaving them behind. Here SIGTERM ends it through Python as well.
    """
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        server.run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop_children()


@app.command()
@options.llm_options
def serve(
    *,
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="HOST",
        help="Address to listen on. Anything but loopback exposes the tool.",
    ),
    port: int = typer.Option(8000, "--port", "-p", metavar="PORT", help="Port to listen on."),
    llm: options.LLMOptions,
    max_request_mb: float = typer.Option(
        2.0, "--max-request-mb", metavar="MB", help="Largest request body, in MB (10^6 bytes)."
    ),
    max_articles: int = typer.Option(
        10, "--max-articles", metavar="N", help="Most articles per request."
    ),
    request_timeout: float = typer.Option(
        120.0,
        "--request-timeout",
        metavar="SECONDS",
        help="Seconds one analysis or check may take.",
    ),
    processes: int | None = typer.Option(
        None,
        "--processes",
        metavar="N",
        help="Processes running the offline engine, fed from one queue (default: one per core; "
        "0: run it in the server's threads).",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        metavar="N",
        help="Server processes, each with its own queue (more than 1 implies --processes 0 "
        "unless given).",
    ),
) -> None:
    """Serve the web tool: paste or upload the sources, read the summary, check a draft.

    \b
    Examples:
      evenhand serve                                 # http://127.0.0.1:8000/
      evenhand serve --port 8080 --max-articles 20
      OPENAI_API_KEY=sk-... evenhand serve           # also offers the language-model engine
      evenhand serve --base-url http://localhost:11434/v1 --model llama3.1 --structured json

    The language-model engine is offered on the page when the server has OPENAI_API_KEY set or
    is given --base-url (an OpenAI-compatible server); the offline engine is always there.
    API docs: /docs. Stop with Ctrl-C.
    """
    if not 0 < port < 65536:
        raise UsageError(f"--port must be between 1 and 65535 (got {port})")
    if max_request_mb <= 0:
        raise UsageError(f"--max-request-mb must be above 0 (got {max_request_mb:g})")
    if max_articles < 1:
        raise UsageError(f"--max-articles must be at least 1 (got {max_articles})")
    if request_timeout <= 0:
        raise UsageError(f"--request-timeout must be above 0 (got {request_timeout:g})")
    if workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    if processes is not None and processes < 0:
        raise UsageError(f"--processes must be 0 or more (got {processes})")
    if processes is None:
        processes = (os.cpu_count() or 1) if workers == 1 else 0
    # Without the web extra these fail, and `main` names the `pip install` that fixes it.
    import uvicorn

    from ..web import WebSettings, create_app
    from ..web.settings import LOOPBACK_HOSTS, llm_configured

    llm_options = llm.for_engine("llm")
    settings = WebSettings(
        max_request_bytes=int(max_request_mb * 1_000_000),
        max_articles=max_articles,
        request_timeout=request_timeout,
        processes=processes,
        llm_options=llm_options,
        llm_available=llm_configured(llm.base_url),
        allowed_hosts=LOOPBACK_HOSTS if _is_loopback(host) else None,
    )
    sock = bind_socket(host, port)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"evenhand: serving on http://{shown}:{port}/ (API docs at /docs; Ctrl-C stops)")
    engines = "offline and llm" if settings.llm_available else "offline (no key or --base-url)"
    typer.echo(f"evenhand: engines: {engines}")
    if not _is_loopback(host):
        typer.echo(
            "evenhand: warning: the tool has no login; anyone who can reach this address can use "
            "it" + (" and the server's model key" if settings.llm_available else ""),
            err=True,
        )
    from ..web.server import uvicorn_options

    if workers == 1:
        config = uvicorn.Config(
            create_app(settings), log_level="info", access_log=False, **uvicorn_options()
        )
        _run_server(uvicorn.Server(config), sock)
        return
    # Worker processes build their own app from the settings in the environment.
    from ..web.settings import SETTINGS_ENV

    sock.close()  # the address is free: uvicorn binds it again for its workers
    os.environ[SETTINGS_ENV] = settings.to_json()
    uvicorn.run(
        "evenhand.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        **uvicorn_options(),
    )
