"""A local OpenAI-compatible fake server for tests and benchmarks (tooling, not the product).

It listens on 127.0.0.1 only and answers `POST /v1/chat/completions` for any request with a valid
response *authored here*: a draft built from the articles in the prompt (verbatim sentences as
quotes), in the shape the requested response schema asks for. Its `model` field says it is fake.

Configurable: latency (and jitter), a requests-per-minute limit answered with 429 + `retry-after`,
and a seeded rate of faults (500, a timeout that holds the request, a malformed body, 429). A
fault is decided by a hash of (seed, request body, how many times that body was seen), so the
same run is faulted the same way whatever the order requests arrive in, and a retry of a faulted
request is decided afresh.

    python bench/fake_server.py --port 8900 --latency 0.5 --fault-rate 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = ("500", "timeout", "malformed", "429")
_ARTICLE = re.compile(
    r"^BEGIN ARTICLE (?P<code>\S+) id=(?P<id>\"(?:[^\"\\]|\\.)*\")[^\n]*\n(?P<text>.*?)\n"
    r"END ARTICLE (?P=code)$",
    re.S | re.M,
)
_NOTES = re.compile(
    r"^BEGIN NOTES (?P<code>\S+) [^\n]*\n(?P<body>.*?)\nEND NOTES (?P=code)$", re.S | re.M
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“A-Z0-9])")
_WORD = re.compile(r"\S+")


@dataclass
class FakeConfig:
    latency: float = 0.0
    jitter: float = 0.0
    rpm: float | None = None
    fault_rate: float = 0.0
    faults: tuple[str, ...] = ("500", "timeout", "malformed")
    seed: int = 0
    hang: float = 30.0  # how long a "timeout" fault holds the request before closing it
    retry_after: float = 1.0  # seconds a "429" fault asks for


@dataclass
class Stats:
    requests: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    by_body: Counter[str] = field(default_factory=Counter)


# --- authoring a response ---------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    """Sentences as verbatim slices of `text` (cut to 30 words, still verbatim)."""
    out: list[str] = []
    for chunk in _SENTENCE_END.split(text.strip()):
        sentence = chunk.strip()
        words = list(_WORD.finditer(sentence))
        if len(words) < 4:
            continue
        out.append(sentence[: words[29].end()] if len(words) > 30 else sentence)
    return out or [text.strip()[:200]]


def _articles(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    text = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    return [(json.loads(m["id"]), m["text"]) for m in _ARTICLE.finditer(text)]


def _notes(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    notes = []
    for m in _NOTES.finditer(text):
        with contextlib.suppress(json.JSONDecodeError):
            notes.append(json.loads(m["body"]))
    return notes


def _llm_draft(articles: list[tuple[str, str]]) -> dict[str, Any]:
    summary = []
    positions = []
    for article_id, text in articles:
        sentences = _sentences(text)
        summary.append(
            {"text": sentences[0], "quotes": [{"article_id": article_id, "quote": sentences[0]}]}
        )
        positions.append({"article_id": article_id, "stance": "reports", "quotes": [sentences[-1]]})
    claims = []
    if len(positions) >= 2:
        claims.append(
            {
                "claim": "How the event should be characterised.",
                "kind": "framing",
                "actors": [],
                "positions": positions,
                "note": "The articles describe the same event with different emphasis.",
            }
        )
    return {"summary": summary, "contested_claims": claims, "loaded_language": []}


def _extract_draft(articles: list[tuple[str, str]]) -> dict[str, Any]:
    article_id, text = articles[0] if articles else ("unknown", "")
    sentences = _sentences(text)
    return {
        "article_id": article_id,
        "facts": [{"statement": s, "quote": s} for s in sentences[:2]],
        "claims": [
            {"claim": sentences[-1], "stance": "asserts", "actors": [], "quote": sentences[-1]}
        ],
        "loaded_language": [],
    }


def author_content(body: dict[str, Any]) -> str:
    """The JSON text a model would answer with, for the schema the request names."""
    messages = body.get("messages") or []
    fmt = body.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name", "ModelAnswer")
    articles = _articles(messages)
    if name == "ExtractAnswer":
        return json.dumps(_extract_draft(articles))
    if not articles:  # a merge: rebuild articles from the notes' quotes
        articles = [
            (n.get("article_id", "unknown"), " ".join(f["quote"] for f in n.get("facts", [])))
            for n in _notes(messages)
        ]
    return json.dumps(_llm_draft(articles))


def completion(body: dict[str, Any], request_number: int) -> dict[str, Any]:
    content = author_content(body)
    prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages") or [])
    return {
        "id": f"chatcmpl-fake-{request_number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": f"fake-server/{body.get('model', 'unknown')}",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_chars // 4,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_chars // 4 + len(content) // 4,
        },
        "system_fingerprint": None,
    }


# --- the server -------------------------------------------------------------------------------


class FakeServer:
    """The server; `start()` runs it on a background thread, `url` is its OpenAI base URL."""

    def __init__(self, config: FakeConfig | None = None, port: int = 0) -> None:
        self.config = config or FakeConfig()
        self.stats = Stats()
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._level: float | None = None  # rpm bucket, full at the first request
        self._stamp = time.monotonic()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v1"

    # --- decisions ----------------------------------------------------------------------------

    def _fault(self, raw: bytes) -> str | None:
        cfg = self.config
        if cfg.fault_rate <= 0 or not cfg.faults:
            return None
        body_hash = hashlib.sha256(raw).hexdigest()
        self.stats.by_body[body_hash] += 1
        seen = self.stats.by_body[body_hash]
        digest = hashlib.sha256(f"{cfg.seed}:{body_hash}:{seen}".encode()).digest()
        roll = int.from_bytes(digest[:8], "big") / 2**64
        if roll >= cfg.fault_rate:
            return None
        return cfg.faults[digest[8] % len(cfg.faults)]

    def _rate_limited(self) -> float | None:
        """Seconds to wait when over the rpm limit (a token bucket of one second's burst)."""
        if not self.config.rpm:
            return None
        rate = self.config.rpm / 60.0
        capacity = max(1.0, rate)
        now = time.monotonic()
        level = capacity if self._level is None else self._level
        self._level = min(capacity, level + (now - self._stamp) * rate)
        self._stamp = now
        if self._level >= 1.0:
            self._level -= 1.0
            return None
        return (1.0 - self._level) / rate

    # --- HTTP ---------------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0"))
                raw = await reader.readexactly(length) if length else b""
                keep = await self._respond(writer, method, path.split("?")[0], raw)
                if not keep or headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.CancelledError):
            pass  # the client went away, or the server is stopping
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        body: bytes,
        extra: dict[str, str] | None = None,
    ) -> None:
        reason = {
            200: "OK",
            404: "Not Found",
            429: "Too Many Requests",
            500: "Internal Server Error",
        }
        head = [
            f"HTTP/1.1 {status} {reason.get(status, 'Error')}",
            "content-type: application/json",
            f"content-length: {len(body)}",
            "x-fake-server: evenhand-bench",
        ]
        head += [f"{k}: {v}" for k, v in (extra or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()

    @staticmethod
    def _error(message: str, kind: str) -> bytes:
        return json.dumps({"error": {"message": message, "type": kind, "code": None}}).encode()

    async def _respond(
        self, writer: asyncio.StreamWriter, method: str, path: str, raw: bytes
    ) -> bool:
        cfg = self.config
        if method == "GET" and path.rstrip("/") == "/v1/models":
            models = {"object": "list", "data": [{"id": "fake-server", "object": "model"}]}
            await self._send(writer, 200, json.dumps(models).encode())
            return True
        if method == "GET" and path.rstrip("/") == "/stats":  # for benchmarks in another process
            stats = {"requests": self.stats.requests, "outcomes": dict(self.stats.outcomes)}
            await self._send(writer, 200, json.dumps(stats).encode())
            return True
        if method != "POST" or path.rstrip("/") != "/v1/chat/completions":
            await self._send(writer, 404, self._error(f"no route {method} {path}", "not_found"))
            return True
        self.stats.requests += 1
        number = self.stats.requests
        wait = self._rate_limited()
        if wait is not None:
            self.stats.outcomes["429-rpm"] += 1
            await self._send(
                writer,
                429,
                self._error("rate limit reached (fake)", "rate_limit"),
                {"retry-after": str(math.ceil(wait)), "retry-after-ms": str(int(wait * 1000) + 1)},
            )
            return True
        fault = self._fault(raw)
        delay = cfg.latency
        if cfg.jitter:
            digest = hashlib.sha256(f"{cfg.seed}:{number}".encode()).digest()
            delay += cfg.jitter * (int.from_bytes(digest[:4], "big") / 2**32)
        if fault == "timeout":
            self.stats.outcomes["timeout"] += 1
            await asyncio.sleep(cfg.hang)
            return False
        await asyncio.sleep(delay)
        if fault == "500":
            self.stats.outcomes["500"] += 1
            await self._send(
                writer, 500, self._error("injected server error (fake)", "server_error")
            )
            return True
        if fault == "429":
            self.stats.outcomes["429"] += 1
            await self._send(
                writer,
                429,
                self._error("injected rate limit (fake)", "rate_limit"),
                {
                    "retry-after": str(math.ceil(cfg.retry_after)),
                    "retry-after-ms": str(int(cfg.retry_after * 1000)),
                },
            )
            return True
        if fault == "malformed":
            self.stats.outcomes["malformed"] += 1
            await self._send(
                writer, 200, b'{"id": "chatcmpl-fake", "object": "chat.completion", "choices": ['
            )
            return True
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            await self._send(
                writer, 400, self._error("request body is not JSON", "invalid_request")
            )
            return True
        self.stats.outcomes["ok"] += 1
        await self._send(writer, 200, json.dumps(completion(body, number)).encode())
        return True

    # --- lifecycle ----------------------------------------------------------------------------

    async def serve(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self._port)
        self._port = self._server.sockets[0].getsockname()[1]
        self._loop = asyncio.get_running_loop()
        self._ready.set()
        async with self._server:
            await self._server.serve_forever()

    def start(self) -> FakeServer:
        def run() -> None:
            with contextlib.suppress(asyncio.CancelledError):
                asyncio.run(self.serve())

        self._thread = threading.Thread(target=run, name="fake-openai-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._server is not None:
            loop, server = self._loop, self._server

            async def shutdown() -> None:
                server.close()
                for task in asyncio.all_tasks():
                    if task is not asyncio.current_task():
                        task.cancel()

            asyncio.run_coroutine_threadsafe(shutdown(), loop)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument("--jitter", type=float, default=0.0, help="extra seconds, up to")
    parser.add_argument("--rpm", type=float, default=None, help="requests per minute, then 429")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument(
        "--faults", default="500,timeout,malformed", help=f"of {','.join(FAULT_KINDS)}"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang", type=float, default=30.0, help="seconds a timeout fault holds")
    args = parser.parse_args()
    faults = tuple(f for f in args.faults.split(",") if f)
    unknown = set(faults) - set(FAULT_KINDS)
    if unknown:
        parser.error(f"unknown fault kind(s): {', '.join(sorted(unknown))}")
    server = FakeServer(
        FakeConfig(
            latency=args.latency,
            jitter=args.jitter,
            rpm=args.rpm,
            fault_rate=args.fault_rate,
            faults=faults,
            seed=args.seed,
            hang=args.hang,
        ),
        port=args.port,
    )

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server._ready.is_set():
            await asyncio.sleep(0.01)
        print(f"listening on {server.url}", flush=True)
        await task

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


if __name__ == "__main__":
    main()
