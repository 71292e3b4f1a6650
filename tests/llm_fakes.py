"""A fake model for tests: the real `openai` client over an in-memory transport.

`FakeModel` answers each request from a queue of replies (a completion body, an HTTP status, or
an exception to raise in the transport) and records exactly what was sent: method, path, the
headers that matter and the JSON body. Tests assert on the rendered prompt and messages through
`fake.requests`, not by patching evenhand.

    fake = FakeModel([completion(answer)])
    engine = LLMEngine(client=fake.client(), async_client=fake.async_client())
    engine.analyze(articles, max_words=130)
    fake.requests[0].body["messages"][1]["content"]
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai

from evenhand.llm.recording import FIXTURE_MODEL
from evenhand.schema import Article

DUMMY_KEY = "sk-test-dummy-key-0000"
BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: a status, a body (JSON-able, or raw bytes) and headers."""

    status: int = 200
    body: object = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def response(self) -> httpx2.Response:
        if isinstance(self.body, bytes):
            return httpx2.Response(self.status, content=self.body, headers=dict(self.headers))
        return httpx2.Response(self.status, json=self.body, headers=dict(self.headers))


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, str]]:
        messages: list[dict[str, str]] = self.body["messages"]
        return messages


Scripted = Reply | dict[str, Any] | Exception


def completion(
    content: object | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    prompt_tokens: int = 1000,
    completion_tokens: int = 200,
    cached_tokens: int = 0,
    model: str = FIXTURE_MODEL,
    choices: bool = True,
) -> dict[str, Any]:
    """A Chat Completions response body in the API's wire format.

    `content` is the answer: an object (dumped to JSON) or a string (sent as is).
    """
    text = content if isinstance(content, str) or content is None else json.dumps(content)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": text,
        "refusal": refusal,
        "annotations": [],
    }
    return {
        "id": "chatcmpl-fixture",
        "object": "chat.completion",
        "created": 1763800000,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ]
        if choices
        else [],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": None,
    }


class FakeModel:
    """Answers requests from `replies` in order, then from `responder` (which sees the request,
    for concurrent calls whose order is not fixed); records every request."""

    def __init__(
        self,
        replies: Iterable[Scripted] = (),
        responder: Callable[[Sent], Scripted] | None = None,
        *,
        server: Mapping[str, object] | None = None,
    ) -> None:
        self.replies: list[Scripted] = list(replies)
        self.responder = responder
        self.requests: list[Sent] = []
        # GET requests (a local server asked for its limits) are answered from `server`, by path
        # (e.g. {"/v1/models": {...}, "/props": {...}}), else 404; they are kept apart in `reads`.
        self.server = dict(server or {})
        self.reads: list[str] = []
        self._lock = threading.Lock()

    def add(self, *replies: Scripted) -> None:
        self.replies.extend(replies)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET":
            self.reads.append(request.url.path)
            known = request.url.path in self.server
            return httpx2.Response(200 if known else 404, json=self.server.get(request.url.path))
        body = json.loads(request.content) if request.content else {}
        headers = {k.lower(): v for k, v in request.headers.items()}
        sent = Sent(request.method, request.url.path, headers, body)
        with self._lock:
            self.requests.append(sent)
            if self.replies:
                reply = self.replies.pop(0)
            elif self.responder is not None:
                reply = self.responder(sent)
            else:
                raise AssertionError(f"unexpected request #{len(self.requests)} to {sent.path}")
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, dict):
            reply = Reply(200, reply)
        return reply.response()

    def client(self, max_retries: int = 0, base_url: str = BASE_URL) -> openai.OpenAI:
        return openai.OpenAI(
            api_key=DUMMY_KEY,
            base_url=base_url,
            max_retries=max_retries,
            http_client=httpx2.Client(transport=httpx2.MockTransport(self.handle)),
        )

    def async_client(self, max_retries: int = 0, base_url: str = BASE_URL) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(
            api_key=DUMMY_KEY,
            base_url=base_url,
            max_retries=max_retries,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle)),
        )


# Two short reports of a council vote and a valid answer about them, shared by the fault, wait
# and local-server tests.
COUNCIL_A = Article(
    id="a", outlet="Daily A", text="The council approved the budget on Monday by five votes to two."
)
COUNCIL_B = Article(
    id="b",
    outlet="Daily B",
    text="Critics said the budget, approved on Monday, cuts library funding.",
)
COUNCIL_ANSWER: dict[str, Any] = {
    "summary": [
        {
            "text": "The council approved the budget on Monday.",
            "quotes": [{"article_id": "a", "quote": "The council approved the budget on Monday"}],
        }
    ],
    "contested_claims": [],
    "loaded_language": [],
}
