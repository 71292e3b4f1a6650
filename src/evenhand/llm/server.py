"""What a local OpenAI-compatible server says about itself: its context size and its slots.

llama.cpp's `llama-server` gives each model's context per slot under `/v1/models`
(`data[].meta.n_ctx`) and its number of slots (requests it works on at once; others wait in its
queue) under `/props` (`total_slots`). Other servers say neither, or not there: whatever cannot be
read is None and the caller keeps its own figure. Reading never raises and never retries; it is
bounded by a short timeout, so a server that is down costs no more than a refused connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import openai

# Seconds to wait for either answer: they are read from memory by the server.
READ_TIMEOUT = 5.0

log = logging.getLogger("evenhand.llm")


@dataclass(frozen=True)
class ServerLimits:
    context_tokens: int | None = None
    slots: int | None = None


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def context_of(models: object, model: str) -> int | None:
    """The context per slot of `model` in a `/v1/models` answer (the only model's, when the
    server serves one under another name, as llama-server does)."""
    data = models.get("data") if isinstance(models, dict) else None
    if not isinstance(data, list):
        return None
    entries = [d for d in data if isinstance(d, dict)]
    chosen = [d for d in entries if d.get("id") == model] or (entries if len(entries) == 1 else [])
    meta = chosen[0].get("meta") if chosen else None
    return _positive(meta.get("n_ctx")) if isinstance(meta, dict) else None


def server_root(base_url: str) -> str:
    """`http://host:8080/v1` -> `http://host:8080` (where llama-server answers `/props`)."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v1")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _get(client: openai.OpenAI, url: str) -> Any:
    try:
        return client.with_options(max_retries=0, timeout=READ_TIMEOUT).get(url, cast_to=object)
    except Exception as exc:  # best effort: a server that does not say is fine
        log.debug("could not read %s: %s", url, exc)
        return None


def describe(client: openai.OpenAI, base_url: str) -> str | None:
    """A line saying which server answers, from llama-server's `/props` (its build, the model
    file's name, the context per slot and the slots); None for a server that does not say."""
    props = _get(client, f"{server_root(base_url)}/props")
    if not isinstance(props, dict) or "build_info" not in props:
        return None
    parts = [f"llama.cpp llama-server build {props.get('build_info')}"]
    path = props.get("model_path")
    if isinstance(path, str) and path:
        parts.append(f"model file {path.replace(chr(92), '/').rsplit('/', 1)[-1]}")
    settings = props.get("default_generation_settings")
    n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
    if _positive(n_ctx):
        parts.append(f"context {n_ctx} tokens per slot")
    if _positive(props.get("total_slots")):
        parts.append(f"{props['total_slots']} slot(s)")
    return ", ".join(parts)


def read_limits(client: openai.OpenAI, base_url: str, model: str) -> ServerLimits:
    """The server's context per slot (`/v1/models`) and its slots (`/props`), where it says."""
    context = context_of(_get(client, "/models"), model)
    props = _get(client, f"{server_root(base_url)}/props")
    slots = _positive(props.get("total_slots")) if isinstance(props, dict) else None
    return ServerLimits(context_tokens=context, slots=slots)
