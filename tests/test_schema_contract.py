"""The committed JSON Schema files are the contract: they must match the models exactly.

When this fails, the models changed: run `make schema` (it runs `evenhand schema` and
`evenhand schema check` into schema/), review the diff, and bump SCHEMA_VERSION in schema.py if
the change is not purely additive.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evenhand.cli import main
from evenhand.renderers.json import SCHEMA_FILES, json_schema, json_schema_text
from evenhand.schema import SCHEMA_VERSION, CheckReport, Report

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
