"""The editorial web tool behind `evenhand serve` (needs the `web` extra: fastapi, uvicorn)."""

from __future__ import annotations

from .app import create_app
from .settings import WebSettings

__all__ = ["WebSettings", "create_app"]
