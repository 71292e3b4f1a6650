"""Recorded model responses: the one vcrpy configuration behind every cassette evenhand writes.

The LLM tests (pytest-recording), `evenhand eval` (replay, and `--record`) and the scripts that
write authored fixture cassettes all use what is here, so a cassette is filtered, matched and laid
out the same way whoever writes it:

- requests match on method, path and body, so a changed prompt shows up as a missing cassette;
- compressed bodies are decoded; JSON bodies (by content type, or by their look when there is
  none) are stored pretty-printed as YAML block text;
- keys and account headers never reach a cassette: of the request headers only `content-type` is
  kept (vcrpy needs it to compare JSON bodies); the response loses `authorization`,
  `openai-organization`, `openai-project`, `set-cookie`, `date`, every `x-*` and `cf-*` header,
  and the length and encoding headers that no longer fit the decoded, re-laid-out body;
- whatever the route, an `sk-...` key in a body or a URL is replaced before a cassette is written.

vcrpy and PyYAML are eval and test tools, not dependencies of the library: they are imported inside
the functions that need them, so `import evenhand` works without them.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..safe_write import atomic_write_text

if TYPE_CHECKING:
    import yaml

# The response `model` of every authored fixture: it claims no real model snapshot.
FIXTURE_MODEL = "fixture-authored"
# The first words of an authored cassette (the eval's scoreboard reads them to state the origin).
AUTHORED_MARK = "AUTHORED FIXTURE, not a recording"
RECORDED_HEADER = (
    "# Recorded from a model service by vcrpy; keys and account headers filtered\n"
    "# (evenhand.llm.recording).\n"
)

MATCH_ON = ("method", "path", "body")
FILTERED_REQUEST_HEADERS = (
    "authorization",
    "openai-organization",
    "openai-project",
    "api-key",
    "cookie",
)
_DROPPED_RESPONSE_HEADERS = frozenset(
    {
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
)
# An API key anywhere in a body or a URL (an error body may echo one, masked or not); the word
# boundary keeps words such as "desk-bound" out of it.
_KEY = re.compile(r"\bsk-[A-Za-z0-9_*-]{16,}")
REDACTED_KEY = "[redacted key]"
_VCR_MISSING = (
    "replaying or recording model responses needs vcrpy, which is not installed: "
    "pip install 'evenhand[eval]'"
)


# --- secrets ----------------------------------------------------------------------------------


def keep_response_header(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _DROPPED_RESPONSE_HEADERS and not lowered.startswith(("x-", "cf-"))


def scrub_request(request: Any) -> Any:
    """Keep only `content-type` (needed to compare JSON bodies) of a vcrpy request's headers."""
    for name in list(request.headers):
        if name.lower() != "content-type":
            del request.headers[name]
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop the account, cookie, date, `x-*` and transport headers of a vcrpy response."""
    headers = response.get("headers") or {}
    response["headers"] = {
        name: values for name, values in headers.items() if keep_response_header(name)
    }
    return response


# --- the readable cassette format -------------------------------------------------------------


def redact_keys(value: Any) -> Any:
    """`value` (strings, bytes, lists and dicts, nested) with every API key replaced."""
    if isinstance(value, str):
        return _KEY.sub(REDACTED_KEY, value)
    if isinstance(value, bytes):
        return re.sub(_KEY.pattern.encode(), REDACTED_KEY.encode(), value)
    if isinstance(value, list):
        return [redact_keys(item) for item in value]
    if isinstance(value, dict):
        return {name: redact_keys(item) for name, item in value.items()}
    return value


def _content_type(headers: Mapping[str, Any] | None) -> str | None:
    for name, values in (headers or {}).items():
        if name.lower() == "content-type":
            value = values[0] if isinstance(values, list) and values else values
            return str(value).lower()
    return None


def readable_body(text: object, content_type: str | None = None) -> object:
    """A JSON body pretty-printed (one trailing newline); anything else as it is.

    A body whose content type is given and is not JSON stays as it is even when it parses as
    JSON: a one-line JSONL file must keep its single line."""
    if content_type is not None and "json" not in content_type:
        return text
    if not isinstance(text, str) or not text.lstrip().startswith(("{", "[")):
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    except ValueError:
        return text


@functools.cache
def _block_dumper() -> type[yaml.SafeDumper]:
    import yaml

    class BlockDumper(yaml.SafeDumper):
        """Multi-line strings (pretty JSON, JSONL files) as YAML block text."""

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    BlockDumper.add_representer(str, represent_str)
    return BlockDumper


def dump_cassette(data: Mapping[str, Any], header: str = RECORDED_HEADER) -> str:
    """A cassette as readable YAML: a header comment, JSON bodies pretty-printed as block text."""
    import yaml

    laid_out: dict[str, Any] = redact_keys(copy.deepcopy(dict(data)))
    for interaction in laid_out.get("interactions", []):
        request, response = interaction["request"], interaction["response"]
        request["body"] = readable_body(request.get("body"), _content_type(request.get("headers")))
        body = response.get("body", {})
        body["string"] = readable_body(body.get("string"), _content_type(response.get("headers")))
    text = yaml.dump(
        laid_out, Dumper=_block_dumper(), allow_unicode=True, sort_keys=False, width=100
    )
    return header + text


class ReadableYAML:
    """A vcrpy serializer: `dump_cassette` on the way out, plain safe YAML on the way in."""

    @staticmethod
    def serialize(data: dict[str, Any]) -> str:
        return dump_cassette(data)

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        import yaml

        loaded: dict[str, Any] = yaml.safe_load(text)
        return loaded


# --- vcrpy ------------------------------------------------------------------------------------


def vcr_options(match_on: Sequence[str] = MATCH_ON) -> dict[str, Any]:
    """Keyword arguments for `vcr.VCR` (and pytest-recording's `vcr_config`): what is matched,
    decoded and filtered. The readable serializer is registered separately (`recorder`)."""
    return {
        "match_on": list(match_on),
        "decode_compressed_response": True,
        "filter_headers": list(FILTERED_REQUEST_HEADERS),
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
    }


def require_vcr() -> None:
    """Raise a `ConfigError` that names the fix when vcrpy is not installed."""
    try:
        import vcr  # noqa: F401
    except ImportError as exc:
        raise ConfigError(_VCR_MISSING) from exc


def recorder(folder: Path, record_mode: str, match_on: Sequence[str] = MATCH_ON) -> Any:
    """A vcrpy recorder over `folder` with the options above and the readable YAML format."""
    require_vcr()
    import vcr

    made = vcr.VCR(
        cassette_library_dir=str(folder), record_mode=record_mode, **vcr_options(match_on)
    )
    made.register_serializer("yaml", ReadableYAML)
    return made


def label_recording(path: Path, lines: Sequence[str]) -> None:
    """Add `lines` (what produced the responses: model, server, settings) to the comment at the
    top of a cassette just recorded, after the RECORDED header."""
    text = path.read_text(encoding="utf-8")
    added = "".join(f"# {line}\n" for line in lines)
    head = RECORDED_HEADER if text.startswith(RECORDED_HEADER) else ""
    atomic_write_text(path, head + added + text[len(head) :])


# --- authored fixtures ------------------------------------------------------------------------


def authored_header(note: str) -> str:
    """The comment an authored cassette starts with: the mark, then `note` (its lines as given)."""
    return "".join(f"# {line}\n" for line in f"{AUTHORED_MARK}: {note}".splitlines())


def is_authored(cassette_text: str) -> bool:
    """Whether a cassette says, in its leading comment, that it is an authored fixture."""
    head = "\n".join(line for line in cassette_text.splitlines()[:5] if line.startswith("#"))
    return "authored fixture" in head.lower()


def authored_interaction(
    method: str,
    url: str,
    *,
    request_body: object = None,
    response_body: object,
    content_type: str = "application/json",
) -> dict[str, Any]:
    """One request and its authored answer as vcrpy stores them (status 200).

    `request_body` is the captured JSON body (None for a request without one); `response_body`
    is a JSON-able object or the body's text as it is sent.
    """
    request: dict[str, Any] = {"method": method, "uri": url}
    if request_body is None:
        request |= {"body": None, "headers": {}}
    else:
        body = json.dumps(request_body, ensure_ascii=False)
        request |= {"body": body, "headers": {"content-type": ["application/json"]}}
    text = (
        response_body
        if isinstance(response_body, str)
        else json.dumps(response_body, ensure_ascii=False)
    )
    return {
        "request": request,
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"content-type": [content_type]},
            "body": {"string": text},
        },
    }


def write_authored_cassette(
    target: Path, note: str, interactions: Sequence[Mapping[str, Any]]
) -> Path:
    """Write an authored fixture cassette: the AUTHORED FIXTURE header, then the interactions in
    the readable format. `note` says who wrote the answers and how to rebuild the cassette."""
    cassette = {"version": 1, "interactions": [dict(i) for i in interactions]}
    atomic_write_text(target, dump_cassette(cassette, authored_header(note)))
    return target
