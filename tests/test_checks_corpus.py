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

# Known false alarms and misses, kept visible rather than hidden. Each entry is a strict xfail:
# when a change to the checks fixes one, its test fails until the entry is removed.
KNOWN_FALSE_ALARMS: dict[str, str] = {
    "basil-aarp-social-security": "balance: NYT's share of the draft is 70%",
    "basil-christie-subpoenas": "lead restates a fact the sources attribute",
    "basil-constitution-reading": "loaded_leak: 'Democrats complained that ...' in own voice",
    "basil-grimm-charges": "balance: credit ties go to the most detailed outlet",
    "basil-lerner-fifth": "two quotations given to other speakers; two descriptions read as claims",
    "basil-perry-ad": "unattributed_contested: the report's claim evidence names the ad",
    "polnear-axelrod-dean": "unsupported_content: 'Barack Obama' where the source says 'Obama'",
    "polnear-flight-attendants": "the tagger's 'courting working-class voters' in own voice",
    "polnear-stein-hofstra": "'Nassau County' where the source misspells 'Nassau Country'",
    "polnear-imf-forecast": "a quotation's speaker read as 'Brexit' ('the ultimate impact ...')",
}
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("basil-aarp-social-security", "contested_as_fact"): "the unattributed claim is not found",
    ("basil-aarp-social-security", "loaded_label"): "'lobbying powerhouse' is not in the lexicon",
    ("basil-aarp-social-security", "one_outlet"): "the clean draft already gets the warning",
    ("basil-akin-romney", "contested_as_fact"): "a framing one source disputes is not found",
    ("basil-arpaio-perry", "loaded_label"): "'polarizing' is not in the lexicon",
    ("basil-arpaio-perry", "omitted_fact"): "each outlet words the fact differently",
    ("basil-bachmann-newsweek", "contested_as_fact"): "read as attributed",
    ("basil-bachmann-newsweek", "loaded_label"): "'unflattering' is not in the lexicon",
    ("basil-beck-cpac", "omitted_fact"): "each outlet words the fact differently",
    ("basil-blumenthal-vietnam", "loaded_label"): "'on the political ropes' is not in the lexicon",
    ("basil-blumenthal-vietnam", "omitted_fact"): "the left-out fact is not found shared",
    ("basil-boehner-odds", "loaded_label"): "inside reported speech",
    ("basil-braley-farmer", "loaded_label"): "inside reported speech",
    ("basil-brewer-veto", "loaded_label"): "'anti-gay' (a headline's) is not in the lexicon",
    ("basil-chick-fil-a", "contested_as_fact"): "'his statements' reads as an attribution",
    ("basil-christie-subpoenas", "omitted_fact"): "the lead still names the shared fact's words",
    ("basil-constitution-reading", "contested_as_fact"): "the unattributed claim is not found",
    ("basil-constitution-reading", "loaded_label"): "'Republican rule' is not in the lexicon",
    ("basil-constitution-reading", "omitted_fact"): "outlets word the fact differently",
    ("basil-cowan-senate", "contested_as_fact"): "the clean draft already gets the warning",
    ("basil-cowan-senate", "omitted_fact"): "the left-out fact is not found shared",
    ("basil-god-we-trust", "contested_as_fact"): "read as attributed",
    ("basil-gop-senate-letter", "contested_as_fact"): "Manley's opinion is not found as a claim",
    ("basil-gop-senate-letter", "loaded_label"): "inside reported speech",
    ("basil-gop-senate-letter", "omitted_fact"): "the left-out agenda is not a fact found shared",
    ("basil-grimm-charges", "loaded_label"): "'hot-tempered' is not in the lexicon",
    ("basil-grimm-charges", "one_outlet"): "the clean draft already gets the balance warning",
    ("basil-immigration-principles", "loaded_label"): "'amnesty' is not in the lexicon",
    ("basil-immigration-principles", "omitted_fact"): "the draft still names McCarthy",
    ("basil-irs-same-sex", "loaded_label"): "'homosexual' is not in the lexicon",
    ("basil-jackson-plea", "loaded_label"): "inside reported speech",
    ("basil-jackson-plea", "made_up_number"): "the figure's date is compared as a date",
    ("basil-lauten-post", "loaded_label"): "inside reported speech",
    ("basil-lerner-fifth", "altered_quote"): "the clean draft already gets a grounding error",
    ("basil-lerner-fifth", "contested_as_fact"): "the clean draft already gets the warning",
    ("basil-nra-school-report", "contested_as_fact"): "the task force's independence is not found",
    ("basil-nra-school-report", "loaded_label"): "'gun lobby' is not in the lexicon",
    ("basil-reid-mosque", "contested_as_fact"): "'Obama endorsed the project' is not found",
    ("basil-reid-mosque", "loaded_label"): "'Ground Zero mosque' is not in the lexicon",
    ("basil-romney-marriage", "contested_as_fact"): "read as attributed",
    ("basil-romney-marriage", "loaded_label"): "'flip-flopped' is not in the lexicon",
    ("basil-ryan-georgetown", "loaded_label"): "'misuse' is not in the lexicon",
    ("basil-ryan-georgetown", "omitted_fact"): "the Thursday speech is not a fact found shared",
    ("basil-santorum-theology", "loaded_label"): "inside reported speech",
    ("basil-santorum-theology", "omitted_fact"): "Gibbs's 'well over the line' is not found shared",
    ("basil-sestak-clinton", "loaded_label"): "'establishment-backed' is not in the lexicon",
    ("basil-trump-debate", "contested_as_fact"): "the clean draft already gets an error there",
    ("basil-trump-hawaii", "contested_as_fact"): "the birth-certificate claim is not found",
    ("polnear-axelrod-dean", "invented_claim"): "the nearest sources carry half its words",
    ("polnear-axelrod-dean", "omitted_fact"): "one source: the tweet is not a fact found shared",
    ("polnear-axelrod-dean", "reversed_claim"): "'apologized' against 'defended': no negation",
    ("polnear-chelsea-explosion", "contested_as_fact"): "the mayor's words not found as a claim",
    ("polnear-chelsea-explosion", "loaded_label"): "'recklessly' is not in the lexicon",
    ("polnear-chelsea-explosion", "omitted_fact"): "one source: no fact found shared",
    ("polnear-clinton-health", "contested_as_fact"): "the anonymous source's account is not found",
    ("polnear-clinton-health", "invented_claim"): "the nearest sources carry half its words",
    (
        "polnear-clinton-health",
        "reversed_claim",
    ): "'remained in the hospital' / 'did not want to remain': a wish is not a statement",
    ("polnear-clinton-health", "one_outlet"): "two outlets on different stories",
    ("polnear-flight-attendants", "loaded_label"): "the clean draft already gets the warning there",
    ("polnear-flight-attendants", "omitted_fact"): "one source: no fact found shared",
    ("polnear-flight-attendants", "wrong_speaker"): "a statement's writer is not checked",
    ("polnear-poll-dead-heat", "loaded_label"): "'hiding' is not in the lexicon",
    ("polnear-poll-dead-heat", "omitted_fact"): "one source: no fact found shared",
    ("polnear-stein-hofstra", "contested_as_fact"): "the spokeswoman's account is not found",
    ("polnear-stein-hofstra", "loaded_label"): "'sneaked onto' is not in the lexicon",
    ("polnear-stein-hofstra", "omitted_fact"): "one source: no fact found shared",
    ("polnear-stein-hofstra", "reversed_claim"): "'expected to succeed' / 'unlikely'",
    ("polnear-trump-moderators", "contested_as_fact"): "Trump's claim is not found",
    ("polnear-trump-moderators", "omitted_fact"): "one source: no fact found shared",
    ("polnear-trump-moderators", "reversed_claim"): "'Democrat' for 'Republican'",
    ("polnear-trump-moderators", "wrong_speaker"): "the professor's name is in the source",
    ("polnear-black-caucus-birther", "contested_as_fact"): "the caucus's view is not found",
    ("polnear-black-caucus-birther", "omitted_fact"): "one source: no fact found shared",
    ("polnear-clean-power-court", "number_in_words"): "'seven of the ten' is not a figure read",
    ("polnear-clean-power-court", "omitted_fact"): "one source: no fact found shared",
    ("polnear-clean-power-court", "invented_claim"): "the nearest sources carry half its words",
    ("polnear-clean-power-court", "reversed_claim"): "'declined to put on hold' / 'put on hold'",
    ("polnear-cruz-endorses-trump", "omitted_fact"): "one source: no fact found shared",
    ("polnear-cruz-endorses-trump", "invented_claim"): "the nearest sources carry half its words",
    ("polnear-cruz-endorses-trump", "reversed_claim"): "'welcome' against 'would not accept'",
    ("polnear-imf-forecast", "loaded_label"): "'reckless' before a noun is not flagged",
    ("polnear-imf-forecast", "omitted_fact"): "one source: no fact found shared",
    ("polnear-imf-forecast", "invented_claim"): "the nearest sources carry half its words",
    ("polnear-ohio-voter-rolls", "made_up_number"): "'20' is read inside the source's '2000'?",
    ("polnear-ohio-voter-rolls", "number_in_words"): "'three times' is not a figure read",
    ("polnear-ohio-voter-rolls", "loaded_label"): "'humiliating' is not flagged",
    ("polnear-ohio-voter-rolls", "contested_as_fact"): "the Republicans' claim is not found",
    ("polnear-ohio-voter-rolls", "omitted_fact"): "one source: no fact found shared",
    ("polnear-ohio-voter-rolls", "reversed_claim"): "'upheld' against 'overruled': no negation",
    ("polnear-trump-leave-plan", "loaded_label"): "'giveaway' is not flagged",
    ("polnear-trump-leave-plan", "contested_as_fact"): "Tanner's opinion is not found as a claim",
    ("polnear-trump-leave-plan", "omitted_fact"): "one source: no fact found shared",
}

KNOWN_VARIANT_ALARMS: dict[tuple[str, str], str] = {
    ("polnear-clean-power-court", "attributed_loaded"): "loaded_leak: 'wildly' in a paraphrase",
    (
        "polnear-cruz-endorses-trump",
        "attributed_loaded",
    ): "loaded_leak: 'viciously' in a paraphrase",
    ("polnear-ohio-voter-rolls", "attributed_loaded"): "unsupported_claim: 'critics call it'",
    ("polnear-trump-leave-plan", "attributed_loaded"): "loaded_leak: 'evasive' in a paraphrase",
}


def _flaw_param(event: Any, flaw: Any) -> Any:
    reason = KNOWN_MISSES.get((event.name, flaw.kind))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(event, flaw, marks=marks, id=f"{event.name}-{flaw.kind}")


def _event_param(event: Any) -> Any:
    reason = KNOWN_FALSE_ALARMS.get(event.name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(event, marks=marks, id=event.name)


@cache
def _report(name: str) -> Report:
    event = next(e for e in EVENTS if e.name == name)
    return analyze(event.articles)


# The seven kinds every BASIL event and the bundled example plant; the PolNeAR events add
# invented and reversed claims and figures written in words.
CORE_KINDS = CORPUS.FLAW_KINDS[:7]  # the script lists these seven first


def test_corpus_covers_the_bundled_example_and_ten_basil_events_with_every_flaw_kind() -> None:
    names = [e.name for e in EVENTS]
    assert "lukashenko-troops" in names
    assert sum(n.startswith("basil-") for n in names) >= 10
    for event in EVENTS:
        kinds = [f.kind for f in event.flaws]
        assert set(kinds) <= set(CORPUS.FLAW_KINDS), event.name
        if event.name.startswith("basil-"):
            assert sorted(kinds) == sorted(CORE_KINDS), event.name
        elif event.name == "lukashenko-troops":
            assert set(CORE_KINDS) <= set(kinds)
            assert "reversed_claim" in kinds  # "Russia has already agreed to a new military base"


def test_polnear_splits_plant_invented_and_reversed_claims_and_clean_variants() -> None:
    fresh = [e for e in EVENTS if e.split in ("fresh-3", "fresh-4")]
    assert {e.split for e in fresh} == {"fresh-3", "fresh-4"}
    assert all(e.name.startswith("polnear-") for e in fresh)
    for event in fresh:
        kinds = [f.kind for f in event.flaws]
        assert len(kinds) == len(set(kinds)), event.name
        assert {"invented_claim", "reversed_claim", "made_up_number"} <= set(kinds), event.name
        assert event.variants, event.name
        if len(event.articles) > 1:
            assert "one_outlet" in kinds, event.name
    for kind in CORPUS.FLAW_KINDS:
        if kind != "one_outlet":
            assert sum(kind in {f.kind for f in e.flaws} for e in fresh) >= 3, kind
    variants = {v.kind for e in fresh for v in e.variants}
    assert variants == set(CORPUS.VARIANT_KINDS)
    reversed_claims = [f for e in fresh for f in e.flaws if f.kind == "reversed_claim"]
    assert all(f.severity == "error" for f in reversed_claims)


def test_fresh_5_holds_six_polnear_events_from_outlets_no_other_polnear_split_draws_on() -> None:
    fresh = [e for e in EVENTS if e.split == "fresh-5"]
    assert len(fresh) >= 6
    outlets = {a.outlet for e in fresh for a in e.articles}
    polnear = [e for e in EVENTS if e.name.startswith("polnear-") and e.split != "fresh-5"]
    elsewhere = {a.outlet for e in polnear for a in e.articles}
    assert all(e.name.startswith("polnear-") for e in fresh)
    assert not outlets & elsewhere
    for kind in ("invented_claim", "reversed_claim", "number_in_words", "made_up_number"):
        assert sum(kind in {f.kind for f in e.flaws} for e in fresh) >= 5, kind
    assert sum(v.kind == "attributed_loaded" for e in fresh for v in e.variants) >= 5


def test_corpus_holds_ten_held_out_basil_events() -> None:
    held_out = [e.name for e in EVENTS if e.split == "held-out"]
    assert len(held_out) >= 10
    assert all(name.startswith("basil-") for name in held_out)


def test_known_lists_name_real_cases() -> None:
    names = {e.name for e in EVENTS}
    assert set(KNOWN_FALSE_ALARMS) <= names
    assert {name for name, _ in KNOWN_MISSES} <= names
    assert {kind for _, kind in KNOWN_MISSES} <= set(CORPUS.FLAW_KINDS)
    assert {name for name, _ in KNOWN_VARIANT_ALARMS} <= names


@pytest.mark.parametrize(("event", "flaw"), [_flaw_param(e, f) for e, f in FLAWS])
def test_planted_flaw_is_reported_by_its_check_at_its_place(event: Any, flaw: Any) -> None:
    result = check(flaw.text, event.articles, report=_report(event.name))
    found = CORPUS.detected(result, flaw)
    assert found is not None, [(f.check, f.severity, f.message) for f in result.findings]
    assert found.check in flaw.checks
    if flaw.kind == "omitted_fact":
        assert found.severity == "info"
    elif flaw.severity == "error":
        assert found.severity == "error"
    else:
        assert found.severity in ("error", "warning")
    # The same place is not flagged by that check in the clean draft: the flaw caused it.
    clean = check(event.clean, event.articles, report=_report(event.name))
    assert CORPUS.detected(clean, flaw) is None


@pytest.mark.parametrize("event", [_event_param(e) for e in EVENTS])
def test_clean_draft_has_no_error_or_warning(event: Any) -> None:
    result = check(event.clean, event.articles, report=_report(event.name))
    assert CORPUS.serious(result) == []


VARIANTS = [(event, variant) for event in EVENTS for variant in event.variants]


def _variant_param(event: Any, variant: Any) -> Any:
    reason = KNOWN_VARIANT_ALARMS.get((event.name, variant.kind))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(event, variant, marks=marks, id=f"{event.name}-{variant.kind}")


@pytest.mark.parametrize(("event", "variant"), [_variant_param(e, v) for e, v in VARIANTS])
def test_clean_variant_raises_nothing_at_its_edit(event: Any, variant: Any) -> None:
    """An attributed loaded word, or a figure or date the sources give written another way."""
    result = check(variant.text, event.articles, report=_report(event.name))
    alarm = CORPUS.false_alarm(result, variant)
    assert alarm is None, (alarm.check, alarm.message) if alarm else None
