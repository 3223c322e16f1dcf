"""What the browser tests do with a meeting page: open it, join, read its state and its
media statistics, and find a participant's tile or row.

The page exposes `window.ngageMeeting.state()` and `.stats()` for tests (meeting.js).
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Locator, Page, ViewportSize, expect

SECONDS = 1000  # Playwright timeouts are in milliseconds
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


async def open_page(browser: Browser, url: str) -> Page:
    """A new page at `url`, at the size the toolbar is laid out for."""
    page = await browser.new_page(viewport=VIEWPORT)
    await page.goto(url)
    return page


async def enter(browser: Browser, url: str, name: str | None = None) -> Page:
    """Opens a meeting link, joins (as `name` when given) and waits for the live meeting."""
    page = await open_page(browser, url)
    if name is not None:
        await page.get_by_test_id("prejoin-name").fill(name)
    await page.get_by_test_id("join-button").click()
    await expect(page.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    return page


async def state(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = await page.evaluate("window.ngageMeeting.state()")
    return result


async def stats(page: Page) -> list[dict[str, Any]]:
    """One entry per remote feed: its participant, kind, video size, frames and packets."""
    result: list[dict[str, Any]] = await page.evaluate("window.ngageMeeting.stats()")
    return result


async def wait_state(page: Page, expression: str, timeout: float = 20) -> None:
    """Waits until `expression` (JS, with `s` the page's state) is true."""
    await page.wait_for_function(
        f"() => {{ const s = window.ngageMeeting.state(); return {expression}; }}",
        timeout=timeout * SECONDS,
    )


def row(page: Page, participant_id: str) -> Locator:
    """A participant's row in the open participants panel."""
    return page.locator(f'.person[data-participant-id="{participant_id}"]')


def tile(page: Page, participant_id: str) -> Locator:
    """A participant's camera tile."""
    return page.locator(
        f'[data-testid="tile"][data-kind="camera"][data-participant-id="{participant_id}"]'
    )
