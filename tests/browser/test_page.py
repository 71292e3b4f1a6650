"""The web page end to end in headless Chromium: paste, analyse, select, check a draft, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import evenhand
from evenhand.annotate.loaded import DEFAULT_MIN_CONFIDENCE
from evenhand.article_text import split_headline
from evenhand.data import example_paths
from evenhand.renderers import render
from evenhand.schema import Article, Report
from evenhand.web import WebSettings, create_app
from evenhand.web.server import serve_in_thread

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket]

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # bench/ holds the local fake model server
    sys.path.insert(0, str(REPO))

OUTLETS = ["Outlet A", "Outlet B"]


def _example_articles() -> list[tuple[str, str]]:
    """(outlet, text) of the bundled example, as an editor would paste them."""
    return [
        (outlet, path.read_text(encoding="utf-8"))
        for outlet, path in zip(OUTLETS, example_paths(), strict=True)
    ]


def _expected_report(min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Report:
    """What the offline engine makes of the pasted example (ids come from the outlet names)."""
    articles = []
    for outlet, text in _example_articles():
        title, body = split_headline(text)
        articles.append(
            Article(id=outlet.lower().replace(" ", "-"), outlet=outlet, title=title, text=body)
        )
    return evenhand.analyze(articles, min_confidence=min_confidence)


def _paste_sources(page: Page, sources: list[tuple[str, str]]) -> None:
    cards = page.locator(".source-card")
    while cards.count() < len(sources):
        page.get_by_role("button", name="Add a source").click()
    for i, (outlet, text) in enumerate(sources):
        card = cards.nth(i)
        card.get_by_label("Outlet (optional)").fill(outlet)
        card.get_by_label("Article text").fill(text)


def _analyse(page: Page) -> None:
    page.get_by_role("button", name="Analyse the sources").click()
    page.wait_for_selector("#results:not([hidden]) #summary button.sentence")


def test_paste_analyse_select_and_screenshot(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expected = _expected_report()
    assert expected.summary
    assert expected.contested_claims, "the example has contested claims to show"

    _paste_sources(page, _example_articles())
    _analyse(page)

    # The summary, sentence by sentence, as the engine wrote it.
    sentences = page.locator("#summary button.sentence")
    assert sentences.all_inner_texts() == [s.text for s in expected.summary]

    # The contested claims table: one row per claim, with who asserts and who disputes: the
    # actors, each with a badge for every outlet that reports it; each outlet's own stance.
    rows = page.locator("#claims tbody tr")
    expect(rows).to_have_count(len(expected.contested_claims))
    for row, claim in zip(rows.all(), expected.contested_claims, strict=True):
        first = row.locator("td").nth(0).inner_text()
        assert claim.claim in first
        assert f"confidence {claim.confidence:.2f}" in first
        for position in claim.positions:
            assert str(expected.article(position.article_id).outlet) in first
        for column, stance in ((1, "asserts"), (2, "disputes")):
            items = row.locator("td").nth(column).locator("li.actor")
            actors = [a for a in claim.actors if a.stance == stance]
            expect(items).to_have_count(len(actors))
            for item, actor in zip(items.all(), actors, strict=True):
                assert item.locator(".actor-name").inner_text() == actor.actor
                badges = item.locator(".outlet-badge").all_inner_texts()
                assert badges == [str(expected.article(r).outlet) for r in actor.reported_by]
    disputed = next(c for c in expected.contested_claims if c.kind == "disputed")
    holders = {a.actor for a in disputed.actors if a.stance == "asserts"}
    assert {"Sviatlana Tsikhanouskaya", "Western governments"} <= holders

    # Selecting a sentence highlights exactly its supporting spans in the source panes.
    index = next(i for i, s in enumerate(expected.summary) if s.support)
    sentences.nth(index).click()
    expect(sentences.nth(index)).to_have_attribute("aria-pressed", "true")
    for article in expected.articles:
        wanted = [s.text for s in expected.summary[index].support if s.article_id == article.id]
        pane = page.locator(f".pane[data-article-id='{article.id}']")
        shown = "".join(pane.locator(".hl.support").all_inner_texts())
        assert shown == "".join(sorted(wanted, key=article.text.index))
    expect(page.locator("#selection-status")).to_contain_text(f"Sentence {index + 1}")
    page.locator("#results-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "results.png"))  # what the editor sees
    page.screenshot(path=str(tmp_path / "results-full.png"), full_page=True)

    # Keyboard: Tab to another sentence and press Enter.
    other = next(i for i, s in enumerate(expected.summary) if s.support and i != index)
    sentences.nth(other).focus()
    page.keyboard.press("Enter")
    expect(sentences.nth(other)).to_have_attribute("aria-pressed", "true")
    expect(sentences.nth(index)).to_have_attribute("aria-pressed", "false")
    first_support = expected.summary[other].support[0]
    pane = page.locator(f".pane[data-article-id='{first_support.article_id}']")
    assert first_support.text.startswith(pane.locator(".hl.support").first.inner_text())

    # Evidence in the claims table scrolls its source into view and highlights it.
    claim = expected.contested_claims[0]
    # The table lists the actors' evidence first, then the outlets' own.
    spans = [s for a in claim.actors for s in a.evidence] + [
        s for p in claim.positions for s in p.evidence
    ]
    evidence = spans[0]
    rows.first.locator("button.evidence-link").first.click()
    target = page.locator(f".pane[data-article-id='{evidence.article_id}'] .hl.evidence").first
    expect(target).to_be_in_viewport()
    assert evidence.text.startswith(target.inner_text())
    page.screenshot(path=str(tmp_path / "evidence.png"), full_page=False)


def test_loaded_terms_show_voice_and_neutral_alternative(page: Page) -> None:
    from playwright.sync_api import expect

    expected = _expected_report()
    _paste_sources(page, _example_articles())
    _analyse(page)

    marks = page.locator("#panes mark.loaded")
    expect(marks).to_have_count(len(expected.loaded_language))
    own = [t for t in expected.loaded_language if not t.in_quote]
    quoted = [t for t in expected.loaded_language if t.in_quote]
    expect(page.locator("#panes mark.loaded.own")).to_have_count(len(own))
    expect(page.locator("#panes mark.loaded.quoted")).to_have_count(len(quoted))

    term = next(t for t in expected.loaded_language if t.neutral_alternative)
    pane = page.locator(f".pane[data-article-id='{term.span.article_id}']")
    mark = pane.locator("mark.loaded", has_text=term.span.text).first
    tip = page.locator("#term-tip")
    mark.hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(term.neutral_alternative or "")
    expect(tip).to_contain_text(f"Confidence {term.confidence:.2f}")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    mark.focus()  # keyboard users get the same tooltip
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(term.explanation)
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()


def test_minimum_confidence_control_chooses_the_terms_shown(page: Page) -> None:
    from playwright.sync_api import expect

    control = page.get_by_label("Minimum confidence for loaded terms")
    expect(control).to_have_value(str(DEFAULT_MIN_CONFIDENCE))
    _paste_sources(page, _example_articles())
    for threshold in (0.0, 1.0):
        control.fill(str(threshold))
        _analyse(page)
        expected = _expected_report(threshold).loaded_language
        expect(page.locator("#panes mark.loaded")).to_have_count(len(expected))
        expect(page.locator("#run-status")).to_contain_text(f"{len(expected)} loaded terms")


def test_draft_check_marks_findings_in_the_draft(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    pytest.importorskip("evenhand.draft_check", reason="the draft checker is not installed")
    _paste_sources(page, _example_articles())
    _analyse(page)
    draft = (
        "Self-proclaimed president Alexander Lukashenko claimed that Russian troops would be "
        "deployed to Belarus immediately, and Russia has already agreed to a new military base."
    )
    page.get_by_label("Your draft", exact=True).fill(draft)
    page.get_by_role("button", name="Check the draft").click()
    page.wait_for_selector("#check-results:not([hidden])")

    expected = evenhand.check(draft, _expected_report().articles)
    located = [
        f
        for f in expected.findings
        if f.location and f.location.target == "draft" and f.location.start is not None
    ]
    assert located, "the draft has problems the checker locates"
    view = page.locator("#draft-view")
    assert view.inner_text() == draft
    marks = view.locator("mark.finding-mark")
    covered: set[int] = set()
    for mark in marks.all():
        start = int(mark.get_attribute("data-start") or "")
        end = int(mark.get_attribute("data-end") or "")
        assert mark.inner_text() == draft[start:end]
        covered.update(range(start, end))
    for finding in located:
        assert finding.location is not None
        assert finding.location.end is not None
        wanted = set(range(finding.location.start or 0, finding.location.end))
        assert wanted <= covered, f"{finding.check} at {sorted(wanted)[:3]}... is not marked"
    expect(page.locator("#check-findings li.finding")).to_have_count(len(expected.findings))
    marks.first.click()  # a mark leads to its finding
    expect(page.locator("#check-findings li.finding:focus")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "draft-check.png"), full_page=True)


def test_article_markup_is_shown_as_text_and_never_runs(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    hostile = (
        "The minister said on Monday that the bridge would reopen in May.\n\n"
        "<script>window.__xss = 'script ran'; alert('script')</script>\n\n"
        'Critics called the plan a disaster. <img src=x onerror="window.__xss = '
        "'img ran'; alert('img')\"> The mayor disputed that and said the work was on time."
    )
    calm = (
        "The bridge will reopen in May, the minister said on Monday.\n\n"
        "The mayor said the work was on schedule, while critics questioned the cost."
    )
    _paste_sources(page, [('<b onmouseover="alert(1)">Outlet</b>', hostile), ("Other", calm)])
    _analyse(page)

    panes = page.locator("#panes")
    expect(panes).to_contain_text("<script>window.__xss = 'script ran'; alert('script')</script>")
    expect(panes).to_contain_text('<img src=x onerror="window.__xss = ')
    expect(page.locator(".pane h4").first).to_have_text('<b onmouseover="alert(1)">Outlet</b>')
    assert page.locator("img").count() == 0
    assert page.locator("#results script, #results b").count() == 0

    hostile_draft = "<img src=y onerror=\"alert('draft')\"> The bridge opens."
    page.get_by_label("Your draft", exact=True).fill(hostile_draft)
    page.get_by_role("button", name="Check the draft").click()
    page.wait_for_selector("#check-results:not([hidden])")
    expect(page.locator("#draft-view")).to_have_text(hostile_draft)
    assert page.locator("img").count() == 0
    page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_errors_from_the_server_are_shown_to_the_editor(page: Page) -> None:
    from playwright.sync_api import expect

    card = page.locator(".source-card").first
    card.get_by_label("From a URL").check()
    card.get_by_label("Article URL").fill("http://127.0.0.1:9/article")
    page.locator(".source-card").nth(1).get_by_label("Article text").fill(
        "The council approved the budget on Tuesday after a long debate."
    )
    page.get_by_role("button", name="Analyse the sources").click()
    error = page.locator("#run-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("private")
    expect(error).to_contain_text("paste the article's text")

    page.locator(".source-card").first.get_by_role("button", name="Remove source 1").click()
    page.get_by_role("button", name="Add a source").click()  # an empty card
    page.get_by_role("button", name="Analyse the sources").click()
    expect(error).to_contain_text("source 2 is empty")


def test_example_button_and_exports(page: Page, tmp_path: Path) -> None:
    page.get_by_role("button", name="Load the bundled example").click()
    assert page.locator(".source-card").count() == len(example_paths())
    _analyse(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export JSON").click()
    saved = tmp_path / "report.json"
    download_info.value.save_as(saved)
    report = Report.model_validate(json.loads(saved.read_text(encoding="utf-8")))
    assert [a.id for a in report.articles] == [p.stem for p in example_paths()]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export Markdown").click()
    markdown = tmp_path / "report.md"
    download_info.value.save_as(markdown)
    assert markdown.read_text(encoding="utf-8") == render(report, "markdown")


def test_language_model_run_with_an_uploaded_file(browser: Browser, tmp_path: Path) -> None:
    """With a model server configured, the page offers the LLM engine and runs it."""
    from bench.fake_server import FakeConfig, FakeServer
    from playwright.sync_api import expect

    options = {"base_url": "", "model": "fake-model", "structured": "json", "timeout": 60.0}
    with FakeServer(FakeConfig(latency=1.0)) as fake:
        settings = WebSettings(llm_available=True, llm_options={**options, "base_url": fake.url})
        with serve_in_thread(create_app(settings)) as url:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready='true']")
            llm = page.get_by_label("Language model")
            expect(llm).to_be_enabled()
            expect(page.locator("#engine-llm-detail")).to_have_text(f"fake-model at {fake.url}.")

            first, second = example_paths()
            cards = page.locator(".source-card")
            cards.nth(0).get_by_label("Article text").fill(first.read_text(encoding="utf-8"))
            cards.nth(1).get_by_label("Upload a file").check()
            cards.nth(1).get_by_label("File (.txt, .md or .html)").set_input_files(str(second))
            expect(cards.nth(1)).to_contain_text(f"Read {second.name}")
            llm.check()
            page.get_by_role("button", name="Analyse the sources").click()
            expect(page.locator("#run-progress")).to_be_visible()  # while the model answers
            expect(page.get_by_role("button", name="Analyse the sources")).to_be_disabled()
            page.wait_for_selector("#results:not([hidden]) #summary button.sentence")
            expect(page.locator("#run-progress")).to_be_hidden()
            expect(page.locator("#report-meta")).to_contain_text("llm engine (fake-model)")
            panes = page.locator(".pane")
            ids = panes.evaluate_all("(panes) => panes.map((p) => p.dataset.articleId)")
            assert ids == ["source-1", second.stem]
            context.close()
    assert fake.stats.requests >= 1
