"""The draft corpus (evals/drafts): every planted flaw is reported by the right check at the right
place, and clean drafts get no error or warning."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from evenhand import check
from evenhand.pipeline import analyze
from evenhand.schema import Report

REPO = Path(__file__).resolve().parents[1]


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_corpus", REPO / "evals" / "check_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


CORPUS = _corpus_module()
EVENTS: list[Any] = CORPUS.load_corpus()
FLAWS = [(event, flaw) for event in EVENTS for flaw in event.flaws]

# A known false alarm, kept visible rather than hidden: the draft's lead restates a fact that one
# source has only in a lawyer's quotation, and the other sources' own-voice sentences carry it in
# attributed or hedged form, so the check reads it as a claim stated as fact.
KNOWN_FALSE_ALARMS = {"basil-christie-subpoenas"}
# A known miss: with the lane-closure sentence left out, the lead still names the closure of lanes
# on the George Washington Bridge, enough of the shared fact's words for the check to count it.
KNOWN_MISSES = {("basil-christie-subpoenas", "omitted_fact")}


@cache
def _report(name: str) -> Report:
    event = next(e for e in EVENTS if e.name == name)
    return analyze(event.articles)


def test_corpus_covers_the_bundled_example_and_ten_basil_events_with_every_flaw_kind() -> None:
    names = [e.name for e in EVENTS]
    assert "lukashenko-troops" in names
    assert sum(n.startswith("basil-") for n in names) >= 10
    for event in EVENTS:
        assert sorted(f.kind for f in event.flaws) == sorted(CORPUS.FLAW_KINDS), event.name


@pytest.mark.parametrize(("event", "flaw"), FLAWS, ids=[f"{e.name}-{f.kind}" for e, f in FLAWS])
def test_planted_flaw_is_reported_by_its_check_at_its_place(event: Any, flaw: Any) -> None:
    if (event.name, flaw.kind) in KNOWN_MISSES:
        pytest.xfail("known miss of the omission check (see KNOWN_MISSES)")
    result = check(flaw.text, event.articles, report=_report(event.name))
    found = CORPUS.detected(result, flaw)
    assert found is not None, [(f.check, f.severity, f.message) for f in result.findings]
    assert found.check == flaw.check
    if flaw.kind == "omitted_fact":
        assert found.severity == "info"
    else:
        assert found.severity in ("error", "warning")
    # The same place is not flagged by that check in the clean draft: the flaw caused it.
    clean = check(event.clean, event.articles, report=_report(event.name))
    assert CORPUS.detected(clean, flaw) is None


@pytest.mark.parametrize("event", EVENTS, ids=[e.name for e in EVENTS])
def test_clean_draft_has_no_error_or_warning(event: Any) -> None:
    if event.name in KNOWN_FALSE_ALARMS:
        pytest.xfail("known false alarm of unattributed_contested (see KNOWN_FALSE_ALARMS)")
    result = check(event.clean, event.articles, report=_report(event.name))
    assert CORPUS.serious(result) == []
