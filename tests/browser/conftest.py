"""Browser tests: the app served on a free loopback port, driven by Debian's Chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium (.ci/run installs it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from evenhand.web import WebSettings, create_app
from evenhand.web.server import serve_in_thread

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unexpected(message: ConsoleMessage) -> bool:
    """A console error, except the browser's note on an API answer the page shows as an error."""
    if message.type != "error":
        return False
    expected = re.match(r"Failed to load resource: .* status of (4\d\d)", message.text)
    return expected is None or expected.group(1) == "404"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The app with default settings (offline engine only), served on 127.0.0.1."""
    with serve_in_thread(create_app(WebSettings())) as url:
        yield url


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    from playwright.sync_api import expect

    expect.set_options(timeout=45_000)
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page on the tool, loaded and ready; page errors fail the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    # A wait, not a verdict: a wrong page still fails, only later. A 2-core machine loading the
    # models for the first analysis of a run has taken over 30 s.
    page.set_default_timeout(90_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _unexpected(msg) else None)
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready='true']")
    yield page
    context.close()
    assert errors == [], f"the page reported errors: {errors}"
