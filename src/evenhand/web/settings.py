"""What one `evenhand serve` process allows and which engines it offers, fixed at start-up."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

# How `evenhand serve --workers N` hands the settings to its worker processes.
SETTINGS_ENV = "EVENHAND_WEB_SETTINGS"

DEFAULT_MAX_REQUEST_BYTES = 2_000_000
DEFAULT_MAX_ARTICLES = 10
DEFAULT_REQUEST_TIMEOUT = 120.0
DEFAULT_WORKERS = 4
# Words of source text per request (the articles, and a draft to check). An allowed request must
# finish well inside the request timeout: on the 2-core development machine, shared and under
# load, the offline engine took 5.8 s on 10 articles of 3,260 words in all, 16.9 s on 16,170
# words and 42.3 s on 48,380 words (time per word grows with size), so 30,000 words take about
# 25 s, a fifth of the 120 s timeout. (The 2 MB body limit alone would allow some 300,000 words.)
DEFAULT_MAX_SOURCE_WORDS = 30_000


@dataclass(frozen=True)
class ConnectionLimits:
    """What one client connection may take, so that slow or idle clients cannot hold the server.

    `header_timeout`: seconds for a request's head (line and headers) to arrive, from the
    connection opening or the previous response; `body_timeout`: seconds for its whole body,
    from the end of the head, however slowly it trickles in; `keep_alive_timeout`: seconds an
    idle connection is kept between requests; `max_connections`: open connections at once
    (one more is answered 503 and closed). A client past a timeout gets 408 and is disconnected.
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 64
    # Seconds `evenhand serve` waits for requests in flight when it is told to stop.
    graceful_shutdown: float = 5.0


@dataclass(frozen=True)
class WebSettings:
    """Limits and engine configuration of the web app.

    `llm_options` go to the LLM engine as they are (model, base_url, temperature, seed, timeout,
    structured). The LLM engine is offered only when the server can reach a model: an API key in
    the environment, or an OpenAI-compatible base URL (option or `$OPENAI_BASE_URL`).
    """

    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    max_articles: int = DEFAULT_MAX_ARTICLES
    max_source_words: int = DEFAULT_MAX_SOURCE_WORDS
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    workers: int = DEFAULT_WORKERS  # threads, for work that waits on the network
    processes: int = 0  # worker processes for the offline engine (0: it runs in the threads)
    llm_options: dict[str, Any] = field(default_factory=dict)
    llm_available: bool = False
    # Host names the server answers to (None: any). On loopback, `evenhand serve` sets the
    # loopback names, so that a web page whose domain is made to resolve to 127.0.0.1
    # (DNS rebinding) cannot use the tool, or its model key, from an editor's browser.
    allowed_hosts: list[str] | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> WebSettings:
        return cls(**json.loads(text))

    @property
    def llm_model(self) -> str | None:
        """The model the LLM engine will ask for, as far as the server knows it."""
        model = self.llm_options.get("model") or os.environ.get("EVENHAND_MODEL")
        return str(model) if model else None

    @property
    def llm_base_url(self) -> str | None:
        url = self.llm_options.get("base_url") or os.environ.get("OPENAI_BASE_URL")
        return str(url) if url else None


LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]


def llm_configured(base_url: str | None) -> bool:
    """True when the LLM engine has somewhere to send requests: a key, or a base URL."""
    return bool(base_url or os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"))
