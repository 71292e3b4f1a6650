"""The engine's requests, byte for byte, are what `chat.completions.parse` sends for the response
model itself: the JSON body (key order included) and the headers that describe the call.

The engine may hand the client a ready-made `response_format` instead of the pydantic class (so
the schema is not rebuilt on every call); the service must not see any difference.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import openai
from pydantic import create_model

from evenhand.data import example_paths
from evenhand.engines.llm import LLMEngine
from evenhand.llm.answer_models import ModelAnswer, schema_name
from evenhand.llm.plan import plan_calls
from evenhand.sources import load_articles
from llm_fakes import BASE_URL, DUMMY_KEY, completion

# Headers that differ from one request to the next whatever is sent.
_VOLATILE = {"x-stainless-retry-count", "x-stainless-read-timeout", "content-length"}

ANSWER: dict[str, list[object]] = {
    "summary": [{"text": "Something happened.", "quotes": []}],
    "contested_claims": [],
    "loaded_language": [],
}


class Capture:
    def __init__(self) -> None:
        self.sent: list[tuple[bytes, dict[str, str]]] = []

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        headers = {k.lower(): v for k, v in request.headers.items() if k.lower() not in _VOLATILE}
        self.sent.append((bytes(request.content), headers))
        return httpx2.Response(200, json=completion(ANSWER))

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(
            api_key=DUMMY_KEY,
            base_url=BASE_URL,
            max_retries=0,
            http_client=httpx2.Client(transport=httpx2.MockTransport(self.handle)),
        )

    def async_client(self) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(
            api_key=DUMMY_KEY,
            base_url=BASE_URL,
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle)),
        )


def _reference_kwargs(engine: LLMEngine) -> dict[str, Any]:
    """The `parse` call for the bundled example, with the pydantic class as response_format."""
    articles = load_articles(example_paths())
    spec = plan_calls(articles, 130, engine.settings).calls[0]
    kwargs: dict[str, Any] = {
        "model": engine.settings.model,
        "messages": spec.messages,
        # A class named as the schema models see (see `schema_name`), so that `parse` sends the
        # same name.
        "response_format": create_model(
            schema_name(ModelAnswer), __base__=ModelAnswer, __doc__=ModelAnswer.__doc__
        ),
        "max_completion_tokens": spec.max_output,
    }
    for name in ("temperature", "seed"):
        value = getattr(engine.settings, name)
        if value is not None:
            kwargs[name] = value
    return kwargs


def _engine_request(capture: Capture, engine: LLMEngine, *, use_async: bool) -> None:
    articles = load_articles(example_paths())
    if use_async:
        asyncio.run(engine.analyze_async(articles, max_words=130))
    else:
        engine.analyze(articles, max_words=130)


def _check(use_async: bool, **settings: Any) -> None:
    engine_capture, reference_capture = Capture(), Capture()
    engine = LLMEngine(
        api_key=DUMMY_KEY,
        client=engine_capture.client(),
        async_client=engine_capture.async_client(),
        **settings,
    )
    _engine_request(engine_capture, engine, use_async=use_async)
    kwargs = _reference_kwargs(engine)
    if use_async:
        client = reference_capture.async_client()

        async def send() -> None:
            await client.chat.completions.with_raw_response.parse(**kwargs)

        asyncio.run(send())
    else:
        reference_capture.client().chat.completions.with_raw_response.parse(**kwargs)
    ((engine_body, engine_headers),) = engine_capture.sent
    ((reference_body, reference_headers),) = reference_capture.sent
    assert engine_body == reference_body
    assert engine_headers == reference_headers
    assert json.loads(engine_body)["response_format"]["json_schema"]["name"] == "LLMDraft"


def test_strict_request_bytes_sync() -> None:
    _check(use_async=False)


def test_strict_request_bytes_async() -> None:
    _check(use_async=True)


def test_strict_request_bytes_with_temperature_and_seed() -> None:
    _check(use_async=False, temperature=0.3, seed=11)
