"""Host security over the meeting protocol: the waiting room, what participants may do,
renaming, and co-hosts. Forced attempts from roles without the right are refused."""

from __future__ import annotations

import asyncio

import pytest

from tests.bots import Bot, Refused
from tests.bots.signaling import Disconnected
from tests.integration.people import joined_quietly as joined
from tests.integration.test_collaboration import frames_stop
from tests.medianet import MeetingFactory

Message = dict[str, object]


async def knock(bots: list[Bot], link: str, name: str) -> tuple[Bot, asyncio.Task[Message]]:
    """A participant arriving while the waiting room is on: held until a host decides."""
    guest = Bot(link, name=name, auto_publish=False)
    bots.append(guest)
    join = asyncio.create_task(guest.join(timeout=30))
    await guest.channel.wait_for("waiting-room")
    return guest, join


def waiting_names(event: Message) -> list[str]:
    return [str(g["name"]) for g in event["guests"]]  # type: ignore[attr-defined]


async def test_the_waiting_room_holds_arrivals_until_the_host_admits_or_denies(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    state = await host.channel.request("security", waiting_room=True)
    assert state["waiting_room"] is True and state["locked"] is False
    ben, ben_joins = await knock(bots, created.join_url, "Ben")
    listed = await host.wait_for("lobby", lambda e: waiting_names(e) == ["Ben"])
    guest_id = listed["guests"][0]["participant_id"]  # type: ignore[index]
    assert ana.find("lobby") is None  # only those who can admit see who waits
    assert not ben_joins.done() and ben.participant_id is None  # nothing of the meeting yet
    assert await ana.channel.refused("admit", participant_id=guest_id) == "forbidden"
    admitted = await host.channel.request("admit", participant_id=guest_id)
    assert admitted["participants"] == [guest_id]
    ben_joined = await ben_joins
    assert ben_joined["participant_id"] == guest_id
    await ana.wait_for("participant-joined", lambda e: e["participant"]["name"] == "Ben")
    await host.wait_for("lobby", lambda e: e["guests"] == [])
    cara, cara_joins = await knock(bots, created.join_url, "Cara")
    await host.wait_for("lobby", lambda e: waiting_names(e) == ["Cara"])
    await host.channel.request("admit", action="deny")  # everyone waiting
    with pytest.raises(Refused) as denied:
        await cara_joins
    assert denied.value.code == "denied" and await cara.wait_closed() == 4406
    assert cara.participant_id is None
    newcomer = await joined(bots, created.start_url, "Second host")  # hosts never wait
    assert newcomer.joined is not None and newcomer.joined["lobby"] == []


async def test_leaving_the_waiting_room_or_turning_it_off(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    await host.channel.request("security", waiting_room=True)
    quitter, quitter_joins = await knock(bots, created.join_url, "Quitter")
    await host.wait_for("lobby", lambda e: waiting_names(e) == ["Quitter"])
    # A guest can do nothing but wait.
    assert await quitter.channel.refused("chat", text="let me in") == "waiting"
    await quitter.channel.close()
    await host.wait_for("lobby", lambda e: e["guests"] == [])
    with pytest.raises(Disconnected):
        await quitter_joins
    dana, dana_joins = await knock(bots, created.join_url, "Dana")
    await host.wait_for("lobby", lambda e: waiting_names(e) == ["Dana"])
    await host.channel.request("security", waiting_room=False)  # lets everyone in
    assert (await dana_joins)["name"] == "Dana"
    await joined(bots, created.join_url, "Eve")  # and nobody waits any more
    assert dana.participant_id is not None


async def test_the_waiting_room_is_told_when_the_meeting_ends(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    await host.channel.request("security", waiting_room=True)
    guest, guest_joins = await knock(bots, created.join_url, "Late")
    await host.end()
    with pytest.raises(Refused) as refused:
        await guest_joins
    assert refused.value.code == "meeting-ended" and await guest.wait_closed() == 4410


async def test_participants_may_not_share_when_the_host_forbids_it(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    sharer = await joined(bots, created.join_url, "Sharer", auto_publish=True, screen=True)
    screen = await sharer.wait_published("screen")
    await host.wait_for("feed-added", lambda e: e["feed"]["feed"] == screen)
    await host.channel.request("security", allow_share=False)
    await sharer.wait_for("share-stopped")
    await host.wait_for("feed-removed", lambda e: e["feed"] == screen)
    with pytest.raises(Refused) as refused:
        await sharer.publish("screen", audio=False, video=True)
    assert refused.value.code == "forbidden" and "share" in str(refused.value)
    await host.publish("screen", audio=False, video=True)  # the host still may
    await host.channel.request("security", allow_share=True)
    await sharer.publish("screen", audio=False, video=True)


async def test_chat_with_only_the_hosts_when_the_host_forbids_it(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    await host.channel.request("security", allow_chat=False)
    await ana.wait_for("security", lambda e: e["allow_chat"] is False)
    for to in (None, ben.participant_id):
        assert await ana.channel.refused("chat", text="psst", to=to) == "forbidden"
    await ana.channel.request("chat", text="a question for the host", to=host.participant_id)
    await host.wait_for("chat", lambda e: e["message"]["text"] == "a question for the host")
    await host.channel.request("chat", text="hosts still talk to everyone")
    await ben.wait_for("chat", lambda e: e["message"]["text"] == "hosts still talk to everyone")
    assert not [e for e in ben.events if e["type"] == "chat" and e["message"]["text"] == "psst"]


async def test_renaming_yourself_and_others(meeting: MeetingFactory, bots: list[Bot]) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    renamed = await ana.channel.request("rename", name="Ana Lopez")
    assert renamed["participant"]["name"] == "Ana Lopez"  # type: ignore[index]
    await host.wait_for("participant-updated", lambda e: e["participant"]["name"] == "Ana Lopez")
    # Only hosts rename others.
    assert (
        await ana.channel.refused("rename", name="Troll", participant_id=ben.participant_id)
        == "forbidden"
    )
    await host.channel.request("rename", name="Benjamin", participant_id=ben.participant_id)
    await ben.wait_for("participant-updated", lambda e: e["participant"]["name"] == "Benjamin")
    await ben.channel.request("hand", raised=True)  # Ben's own copy took the new name
    await host.wait_for(
        "participant-updated",
        lambda e: e["participant"]["name"] == "Benjamin" and e["participant"]["hand_raised"],
    )
    await host.channel.request("security", allow_rename=False)
    assert await ana.channel.refused("rename", name="Someone else") == "forbidden"
    for bad in ("", " " * 3, "x" * 101):
        assert await host.channel.refused("rename", name=bad) == "bad-message"


async def test_unmuting_yourself_needs_the_hosts_leave_when_forbidden(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana", auto_publish=True)
    guest = await joined(bots, created.join_url, "Ana", auto_publish=True)
    await guest.wait_published()
    assert guest.participant_id is not None
    await host.wait_frames(guest.participant_id, audio=20, timeout=15)
    await host.channel.request("moderate", action="mute", participant_id=guest.participant_id)
    await guest.wait_for("muted-by-host")
    await host.channel.request("security", allow_unmute=False)
    with pytest.raises(Refused) as refused:
        await guest.mute(audio_muted=False)
    assert refused.value.code == "forbidden"
    await frames_stop(host, guest.participant_id, audio=True)  # still blocked in Janus
    await host.channel.request("moderate", action="ask-unmute", participant_id=guest.participant_id)
    await guest.wait_for("unmute-request")
    await guest.mute(audio_muted=False)  # asked by the host: allowed, once
    await host.wait_frames(guest.participant_id, audio=20, timeout=10)
    await guest.mute(audio_muted=True)  # muting yourself now holds you in Janus too
    await frames_stop(host, guest.participant_id, audio=True)
    with pytest.raises(Refused):
        await guest.mute(audio_muted=False)


async def test_a_cohost_gets_host_controls_but_not_all_of_them(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    assert ana.participant_id is not None and ben.participant_id is not None
    assert (
        await ana.channel.refused("moderate", action="mute", participant_id=ben.participant_id)
        == "forbidden"
    )
    assert (
        await ana.channel.refused("cohost", participant_id=ana.participant_id, cohost=True)
        == "forbidden"
    )
    made = await host.channel.request("cohost", participant_id=ana.participant_id, cohost=True)
    assert made["participant"]["cohost"] is True  # type: ignore[index]
    await ana.wait_for("participant-updated", lambda e: e["participant"]["cohost"] is True)
    await ana.channel.request("moderate", action="mute", participant_id=ben.participant_id)
    await ben.wait_for("muted-by-host", lambda e: e["by"] == "Ana")
    await ana.channel.request("security", locked=True)
    await host.wait_for("security", lambda e: e["locked"] is True)
    for request, fields in (
        ("end", {}),
        ("cohost", {"participant_id": ben.participant_id, "cohost": True}),
    ):
        assert await ana.channel.refused(request, **fields) == "forbidden"
    await host.channel.request("cohost", participant_id=ana.participant_id, cohost=False)
    await ana.wait_for("participant-updated", lambda e: e["participant"]["cohost"] is False)
    assert await ana.channel.refused("security", locked=False) == "forbidden"


async def test_forced_security_requests_from_participants_are_refused(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(view_host={"security_option": False})
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    for bot in (host, ana):
        for request, fields in (
            ("security", {"waiting_room": True}),
            ("security", {"allow_chat": False}),
            ("admit", {}),
        ):
            assert await bot.channel.refused(request, **fields) == "forbidden"
