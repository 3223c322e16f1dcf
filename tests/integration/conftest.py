"""Fixtures of the live-meeting tests: `ngage serve` with its Janus on the media network (one
per test module), meetings on it, and aiortc test participants closed after each test.

A module that needs other server settings defines its own `media_server`.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.bots import Bot
from tests.medianet import MeetingFactory, running_media_server
from tests.support import Server


@pytest.fixture(scope="module")
def media_server() -> Iterator[Server]:
    with running_media_server() as server:
        yield server


@pytest.fixture(scope="module")
def meeting(request: pytest.FixtureRequest, media_server: Server) -> Iterator[MeetingFactory]:
    """`meeting(participant={...})` creates a meeting with those flags, for an app of the module."""
    app = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    factory = MeetingFactory(media_server, media_server.new_app(app))
    yield factory
    factory.close()


@pytest.fixture
async def bots() -> AsyncIterator[list[Bot]]:
    """Bots a test adds here are closed after it, and must not have failed on their own."""
    created: list[Bot] = []
    yield created
    await asyncio.gather(*(bot.close() for bot in created))
    for bot in created:
        bot.check()
    gc.collect()  # anything a bot left open warns here, in the test that left it
