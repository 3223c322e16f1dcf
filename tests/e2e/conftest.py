"""Fixtures for media tests: a server on the media network, meetings, a headless Chromium.

Everything here needs the private network namespace of `scripts/netns`; outside it the
`media_server` fixture fails the test with instructions (see tests/medianet.py).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.bots import Bot
from tests.medianet import MeetingFactory, running_media_server
from tests.support import Credentials, Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
Screenshot = Callable[[Page, str], Awaitable[Path]]


@pytest.fixture(scope="module")
def media_server() -> Iterator[Server]:
    """`ngage serve` and its Janus on 127.0.0.2, one per test module."""
    with running_media_server() as server:
        yield server


@pytest.fixture(scope="module")
def media_creds(media_server: Server) -> Credentials:
    return media_server.new_app("media-tests")


@pytest.fixture
def meeting(media_server: Server, media_creds: Credentials) -> Iterator[MeetingFactory]:
    """`meeting(participant={"screenShare": False})` creates a meeting with those flags."""
    factory = MeetingFactory(media_server, media_creds)
    yield factory
    factory.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's headless Chromium with fake camera, microphone and screen."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def save_screenshot(page: Page, name: str) -> Path:
    """Save a PNG of `page` as test-artifacts/<name>.png; returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshot:
    """`await screenshot(page, "lobby")` saves test-artifacts/<test name>-lobby.png."""

    async def take(page: Page, label: str) -> Path:
        return await save_screenshot(page, f"{request.node.name}-{label}")

    return take


Attempt = tuple[str, dict[str, Any]]


async def expect_refused(url: str, *attempts: Attempt, code: str = "forbidden") -> None:
    """A client that joins with `url` and sends each attempt straight over the WebSocket,
    as a tampered page would, gets each one refused with `code`."""
    async with Bot(url, name="Forcer", auto_publish=False) as forcer:
        await forcer.join()
        for request, fields in attempts:
            assert await forcer.channel.refused(request, **fields) == code, request
