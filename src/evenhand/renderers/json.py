"""The report as JSON (the `Report` model, indent 2) and the JSON Schema of the contract."""

from __future__ import annotations

import json
from typing import Any, Literal

from ..schema import CheckReport, Report

SchemaName = Literal["report", "check"]

# The committed files under schema/, by the name `evenhand schema NAME` takes.
SCHEMA_FILES: dict[str, str] = {
    "report": "report.schema.json",
    "check": "check-report.schema.json",
}

_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def json_schema(name: SchemaName = "report") -> dict[str, Any]:
    """The JSON Schema of `Report` ("report") or `CheckReport` ("check"), from the models."""
    model = Report if name == "report" else CheckReport
    return {"$schema": _JSON_SCHEMA_DIALECT, **model.model_json_schema()}


def json_schema_text(name: SchemaName = "report") -> str:
    """The schema as committed under schema/: indent 2, keys in model order, newline at the end."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
