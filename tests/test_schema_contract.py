"""The committed JSON Schema files are the contract: they must match the models exactly.

When this fails, the models changed: run `make schema` (it runs `evenhand schema` and
`evenhand schema check` into schema/), review the diff, and bump SCHEMA_VERSION in schema.py if
the change is not purely additive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from evenhand.cli import main
from evenhand.renderers.json import SCHEMA_FILES, json_schema, json_schema_text
from evenhand.schema import (
    SCHEMA_VERSION,
    CheckReport,
    ContestedClaim,
    LoadedTerm,
    Report,
    Span,
)

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"


@pytest.mark.parametrize("name", ["report", "check"])
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = json.loads((SCHEMA_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8"))
    assert committed == json_schema("report" if name == "report" else "check"), (
        f"schema/{SCHEMA_FILES[name]} is out of date with the models: run `make schema`"
    )


@pytest.mark.parametrize(("name", "model"), [("report", Report), ("check", CheckReport)])
def test_schema_is_the_models_own(name: str, model: type[Report | CheckReport]) -> None:
    schema = json_schema("report" if name == "report" else "check")
    assert {k: v for k, v in schema.items() if k != "$schema"} == model.model_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_report_schema_names_the_public_fields() -> None:
    schema = json_schema("report")
    assert set(schema["required"]) == {
        "articles",
        "summary",
        "contested_claims",
        "loaded_language",
        "findings",
        "provenance",
    }
    assert schema["properties"]["schema_version"]["default"] == SCHEMA_VERSION
    claim = schema["$defs"]["ContestedClaim"]["properties"]
    assert claim["kind"]["enum"] == ["disputed", "framing", "one_sided", "unsupported"]
    term = schema["$defs"]["LoadedTerm"]["properties"]
    assert {"span", "category", "in_quote", "neutral_alternative", "explanation"} <= set(term)


def test_schema_1_1_adds_confidence_and_origin_to_every_loaded_term() -> None:
    loaded = json_schema("report")["$defs"]["LoadedTerm"]
    assert {"confidence", "origin"} <= set(loaded["required"])
    confidence = loaded["properties"]["confidence"]
    assert (confidence["type"], confidence["minimum"], confidence["maximum"]) == ("number", 0, 1)
    assert "calibrated probability" in confidence["description"].lower()
    assert loaded["properties"]["origin"]["enum"] == ["model", "lexicon", "both", "llm"]


@pytest.mark.parametrize(("args", "name"), [([], "report"), (["check"], "check")])
def test_schema_command_prints_the_committed_file(
    capsys: pytest.CaptureFixture[str], args: list[str], name: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["schema", *args])
    assert exit_info.value.code == 0
    printed = capsys.readouterr().out
    assert printed == json_schema_text("report" if name == "report" else "check")
    committed = (SCHEMA_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8")
    assert json.loads(printed) == json.loads(committed)


@pytest.mark.parametrize(
    "change",
    [{"confidence": 1.01}, {"confidence": -0.1}, {"origin": "guess"}, {"confidence": None}],
)
def test_a_loaded_term_needs_a_probability_and_a_known_origin(change: dict[str, Any]) -> None:
    fields: dict[str, Any] = {
        "span": Span(article_id="a", start=0, end=4, text="vile"),
        "category": "labelling",
        "in_quote": False,
        "explanation": "x",
        "confidence": 0.5,
        "origin": "lexicon",
    }
    LoadedTerm(**fields)
    with pytest.raises(ValidationError):
        LoadedTerm(**{**fields, **change})
    for required in ("confidence", "origin"):
        with pytest.raises(ValidationError):
            LoadedTerm(**{k: v for k, v in fields.items() if k != required})


def test_schema_2_0_names_actors_and_a_confidence_on_every_claim() -> None:
    assert SCHEMA_VERSION == "2.0"
    defs = json_schema("report")["$defs"]
    claim = defs["ContestedClaim"]
    assert {"actors", "confidence", "positions", "note"} <= set(claim["required"])
    confidence = claim["properties"]["confidence"]
    assert (confidence["type"], confidence["minimum"], confidence["maximum"]) == ("number", 0, 1)
    assert "heuristic" in confidence["description"]
    actor = defs["ActorPosition"]
    assert set(actor["required"]) == {"actor", "kind", "stance", "reported_by"}
    assert actor["properties"]["stance"]["enum"] == ["asserts", "disputes"]
    assert actor["properties"]["kind"]["enum"] == [
        "person",
        "organisation",
        "government",
        "group",
        "outlet",
        "other",
    ]
    assert defs["Position"]["properties"]["stance"]["enum"] == [
        "asserts",
        "disputes",
        "reports",
        "omits",
    ]


_TEXT = "Ann Lee said the vote was rigged. The board denied it."


def _report(actors: list[dict[str, Any]], positions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "articles": [{"id": "a", "text": _TEXT}, {"id": "b", "text": "Turnout was high."}],
        "summary": [],
        "contested_claims": [
            {
                "claim": "Whether the vote was rigged",
                "kind": "disputed",
                "actors": actors,
                "positions": positions,
                "note": "Ann Lee says the vote was rigged; the board denies it.",
                "confidence": 0.8,
            }
        ],
        "loaded_language": [],
        "findings": [],
        "provenance": {"engine": "offline", "duration_ms": 1, "created_at": "2026-01-01T00:00:00Z"},
    }


def _span(start: int, end: int) -> dict[str, Any]:
    return {"article_id": "a", "start": start, "end": end, "text": _TEXT[start:end]}


_ACTORS: list[dict[str, Any]] = [
    {"actor": "Ann Lee", "kind": "person", "stance": "asserts", "evidence": [_span(0, 33)],
     "reported_by": ["a"]},
    {"actor": "the board", "kind": "organisation", "stance": "disputes",
     "evidence": [_span(34, 54)], "reported_by": ["a"]},
]  # fmt: skip
_POSITIONS: list[dict[str, Any]] = [
    {"article_id": "a", "stance": "reports", "evidence": [_span(0, 54)]},
    {"article_id": "b", "stance": "omits", "evidence": []},
]


def test_a_2_0_report_round_trips_through_json() -> None:
    report = Report.model_validate(_report(_ACTORS, _POSITIONS))
    claim = report.contested_claims[0]
    assert [a.actor for a in claim.holders()] == ["Ann Lee"]
    assert [a.actor for a in claim.disputers()] == ["the board"]
    assert Report.model_validate_json(report.model_dump_json()) == report
    # Actor evidence is checked against the article like every other span.
    assert ("contested_claims[0].actors[1]", claim.actors[1].evidence[0]) in report.all_spans()


@pytest.mark.parametrize(
    "broken",
    [
        # evidence that is not the article's text at those offsets
        ([{**_ACTORS[0], "evidence": [{**_span(0, 33), "text": "Ann Lee said it."}]}], _POSITIONS),
        # an actor reported by an article that is not in the report
        ([{**_ACTORS[0], "reported_by": ["a", "zz"]}], _POSITIONS),
        # evidence from an article not listed in reported_by
        ([{**_ACTORS[0], "reported_by": ["b"]}], _POSITIONS),
        # an actor with a stance an outlet alone can take
        ([{**_ACTORS[0], "stance": "reports"}], _POSITIONS),
        # an outlet that omits the claim cannot quote it
        (_ACTORS, [{"article_id": "b", "stance": "omits", "evidence": [_span(0, 5)]}]),
    ],
)
def test_a_2_0_report_refuses_broken_actors(
    broken: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    with pytest.raises(ValidationError):
        Report.model_validate(_report(*broken))


def test_a_1_1_claim_does_not_validate_as_2_0() -> None:
    old = _report(_ACTORS, _POSITIONS)
    claim = old["contested_claims"][0]
    del claim["actors"], claim["confidence"]
    with pytest.raises(ValidationError):
        Report.model_validate(old)
    ContestedClaim.model_validate({**claim, "actors": [], "confidence": 0.5})
