"""The web app: `create_app(settings)` builds it; `evenhand serve` runs it with uvicorn.

One page (static/, all assets local: it works with no internet) over a small JSON API (api.py).
The OpenAPI docs at /docs load their scripts from this server too (no ReDoc: it fetches its
logo from a CDN).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._version import __version__
from .api import router
from .errors import error_response, install_error_handlers
from .limits import BodySizeLimit
from .runner import Runner
from .settings import WebSettings

STATIC_DIR = Path(__file__).resolve().parent / "static"

# The page runs only its own script and style; article text can never bring in code.
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# Requests that carry a whole report back (export, check against a report) may be this much
# larger than the articles alone: the report repeats them with its spans.
REPORT_SIZE_FACTOR = 3


def _host_name(header: str) -> str:
    """`example.com:8000` -> `example.com`; `[::1]:8000` -> `::1`."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """Answers only requests whose Host header names one of `allowed` (JSON 400 otherwise)."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {name.lower() for name in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if _host_name(header).lower() not in self.allowed:
                response = error_response(
                    400,
                    "bad_host",
                    f"this server answers only requests addressed to "
                    f"{' or '.join(sorted(self.allowed))} (the request named {header!r}); "
                    "start it with --host to serve another name",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """nosniff everywhere; a strict Content-Security-Policy on the page and its assets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        strict = path in ("/", "/favicon.ico") or path.startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if strict:
                    headers.append((b"content-security-policy", _PAGE_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def app_from_environment() -> FastAPI:
    """The app with the settings `evenhand serve` put in the environment (one per worker)."""
    import os

    from .settings import SETTINGS_ENV

    text = os.environ.get(SETTINGS_ENV)
    return create_app(WebSettings.from_json(text) if text else None)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The evenhand web app with `settings` (limits and engines; defaults: offline only)."""
    from fastapi_offline import FastAPIOffline

    settings = settings or WebSettings()
    runner = Runner(threads=settings.workers, processes=settings.processes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runner.start()
        yield
        runner.shutdown()

    app = FastAPIOffline(
        title="evenhand",
        version=__version__,
        description=(
            "Neutral, source-backed summaries of news articles that frame one event differently; "
            "contested claims, loaded language, and a checker for an editor's draft. "
            "Errors are JSON `{error, message}`; the message says what to do."
        ),
        lifespan=lifespan,
        static_url="/docs-assets",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.runner = runner
    install_error_handlers(app)
    app.include_router(router)

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def limit_for(path: str) -> int:
        if path in ("/api/render", "/api/check"):
            return settings.max_request_bytes * REPORT_SIZE_FACTOR
        return settings.max_request_bytes

    app.add_middleware(BodySizeLimit, limit_for=limit_for)
    _openapi_with_settings(app, settings)
    app.add_middleware(SecurityHeaders)
    if settings.allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=settings.allowed_hosts)
    return app


def _openapi_with_settings(app: FastAPI, settings: WebSettings) -> None:
    """The OpenAPI schema states this server's own limits: the engines it offers and how many
    sources it takes, so that a request the schema allows is one the server accepts."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        engines = ["offline", "llm"] if settings.llm_available else ["offline"]
        for name in ("AnalyzeRequest", "CheckRequest"):
            properties = schema.get("components", {}).get("schemas", {}).get(name, {})
            properties = properties.get("properties", {})
            if "engine" in properties:
                properties["engine"]["enum"] = engines
            if "sources" in properties:
                properties["sources"]["maxItems"] = settings.max_articles
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
