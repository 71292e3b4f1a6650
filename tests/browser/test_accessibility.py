"""Accessibility of the page with everything on it: labels, contrast, keyboard use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from evenhand.data import example_paths

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket]

# WCAG 2.1 contrast of every visible piece of text against the background it is drawn on.
_CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")

# Every form control has an accessible name from a label or aria attributes.
_UNLABELLED = """
() => [...document.querySelectorAll("input, textarea, select, button")]
  .filter((el) => el.type !== "hidden")
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
    && !el.getAttribute("aria-labelledby") && !(el.tagName === "BUTTON" && el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 80))
"""


def _everything_on_the_page(page: Page) -> None:
    page.get_by_role("button", name="Load the bundled example").click()
    page.get_by_role("button", name="Analyse the sources").click()
    page.wait_for_selector("#results:not([hidden]) #summary button.sentence")
    page.locator("#summary button.sentence").first.click()
    page.get_by_label("Your draft", exact=True).fill(
        "Self-proclaimed president Alexander Lukashenko said troops would come at once."
    )
    page.get_by_role("button", name="Check the draft").click()
    page.wait_for_selector("#check-results:not([hidden]) mark.finding-mark")


def test_text_contrast_meets_wcag_aa(page: Page) -> None:
    _everything_on_the_page(page)
    page.locator("#panes mark.loaded").first.focus()  # the tooltip, too
    result: dict[str, Any] = page.evaluate(_CONTRAST)
    assert result["checked"] > 100
    assert result["failures"] == []


def test_every_control_has_a_label(page: Page) -> None:
    _everything_on_the_page(page)
    assert page.evaluate(_UNLABELLED) == []


def test_the_whole_flow_works_from_the_keyboard(page: Page) -> None:
    from playwright.sync_api import expect

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.get_by_role("button", name="Load the bundled example").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".source-card")).to_have_count(len(example_paths()))
    page.get_by_role("button", name="Analyse the sources").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#results:not([hidden]) #summary button.sentence")

    # From the first summary sentence, Tab moves through the sentences; Space selects one.
    page.locator("#summary button.sentence").first.focus()
    page.keyboard.press("Tab")
    second = page.locator("#summary button.sentence").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("Space")
    expect(second).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#panes .hl.support").first).to_be_visible()

    # Evidence buttons and loaded terms are reachable and do their job from the keyboard.
    evidence = page.locator("button.evidence-link").first
    evidence.focus()
    page.keyboard.press("Enter")
    highlighted = page.locator("#panes .hl.evidence").first
    expect(highlighted).to_be_focused()
    expect(highlighted).to_be_in_viewport()
    term = page.locator("#panes mark.loaded").first
    term.focus()
    expect(page.locator("#term-tip")).to_be_visible()
    assert term.get_attribute("aria-describedby")
