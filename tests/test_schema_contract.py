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
from evenhand.schema import SCHEMA_VERSION, CheckReport, LoadedTerm, Report, Span

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
    assert SCHEMA_VERSION == "1.1"
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
