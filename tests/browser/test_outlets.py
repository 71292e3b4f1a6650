"""The report's views by outlet: the outlets side by side, the list of loaded terms, the bar of
outlets behind each summary point, the step numbers and the notes on the generated summary.

Screenshots of each view are saved in the test's temporary folder (`--basetemp` to keep them).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .test_page import _analyse, _example_articles, _expected_report, _paste_sources

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from evenhand.schema import Report

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket]

STANCE_WORD = {
    "asserts": "asserts in its own voice",
    "disputes": "disputes in its own voice",
    "reports": "reports",
    "omits": "omits",
}


def _steps(page: Page) -> list[str]:
    return [
        text
        for text in page.locator("main > section:not([hidden]) h2 .step").all_inner_texts()
        if text
    ]


@pytest.fixture
def analysed(page: Page) -> Report:
    expected = _expected_report()
    _paste_sources(page, _example_articles())
    _analyse(page)
    return expected


def test_step_numbers_follow_what_is_shown(page: Page, tmp_path: Path) -> None:
    assert _steps(page) == ["1", "2"]  # sources, then the draft check: no "1, 3"
    assert page.locator("#check-heading .step").inner_text() == "2"
    page.screenshot(path=str(tmp_path / "steps-before.png"), full_page=True)
    _paste_sources(page, _example_articles())
    _analyse(page)
    assert _steps(page) == ["1", "2", "3"]
    assert page.locator("#results-heading .step").inner_text() == "2"
    assert page.locator("#check-heading .step").inner_text() == "3"


def test_outlets_side_by_side(page: Page, analysed: Report, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    cards = page.locator("#outlets .outlet-card")
    expect(cards).to_have_count(len(analysed.articles))
    for card, article in zip(cards.all(), analysed.articles, strict=True):
        assert card.get_attribute("data-article-id") == article.id
        assert card.locator("h4").inner_text() == article.outlet
        headline = card.locator(".outlet-headline").inner_text()
        assert headline == (f"“{article.title}”" if article.title else "No headline given")
        terms = sorted(
            (t for t in analysed.loaded_language if t.span.article_id == article.id),
            key=lambda t: t.span.start,
        )
        chips = card.locator("button.term-chip")
        assert chips.all_inner_texts() == [f"{t.span.text} {t.confidence:.2f}" for t in terms]
        own = sum(not t.in_quote for t in terms)
        counts = card.locator(".outlet-counts").inner_text()
        assert f"{len(terms)} loaded term" in counts
        assert f"{own} in its own voice" in counts
        stances = card.locator(".outlet-stances li")
        expect(stances).to_have_count(len(analysed.contested_claims))
        for i, (item, claim) in enumerate(
            zip(stances.all(), analysed.contested_claims, strict=True), start=1
        ):
            position = next(p for p in claim.positions if p.article_id == article.id)
            assert item.get_attribute("data-stance") == position.stance
            assert item.locator(".stance").inner_text() == STANCE_WORD[position.stance]
            assert item.locator(".stance-claim").inner_text().startswith(f"Claim {i}: ")
    assert {p.stance for c in analysed.contested_claims for p in c.positions} - {"omits"}

    # A chip shows its term in the source pane, highlighted and focused.
    term = next(t for t in analysed.loaded_language if not t.in_quote)
    card = page.locator(f"#outlets .outlet-card[data-article-id='{term.span.article_id}']")
    card.locator("button.term-chip", has_text=term.span.text).first.click()
    target = page.locator(f".pane[data-article-id='{term.span.article_id}'] .hl.evidence")
    expect(target.first).to_be_focused()
    assert "".join(target.all_inner_texts()) == term.span.text
    expect(page.locator("#selection-status")).to_contain_text(f"“{term.span.text}”")
    page.locator("#outlets-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "outlets.png"))
    page.locator("#outlets").screenshot(path=str(tmp_path / "outlets-panel.png"))


def test_loaded_language_is_listed(page: Page, analysed: Report, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    rows = page.locator("#loaded tbody tr")
    expect(rows).to_have_count(len(analysed.loaded_language))
    expected = sorted(
        analysed.loaded_language,
        key=lambda t: ([a.id for a in analysed.articles].index(t.span.article_id), t.span.start),
    )
    for row, term in zip(rows.all(), expected, strict=True):
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == term.span.text
        assert cells[1] == analysed.article(term.span.article_id).outlet
        assert cells[2] == ("in a quote" if term.in_quote else "own voice")
        assert cells[3] == f"{term.confidence:.2f}"
        if term.neutral_alternative:
            assert cells[5] == term.neutral_alternative
    row = rows.first
    row.locator("button.term-link").click()
    expect(page.locator("#panes .hl.evidence").first).to_be_focused()
    page.locator("#loaded").screenshot(path=str(tmp_path / "loaded-list.png"))


def test_summary_points_show_the_outlets_that_carry_them(
    page: Page, analysed: Report, tmp_path: Path
) -> None:
    items = page.locator("#summary > li")
    assert items.count() == len(analysed.summary)
    names = {a.id: str(a.outlet) for a in analysed.articles}
    for item, sentence in zip(items.all(), analysed.summary, strict=True):
        carrying = {s.article_id for s in sentence.support}
        segments = item.locator(".carry-seg")
        assert segments.count() == len(analysed.articles)
        on = item.locator(".carry-seg.on")
        assert {on.nth(i).get_attribute("data-article-id") for i in range(on.count())} == carrying
        words = item.locator(".carry-words").inner_text()
        assert words.startswith(f"{len(carrying)} of {len(analysed.articles)}: ")
        for article_id in carrying:
            assert names[article_id] in words
    assert any(len({s.article_id for s in x.support}) > 1 for x in analysed.summary)
    page.locator("#summary").screenshot(path=str(tmp_path / "summary-bars.png"))


def test_the_reports_findings_are_notes_on_the_summary(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    _paste_sources(page, _example_articles()[:1])  # one source: the report notes it
    page.locator(".source-card").nth(1).get_by_role("button", name="Remove source 2").click()
    _analyse(page)
    expect(page.locator("#findings-heading")).to_have_text("Notes on the generated summary")
    expect(page.locator("#report-meta")).to_contain_text("1 note on the summary")
    note = page.locator("#findings li.finding")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("single_source")
    assert "Suggestion:" not in page.locator("#findings").inner_text()
    page.locator("#findings-heading").scroll_into_view_if_needed()
    page.locator("#findings").screenshot(path=str(tmp_path / "notes.png"))
