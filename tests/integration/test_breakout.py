"""Breakout rooms over the meeting protocol, with real media through Janus (aiortc bots)."""

from __future__ import annotations

import asyncio
import re

import pytest

from ngage.media.janus import JanusClient
from ngage.media.videoroom import VideoRooms
from ngage.meetings.breakout import media_room
from tests.bots import Bot, Refused
from tests.bots.signaling import Message
from tests.integration.people import joined, pid
from tests.medianet import MeetingFactory
from tests.support import Server


async def breakout(bot: Bot, action: str, **fields: object) -> Message:
    return await bot.channel.request("breakout", action=action, **fields)


async def refused(bot: Bot, action: str, **fields: object) -> str:
    return await bot.channel.refused("breakout", action=action, **fields)


async def in_room(bot: Bot, room: int, after: int) -> Message:
    changed = await bot.wait_for("room-changed", lambda e: e["room"] == room, 15, after)
    await bot.wait_published()
    return changed


async def test_rooms_separate_people_and_closing_brings_them_back(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    for bot in (host, ana, ben):
        await bot.wait_published()
    await ana.wait_frames(pid(ben), video=5, timeout=20)  # the main room works

    plan = await breakout(host, "create", count=2)
    assert [r["name"] for r in plan["breakout"]["rooms"]] == ["Room 1", "Room 2"]
    await breakout(host, "assign", participant_id=pid(ana), room=1)
    await breakout(host, "assign", participant_id=pid(ben), room=2)
    mark = {bot.name: len(bot.events) for bot in (host, ana, ben)}
    opened = await breakout(host, "open")
    assert opened["breakout"]["status"] == "open"
    await in_room(ana, 1, mark["Ana"])
    await in_room(ben, 2, mark["Ben"])
    ben_feed = ben.published["camera"]
    frozen = ana.frames_from(pid(ben))  # her watch of Ben's main-room feed is closed now

    # Ana is alone in room 1: Ben's feed is neither announced to her nor watchable.
    assert await watch_refused(ana, ben_feed) == "not-found"
    visit = await breakout(host, "join", room=2)  # the host visits Ben's room
    assert visit["type"] == "room-changed" and visit["name"] == "Room 2"
    await host.wait_published()
    await host.wait_frames(pid(ben), video=10, audio=10, timeout=20)
    await ben.wait_frames(pid(host), video=10, timeout=20)  # media flows inside the room
    late = await joined(bots, created.join_url, "Late", auto_publish=False)
    assert late.joined is not None and late.joined["breakout"]["status"] == "open"
    assert late.joined["feeds"] == []  # everyone else is in a breakout room
    others = {p["name"]: p["room"] for p in late.joined["participants"]}
    assert others == {"Hana": 2, "Ana": 1, "Ben": 2}
    await ben.wait_for(  # Janus's voice activity in Room 2 reaches Room 2
        "speaking", lambda e: e["participant_id"] == pid(ben) and e["room"] == 2, 15
    )
    added = [e for e in ana.events[mark["Ana"] :] if e["type"] == "feed-added"]
    assert added == []  # nothing of room 2 (nor of the main room) reached Ana
    changes = enumerate(ana.events)
    moved = next(i for i, e in changes if i >= mark["Ana"] and e["type"] == "room-changed")
    voices = [e for e in ana.events[moved:] if e["type"] == "speaking"]
    assert [e for e in voices if e["participant_id"] != pid(ana)] == []  # not Ben's, nor Hana's
    assert ana.frames_from(pid(ben)) == frozen  # while Ben's media flowed to the host

    await breakout(host, "broadcast", text="Two minutes left")
    for bot in (ana, ben, late):
        await bot.wait_for("breakout-broadcast", lambda e: e["text"] == "Two minutes left")

    back = len(ana.events)
    assert (await breakout(ana, "return"))["room"] == 0
    await in_room(ana, 0, back)
    assert (await breakout(ana, "join", room=1))["room"] == 1
    assert await refused(ana, "join", room=2) == "forbidden"  # not her room

    mark = {bot.name: len(bot.events) for bot in (host, ana, ben)}
    await breakout(host, "close", seconds=2)
    for bot in (host, ana, ben):
        await bot.wait_for("breakout-closing", lambda e: e["seconds"] == 2, after=mark[bot.name])
    for bot in (host, ana, ben):
        await in_room(bot, 0, mark[bot.name])
    await ana.wait_frames(pid(ben), video=10, audio=10, timeout=25)
    await ben.wait_frames(pid(ana), video=10, timeout=25)
    await host.wait_frames(pid(ana), video=10, timeout=25)
    ended = await host.wait_for("breakout", lambda e: e["breakout"]["status"] == "none")
    assert ended["breakout"]["rooms"] == []


async def watch_refused(bot: Bot, feed: int) -> str:
    with pytest.raises(Refused) as error:
        await bot.watch(feed)
    return error.value.code


async def test_only_the_host_runs_breakout_rooms(meeting: MeetingFactory, bots: list[Bot]) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana", auto_publish=False)
    ana = await joined(bots, created.join_url, "Ana", auto_publish=False)
    for action, fields in (
        ("create", {"count": 2}),
        ("assign", {"participant_id": pid(ana), "room": 1}),
        ("auto-assign", {}),
        ("open", {}),
        ("broadcast", {"text": "hi"}),
        ("close", {"seconds": 0}),
    ):
        assert await refused(ana, action, **fields) == "forbidden"
    assert await refused(host, "open") == "bad-message"  # nothing to open yet
    await breakout(host, "create", count=1)
    assert await refused(ana, "join", room=1) == "not-found"  # not open
    assert await refused(host, "assign", participant_id="p-nobody", room=1) == "not-found"


async def test_a_role_without_breakout_rooms_stays_in_the_main_room(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"isSupportBreakout": False})
    host = await joined(bots, created.start_url, "Hana", auto_publish=False)
    ana = await joined(bots, created.join_url, "Ana", auto_publish=False)
    await breakout(host, "create", count=2)
    assert await refused(host, "assign", participant_id=pid(ana), room=1) == "forbidden"
    spread = await breakout(host, "auto-assign")
    assert all(room["participants"] == [] for room in spread["breakout"]["rooms"])
    await breakout(host, "open")
    for action, fields in (("return", {}), ("join", {"room": 1}), ("create", {"count": 1})):
        assert await refused(ana, action, **fields) == "forbidden"
    await ana.ping()
    assert ana.find("room-changed") is None and ana.room == 0


async def test_a_host_without_breakout_rooms_cannot_create_them(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(host={"isSupportBreakout": False})
    host = await joined(bots, created.start_url, "Hana", auto_publish=False)
    assert await refused(host, "create", count=2) == "forbidden"


async def test_assigning_while_open_moves_at_once_and_a_reconnect_goes_back(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana", auto_publish=False)
    ana = await joined(bots, created.join_url, "Ana", "browser-of-ana", auto_publish=False)
    await breakout(host, "create", names=["Design", "Sales"])
    await breakout(host, "open")
    late = await joined(bots, created.join_url, "Late", auto_publish=False)
    await breakout(host, "assign", participant_id=pid(late), room=2)
    assert (await late.wait_for("room-changed"))["name"] == "Sales"  # moved at once
    await breakout(host, "assign", participant_id=pid(ana), room=1)
    await ana.wait_for("room-changed", lambda e: e["room"] == 1)
    await ana.close()  # the socket drops; the browser comes back with a new participant id
    again = await joined(bots, created.join_url, "Ana", "browser-of-ana", auto_publish=False)
    assert (await again.wait_for("room-changed"))["room"] == 1
    state = await host.wait_for(
        "breakout", lambda e: pid(again) in e["breakout"]["rooms"][0]["participants"]
    )
    assert pid(ana) not in state["breakout"]["rooms"][0]["participants"]


def chat_texts(bot: Bot, after: int = 0) -> list[str]:
    return [e["message"]["text"] for e in bot.events[after:] if e["type"] == "chat"]


def history_texts(changed: Message) -> list[str]:
    return [m["text"] for m in changed["chat"]]


async def test_each_breakout_room_has_its_own_chat_reactions_and_captions(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host, ana, carl, ben = [
        await joined(bots, link, name, auto_publish=False)
        for link, name in (
            (created.start_url, "Hana"),
            (created.join_url, "Ana"),
            (created.join_url, "Carl"),
            (created.join_url, "Ben"),
        )
    ]
    await host.channel.request("chat", text="Welcome, main room")
    await breakout(host, "create", count=2)
    for bot, room in ((ana, 1), (carl, 1), (ben, 2)):
        await breakout(host, "assign", participant_id=pid(bot), room=room)
    mark = {bot.name: len(bot.events) for bot in (host, ana, carl, ben)}
    await breakout(host, "open")
    moved = await ana.wait_for("room-changed", lambda e: e["room"] == 1, 15, mark["Ana"])
    assert history_texts(moved) == []  # a new room starts with an empty chat
    await ben.wait_for("room-changed", lambda e: e["room"] == 2, 15, mark["Ben"])
    await carl.wait_for("room-changed", lambda e: e["room"] == 1, 15, mark["Carl"])

    sent = await ana.channel.request("chat", text="Hello, room 1")
    assert sent["message"]["room"] == 1
    await carl.wait_for("chat", lambda e: e["message"]["text"] == "Hello, room 1")
    await ben.channel.request("chat", text="Psst, Ana", to=pid(ana))  # private: across rooms
    await ana.wait_for("chat", lambda e: e["message"]["text"] == "Psst, Ana")
    await host.channel.request("chat", text="Main room only")
    # Reactions and captions stay in their room too.
    await ana.channel.request("reaction", emoji="🎉")
    await carl.wait_for("reaction", lambda e: e["participant_id"] == pid(ana))
    await host.channel.request("caption", text="Captions for the main room")
    await asyncio.sleep(0.5)  # anything misrouted would have arrived by now
    assert "Hello, room 1" not in chat_texts(ben) + chat_texts(host)
    assert "Main room only" not in chat_texts(ana) + chat_texts(carl) + chat_texts(ben)
    assert ben.find("reaction") is None and host.find("reaction") is None
    assert not [bot.name for bot in (ana, carl, ben) if bot.find("caption")]

    mark = {bot.name: len(bot.events) for bot in (ana, ben)}
    await breakout(host, "close", seconds=0)
    back = await ana.wait_for("room-changed", lambda e: e["room"] == 0, 15, mark["Ana"])
    assert history_texts(back) == ["Welcome, main room", "Psst, Ana", "Main room only"]
    back = await ben.wait_for("room-changed", lambda e: e["room"] == 0, 15, mark["Ben"])
    assert history_texts(back) == ["Welcome, main room", "Psst, Ana", "Main room only"]


def janus_rooms(server: Server) -> tuple[JanusClient, VideoRooms]:
    """ngage's own Janus, asked directly (its API secret is ngage's room secret too)."""
    config = server.data_dir / "janus"
    secret = re.search(r'api_secret = "([^"]+)"', (config / "janus.jcfg").read_text())
    port = re.search(r"port = (\d+)", (config / "janus.transport.http.jcfg").read_text())
    assert secret and port, "cannot read the Janus configuration"
    janus = JanusClient(f"http://127.0.0.1:{port.group(1)}/janus", secret.group(1))
    return janus, VideoRooms(janus, secret.group(1))


async def test_each_open_room_is_its_own_janus_room_until_closed(
    media_server: Server, meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    await host.wait_published()
    await breakout(host, "create", count=1)
    await breakout(host, "assign", participant_id=pid(ana), room=1)
    mark = len(ana.events)
    await breakout(host, "open")
    await in_room(ana, 1, mark)
    feed = ana.published["camera"]
    janus, rooms = janus_rooms(media_server)
    room = media_room(created.meeting_id, 1)
    try:
        assert await rooms.exists(room)
        async with asyncio.timeout(15):  # Ana publishes in Room 1's Janus room
            while feed not in [p.feed_id for p in await rooms.publishers(room) if p.publishing]:
                await asyncio.sleep(0.2)
        main = await rooms.publishers(created.meeting_id)
        assert feed not in [p.feed_id for p in main]
        await breakout(host, "close", seconds=0)
        await in_room(ana, 0, mark)
        async with asyncio.timeout(15):  # destroyed once everyone is back
            while await rooms.exists(room):
                await asyncio.sleep(0.2)
        assert feed in [p.feed_id for p in await rooms.publishers(created.meeting_id)]
    finally:
        await rooms.close()
        await janus.close()
