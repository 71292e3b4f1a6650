"""The eval cases: built reproducibly from the research data, self-contained, with expectations."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from evenhand.data import example_paths
from evenhand.errors import InputError
from evenhand.evaluation.cases import load_case, load_cases
from evenhand.sources import load_articles

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "evals" / "cases"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_cases", REPO / "evals" / "build_cases.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_cases"] = module
    spec.loader.exec_module(module)
    return module


def test_committed_cases_are_what_the_builder_writes(tmp_path: Path) -> None:
    builder = _builder()
    assert builder.main(["--out", str(tmp_path)]) == 0
    built = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in CASES.iterdir() if p.name.startswith(("basil-", "neus-")))
    assert built == committed
    for name in built:
        for path in (tmp_path / name).iterdir():
            assert path.read_bytes() == (CASES / name / path.name).read_bytes(), (
                f"{name}/{path.name}"
            )


def test_every_case_loads_with_its_expected_terms_in_place() -> None:
    cases = load_cases(CASES)  # load_case checks every expected term against its article slice
    sources = {c.source for c in cases}
    assert sources == {"hand-written", "basil-dev", "neus-val"}
    basil = [c for c in cases if c.source == "basil-dev"]
    assert len(basil) == 50
    assert sum(len(c.expectations.loaded_terms) for c in basil) == 240
    assert all(c.reference_summary for c in cases if c.source == "neus-val")
    assert all("line" in c.provenance for c in cases if c.source == "neus-val")


def test_basil_terms_come_from_the_annotations() -> None:
    case = load_case(CASES / "basil-2010-2b95d2cf")
    nyt = next(a for a in case.articles if a.id == "nyt")
    fierce = next(t for t in case.expectations.loaded_terms if t.annotation == "p0")
    assert nyt.text[fierce.start : fierce.end] == "fierce"
    assert not fierce.in_quote
    assert "fierce" in case.expectations.banned_in_summary
    raw = json.loads((REPO / "evals" / case.provenance["files"][0]).read_text(encoding="utf-8"))
    assert raw["triplet-uuid"] == case.provenance["triplet_uuid"]


def test_neus_reference_is_the_editors_roundup() -> None:
    case = load_case(CASES / "neus-013")
    line = (REPO / "evals/data/neus-val/val.target").read_text(encoding="utf-8").splitlines()[12]
    assert case.reference_summary is not None
    assert case.reference_summary in line
    assert [a.id for a in case.articles] == ["left", "center", "right"]


def test_bundled_example_case_holds_the_shipped_articles() -> None:
    case = load_case(CASES / "lukashenko-troops")
    # The articles as `evenhand analyze` reads the shipped files.
    assert case.articles == load_articles(example_paths())
    assert case.expectations.contested_claims
    assert case.expectations.required_facts


def test_case_glob_and_bad_cases(tmp_path: Path) -> None:
    assert [c.id for c in load_cases(CASES, "lukashenko-*")] == ["lukashenko-troops"]
    with pytest.raises(InputError, match="no eval case"):
        load_cases(CASES, "nothing-*")
    with pytest.raises(InputError, match="no eval cases at"):
        load_cases(tmp_path / "missing")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "case.json").write_text('{"id": "broken"}', encoding="utf-8")
    with pytest.raises(InputError, match="eval case broken"):
        load_case(broken)
