"""The web API against its own OpenAPI schema (schemathesis, in-process ASGI, no network).

Every operation gets at most 30 generated examples; schemathesis's default checks run on each
(no 5xx, responses as documented, `Allow` on 405, requests the schema allows are accepted and
those it forbids refused). Two kinds of allowed request cannot be served here, and for them only
the acceptance check is left out: a source given by URL alone (fetching needs the network, which
tests do not have) and a report sent back (`/api/render`, `/api/check` with `report`), whose
spans must name the report's own article ids, a reference JSON Schema cannot state. A report is
read by the report's own models (`evenhand.schema`, the product's contract), which take a date
as a number too, so for a report the check that a schema-violating body is refused is left out.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from evenhand.web.app import create_app
from evenhand.web.settings import WebSettings

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


def _sends_a_report(case: Any) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    return case.path == "/api/render" or body.get("report") is not None


def _unservable(case: Any) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    if _sends_a_report(case):
        return True
    sources = body.get("sources")
    return isinstance(sources, list) and any(
        isinstance(s, dict) and not str(s.get("text") or "").strip() for s in sources
    )


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case: Any) -> None:
    excluded = [positive_data_acceptance] if _unservable(case) else []
    if _sends_a_report(case):
        excluded.append(negative_data_rejection)
    case.call_and_validate(excluded_checks=excluded)


def test_405_names_the_allowed_methods() -> None:
    with TestClient(create_app()) as client:
        response = client.delete("/api/analyze")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"] == "method_not_allowed"


def test_the_schema_states_what_the_server_refuses() -> None:
    openapi = create_app(WebSettings(max_articles=3)).openapi()["components"]["schemas"]
    analyze, check = openapi["AnalyzeRequest"], openapi["CheckRequest"]
    assert analyze["properties"]["sources"]["minItems"] == 1
    assert analyze["properties"]["sources"]["maxItems"] == 3
    assert analyze["properties"]["engine"]["enum"] == ["offline"]  # no model configured
    assert check["properties"]["engine"]["enum"] == ["offline"]
    # A draft needs sources (at least one) or a report, not both.
    assert [shape["required"] for shape in check["oneOf"]] == [["sources"], ["report"]]
    assert openapi["SourceIn"]["anyOf"] == [
        {"required": ["text"], "properties": {"text": {"type": "string", "pattern": r"\S"}}},
        {"required": ["url"], "properties": {"url": {"type": "string", "pattern": r"\S"}}},
    ]
    offered = create_app(WebSettings(llm_available=True)).openapi()["components"]["schemas"]
    assert offered["AnalyzeRequest"]["properties"]["engine"]["enum"] == ["offline", "llm"]


def test_a_body_that_is_not_utf8_json_is_an_invalid_request() -> None:
    with TestClient(create_app()) as client:
        response = client.post(
            "/api/render", content=b"\xff=\xfe", headers={"content-type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_request",
        "message": "request body: not valid JSON",
    }
