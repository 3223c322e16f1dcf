"""The in-process meeting hub: roster, feeds and broadcasts."""

from __future__ import annotations

import asyncio

from ngage.errors import LinkRejected, MediaUnavailable, MeetingEnded, NotPermitted
from ngage.signaling.errors import close_code_before_join, error_code
from ngage.signaling.hub import Feed, LocalHub, Member
from ngage.signaling.messages import ProtocolError

MEETING = "12345678901"


async def test_members_feeds_and_broadcasts() -> None:
    hub = LocalHub()
    ana = await hub.enter(MEETING, Member("p-a", "Ana", "host"))
    bob = await hub.enter(MEETING, Member("p-b", "Bob", "participant"))
    await hub.add_feed(MEETING, Feed(7, "p-b", "camera"))
    await hub.broadcast(MEETING, {"type": "hello"}, exclude="p-b")
    assert await asyncio.wait_for(ana.get(), 1) == {"type": "hello"}
    assert [m.name for m in await hub.members(MEETING)] == ["Ana", "Bob"]
    assert await hub.feeds(MEETING) == [Feed(7, "p-b", "camera")]
    assert await hub.leave(MEETING, "p-b") == 1
    assert await hub.feeds(MEETING) == []  # a leaver's feeds go with them
    assert bob is not None


async def test_updates_and_an_empty_meeting_leaves_nothing_behind() -> None:
    hub = LocalHub()
    await hub.enter(MEETING, Member("p-a", "Ana", "host"))
    await hub.update(MEETING, Member("p-a", "Ana", "host").muted(True, None))
    assert (await hub.members(MEETING))[0].audio_muted is True
    assert await hub.leave(MEETING, "p-a") == 0
    assert await hub.members("99999999999") == []
    await hub.broadcast("99999999999", {"type": "x"})
    assert hub._rooms == {}


def test_member_muting_keeps_unset_values() -> None:
    member = Member("p", "N", "host", audio_muted=True, video_muted=False)
    assert member.muted(None, True) == Member("p", "N", "host", True, True)
    assert member.public()["participant_id"] == "p"


def test_errors_map_to_protocol_codes() -> None:
    assert error_code(ProtocolError("x")) == ("bad-message", None)
    assert error_code(NotPermitted("x")) == ("forbidden", None)
    assert error_code(MediaUnavailable("x")) == ("media-unavailable", None)
    assert error_code(LinkRejected("x")) == ("link-rejected", 4403)
    assert error_code(MeetingEnded()) == ("meeting-ended", 4410)
    assert close_code_before_join("not-joined") == 4400
    assert close_code_before_join("media-unavailable") == 1011


async def test_meeting_state_outlives_an_empty_room_until_the_meeting_ends() -> None:
    hub = LocalHub()
    await hub.enter(MEETING, Member("p-a", "Ana", "host"))
    await hub.set_setting(MEETING, "locked", True)
    assert await hub.leave(MEETING, "p-a") == 0
    assert await hub.setting(MEETING, "locked") is True  # everyone stepped out for a moment
    await hub.forget(MEETING)
    assert await hub.setting(MEETING, "locked") is None


async def test_the_waiting_room_is_apart_from_the_members() -> None:
    hub = LocalHub()
    await hub.enter(MEETING, Member("p-a", "Ana", "host"))
    guest = await hub.enter_lobby(MEETING, Member("p-g", "Gus", "participant"))
    await hub.broadcast(MEETING, {"type": "hello"})
    assert [m.name for m in await hub.lobby(MEETING)] == ["Gus"]
    assert [m.name for m in await hub.members(MEETING)] == ["Ana"]
    assert await hub.send_to_guest(MEETING, "p-g", {"decision": "admit"})
    assert await asyncio.wait_for(guest.get(), 1) == {"decision": "admit"}  # not "hello"
    await hub.leave_lobby(MEETING, "p-g")
    assert not await hub.send_to_guest(MEETING, "p-g", {"decision": "deny"})
    assert await hub.leave(MEETING, "p-a") == 0
    assert hub._rooms == {}


def test_a_member_renamed_or_made_cohost_keeps_the_rest() -> None:
    member = Member("p", "Ana", "participant", audio_muted=True)
    assert member.renamed("Ana L").audio_muted and member.renamed("Ana L").name == "Ana L"
    assert member.as_cohost(True).hosting and not member.hosting
    assert Member("h", "Hana", "host").hosting
