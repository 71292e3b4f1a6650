"""balance and omission: what a text rests on, and what every source reports that it omits."""

from __future__ import annotations

from checks_helpers import context
from evenhand.checks.balance import check_balance, shares
from evenhand.checks.omission import check_omission
from evenhand.schema import Article

X = Article(
    id="x",
    outlet="X News",
    text=(
        "The river flooded the town of Dale on Monday after three days of rain. "
        "About 400 homes were evacuated, the fire service said. "
        "Mayor Ann Pike blamed the county for failing to repair the levee. "
        "The county said the levee had passed inspection last year."
    ),
)
Y = Article(
    id="y",
    outlet="Y Daily",
    text=(
        "Floodwater swept through Dale on Monday as the river burst its banks after heavy rain. "
        "Firefighters evacuated about 400 homes. "
        "Residents spent the night in the school gym. "
        "Volunteers handed out blankets and hot meals."
    ),
)


def test_text_resting_on_one_outlet_is_a_warning() -> None:
    draft = (
        "The river flooded Dale on Monday after three days of rain. "
        "Mayor Ann Pike blamed the county for failing to repair the levee. "
        "The county said the levee had passed inspection last year."
    )
    ctx = context(draft, [X, Y])
    credit, counted = shares(ctx)
    assert counted == 3
    assert credit["x"] > 0.75
    [finding] = check_balance(ctx)
    assert finding.severity == "warning"
    assert "X News" in finding.message


def test_text_drawing_on_both_outlets_passes() -> None:
    draft = (
        "The river flooded Dale on Monday after three days of rain. "
        "Residents spent the night in the school gym. "
        "Mayor Ann Pike blamed the county for failing to repair the levee. "
        "Volunteers handed out blankets and hot meals."
    )
    assert [f for f in check_balance(context(draft, [X, Y])) if f.severity != "info"] == []


def test_fact_every_source_reports_left_out_is_info() -> None:
    draft = "Mayor Ann Pike blamed the county for the flood in Dale."
    findings = check_omission(context(draft, [X, Y]))
    assert findings
    assert all(f.severity == "info" for f in findings)
    reported = {X.text[f.location.start : f.location.end] for f in findings if f.location}
    assert any("400 homes" in s for s in reported)


def test_fact_included_is_not_reported() -> None:
    draft = "About 400 homes in Dale were evacuated on Monday, the fire service said."
    findings = check_omission(context(draft, [X, Y]))
    assert not any("400 homes" in f.message for f in findings)


def test_the_balance_message_for_thirty_articles_summarises_the_outlets() -> None:
    outlets = [f"Outlet {chr(ord('A') + n % 10)}" for n in range(29)]
    others = [
        Article(id=f"o{n}", outlet=outlet, text=Y.text.replace("Dale", "Dale town"))
        for n, outlet in enumerate(outlets)
    ]
    draft = (
        "The river flooded Dale on Monday after three days of rain. "
        "Mayor Ann Pike blamed the county for failing to repair the levee. "
        "The county said the levee had passed inspection last year."
    )
    [finding] = check_balance(context(draft, [X, *others]))
    assert finding.severity == "warning"
    for name in ["X News", *sorted(set(outlets))]:
        assert finding.message.count(name) <= 2, name
    assert len(finding.message) < 300
    assert finding.suggestion is not None
    assert len(finding.suggestion) < 200
