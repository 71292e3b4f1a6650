"""Recorded model responses: the pytest-recording configuration (loaded from tests/conftest.py).

- Record mode is `none` unless `--record-mode=once` is given; with it, a test records a real
  response when `EVENHAND_RECORD_API_KEY` (and optionally `EVENHAND_RECORD_BASE_URL`) point at a
  real service (add `--force-enable-socket`, since the network is otherwise off).
- Requests match on method, path and body, so a changed prompt shows up as a missing cassette.
- Compressed bodies are decoded; JSON bodies are stored pretty-printed as YAML block text; the
  `authorization`, `openai-organization`, `openai-project`, `set-cookie`, `x-*` and `date`
  headers never reach a cassette (request headers other than `content-type` are dropped).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

RECORDED_HEADER = (
    "# Recorded from a model service by pytest-recording; keys and account headers filtered\n"
    "# (tests/llm_conftest.py).\n"
)
AUTHORED_HEADER = (
    "# AUTHORED FIXTURE, not a recording: no model produced this response. It is written in the\n"
    "# exact wire format of the Chat Completions API (response model 'fixture-authored') by\n"
    "# tests/cassettes/author.py from tests/cassettes/authored/{case}.json and the request the\n"
    "# engine really renders for the case. Re-run that script after a prompt change.\n"
)

_DROPPED_RESPONSE_HEADERS = {
    "authorization",
    "openai-organization",
    "openai-project",
    "set-cookie",
    "date",
    "content-length",
    "content-encoding",
    "cf-ray",
    "server",
}


def _keep_response_header(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _DROPPED_RESPONSE_HEADERS and not lowered.startswith(("x-", "cf-"))


def scrub_request(request: Any) -> Any:
    """Keep only `content-type` (needed to compare JSON bodies) of the request headers."""
    for name in list(request.headers):
        if name.lower() != "content-type":
            del request.headers[name]
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        name: values for name, values in response["headers"].items() if _keep_response_header(name)
    }
    return response


def _pretty(text: object) -> object:
    if not isinstance(text, str) or not text.lstrip().startswith(("{", "[")):
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    except ValueError:
        return text


class _BlockDumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_representer)


def dump_cassette(data: dict[str, Any], header: str = RECORDED_HEADER) -> str:
    """A cassette as readable YAML: a header comment, JSON bodies pretty-printed as block text."""
    for interaction in data.get("interactions", []):
        interaction["request"]["body"] = _pretty(interaction["request"].get("body"))
        body = interaction["response"].get("body", {})
        body["string"] = _pretty(body.get("string"))
    text = yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)
    return header + text


class ReadableYAML:
    """A vcrpy serializer: `dump_cassette` on the way out, plain safe YAML on the way in."""

    @staticmethod
    def serialize(data: dict[str, Any]) -> str:
        return dump_cassette(data)

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(text)
        return loaded


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_serializer("yaml", ReadableYAML)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
        "filter_headers": ["authorization", "openai-organization", "openai-project", "cookie"],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
    }
