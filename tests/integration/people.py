"""Test participants that join a live meeting, for the integration tests: each bot goes
into the test's `bots` list, which the fixture closes after the test."""

from __future__ import annotations

from typing import Any

from tests.bots import Bot


async def joined(
    bots: list[Bot],
    link: str,
    name: str | None = None,
    client_id: str | None = None,
    **options: Any,
) -> Bot:
    """A bot that has joined with `link` (a start_url or join_url), as the browser that
    keeps `client_id` when given; `options` go to Bot."""
    bot = Bot(link, name=name, **options)
    bots.append(bot)
    await bot.join(client_id=client_id)
    return bot


async def joined_quietly(
    bots: list[Bot],
    link: str,
    name: str | None = None,
    client_id: str | None = None,
    **options: Any,
) -> Bot:
    """`joined`, publishing no media unless asked: for tests of messages only."""
    return await joined(bots, link, name, client_id, **{"auto_publish": False, **options})


def pid(bot: Bot) -> str:
    """The participant id of a bot that has joined."""
    assert bot.participant_id is not None
    return bot.participant_id
