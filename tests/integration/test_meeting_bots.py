"""Meetings of aiortc bots against a real `ngage serve` and its Janus (docs/protocol.md).

Run inside the media namespace: `scripts/netns .venv/bin/python -m pytest <this file>`.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from typing import Any

import httpx
import pytest

from ngage.client import Meeting
from tests.bots import Bot, FeedStats, Refused, parse_link
from tests.integration.people import joined, pid
from tests.medianet import MeetingFactory, kill_janus, running_media_server
from tests.support import Server

FRAMES = 10  # "the count grows": this many new frames within the timeout
MEDIA_TIMEOUT = 15.0


async def live_pair(bots: list[Bot], meeting: Meeting, **guest: Any) -> tuple[Bot, Bot]:
    host = await joined(bots, meeting.start_url, label="host")
    guest_bot = await joined(bots, meeting.join_url, label="guest", **guest)
    return host, guest_bot


def sizes(received: list[FeedStats]) -> set[tuple[int, int]]:
    return set().union(*(stats.sizes for stats in received))


def types(bot: Bot) -> list[str]:
    return [str(event["type"]) for event in bot.events]


async def see_each_other(first: Bot, second: Bot, audio: int = FRAMES) -> None:
    await first.wait_frames(pid(second), video=FRAMES, audio=audio, timeout=MEDIA_TIMEOUT)
    await second.wait_frames(pid(first), video=FRAMES, audio=audio, timeout=MEDIA_TIMEOUT)


async def test_host_and_participant_see_and_hear_each_other(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    host, guest = await live_pair(bots, meeting())
    await see_each_other(host, guest, audio=2 * FRAMES)
    await see_each_other(host, guest)  # and the counts keep growing
    assert sizes(host.received_from(pid(guest))) == {(640, 360)}
    assert sizes(guest.received_from(pid(host))) == {(640, 360)}
    assert guest.joined is not None and pid(host) in guest.participants
    await host.wait_for("participant-joined", lambda e: e["participant"]["name"] == guest.name)


async def test_participant_who_arrives_first_waits_for_the_host(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    guest = await joined(bots, created.join_url, label="guest")
    await guest.wait_for("waiting")
    await asyncio.sleep(0.5)
    assert guest.published == {}, "a waiting participant must not publish"
    # Nor reach anyone: the meeting has not started.
    for request, fields in (
        ("chat", {"text": "anyone here?"}),
        ("hand", {"raised": True}),
        ("reaction", {"emoji": "👍"}),
        ("ask", {"text": "when do we start?"}),
        ("rename", {"name": "Impatient"}),
    ):
        assert await guest.channel.refused(request, **fields) == "waiting", request
    assert (await guest.channel.request("mute", audio_muted=False))["type"] == "participant-updated"
    host = await joined(bots, created.start_url, label="host")
    assert host.joined is not None and host.joined["chat"] == []
    await guest.wait_for("meeting-started")
    await see_each_other(host, guest)
    order = types(guest)
    assert order.index("joined") < order.index("waiting") < order.index("meeting-started")


async def test_screen_share_is_refused_when_the_flag_is_off(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    host, guest = await live_pair(bots, meeting(participant={"screenShare": False}))
    await guest.wait_published("camera")
    with pytest.raises(Refused) as refused:
        await guest.publish("screen", audio=False)
    assert refused.value.code == "forbidden"
    # The host may share: its screen reaches the guest, while no guest screen reached the host.
    await host.publish("screen", audio=False)
    await guest.wait_frames(pid(host), video=FRAMES, kind="screen", timeout=MEDIA_TIMEOUT)
    assert host.find("feed-added", lambda e: e["feed"]["kind"] == "screen") is None


async def test_camera_video_is_refused_without_av_support(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"isSupportAV": False})
    host, guest = await live_pair(bots, created, auto_publish=False)
    with pytest.raises(Refused) as refused:
        await guest.publish("camera", audio=True, video=True)
    assert refused.value.code == "forbidden"
    await guest.publish("camera", audio=True, video=False)
    await host.wait_frames(pid(guest), audio=2 * FRAMES, timeout=MEDIA_TIMEOUT)
    assert host.frames_from(pid(guest))[0] == 0


async def test_audio_is_refused_when_join_audio_is_disabled(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"disableJoinAudio": True})
    host, guest = await live_pair(bots, created, auto_publish=False)
    with pytest.raises(Refused) as refused:
        await guest.publish("camera", audio=True, video=True)
    assert refused.value.code == "forbidden"
    await guest.publish("camera", audio=False, video=True)
    await host.wait_frames(pid(guest), video=FRAMES, timeout=MEDIA_TIMEOUT)
    assert host.frames_from(pid(guest))[1] == 0


async def test_record_is_refused_when_the_flag_forbids_it(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"disableRecord": True})
    host, guest = await live_pair(bots, created, auto_publish=False)
    with pytest.raises(Refused) as refused:
        await guest.record("start")
    assert refused.value.code == "forbidden"
    assert (await guest.ping())["type"] == "pong"  # the socket stays open
    assert host.find("recording") is None  # nothing reached the others


async def test_a_participant_allowed_to_record_starts_and_stops_it(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"disableRecord": False})
    host, guest = await live_pair(bots, created, auto_publish=False)
    assert (await guest.record("start"))["state"] == "recording"
    await host.wait_for("recording", lambda e: e["state"] == "recording")
    assert (await guest.record("stop"))["state"] == "stopped"
    await host.wait_for("recording", lambda e: e["state"] == "stopped")


async def test_only_the_host_ends_the_meeting_for_everyone(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host, guest = await live_pair(bots, created)
    with pytest.raises(Refused) as refused:
        await guest.end()
    assert refused.value.code == "forbidden"
    ended = await host.end()
    assert ended["type"] == "meeting-ended" and ended["reason"] == "host-ended"
    await guest.wait_for("meeting-ended", lambda e: e["reason"] == "host-ended")
    assert await host.wait_closed() == 4410
    assert await guest.wait_closed() == 4410
    for link in (created.start_url, created.join_url):
        late = Bot(link, auto_publish=False)
        bots.append(late)
        with pytest.raises(Refused) as refused:
            await late.join()
        assert refused.value.code == "meeting-ended"
        assert await late.wait_closed() == 4410


async def test_an_empty_meeting_ends_after_the_grace_period(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    # The media server fixture sets NGAGE_EMPTY_MEETING_GRACE_SECONDS=5.
    kept, dropped = meeting(), meeting()
    for created in (kept, dropped):
        host = await joined(bots, created.start_url, auto_publish=False)
        assert await host.leave() == 1000
    back = await joined(bots, kept.start_url, auto_publish=False)  # within the grace period
    await asyncio.sleep(6.5)
    assert back.joined is not None and back.joined["meeting"]["status"] == "live"
    assert back.find("meeting-ended") is None
    late = Bot(dropped.join_url, auto_publish=False)
    bots.append(late)
    with pytest.raises(Refused) as refused:
        await late.join()
    assert refused.value.code == "meeting-ended"


@pytest.mark.parametrize("forgery", ["tampered", "other-role"])
async def test_a_forged_link_is_rejected(
    meeting: MeetingFactory, bots: list[Bot], forgery: str
) -> None:
    link = parse_link(meeting().join_url)
    if forgery == "tampered":
        body, _, mac = link.token.partition(".")
        link = replace(link, token=f"{body}.{mac[::-1]}")
    else:
        link = replace(link, role="host")  # a participant token claiming the host role
    bot = Bot(link, auto_publish=False)
    bots.append(bot)
    with pytest.raises(Refused) as refused:
        await bot.join()
    assert refused.value.code == "link-rejected"
    assert await bot.wait_closed() == 4403


GARBAGE: list[str | bytes] = [
    "not json",
    "[]",
    '"a string"',
    b"\x00\xff binary",
    json.dumps({"v": 1, "type": "no-such-type"}),
    json.dumps({"v": 1, "type": "publish"}),
    json.dumps({"v": 1, "type": "watch", "feed": "one"}),
    json.dumps({"v": 1, "type": "mute", "audio_muted": "yes"}),
    json.dumps({"v": 1, "type": "ping", "id": "x" * 65}),
    json.dumps({"v": 1, "type": "ping", "pad": "x" * 70_000}),
]


async def test_garbage_gets_bad_message_and_the_server_survives(
    media_server: Server, meeting: MeetingFactory, bots: list[Bot]
) -> None:
    _, guest = await live_pair(bots, meeting(), auto_publish=False)
    for frame in GARBAGE:
        mark = len(guest.events)
        await guest.send_raw(frame)
        error = await guest.wait_for("error", after=mark)
        assert error["code"] == "bad-message", (frame[:80], error)
    assert (await guest.ping())["type"] == "pong"
    assert httpx.get(f"{media_server.base_url}/", timeout=5).status_code == 200
    assert media_server.process.poll() is None
    assert "Traceback" not in media_server.log()
    assert " 500 " not in media_server.log()


@pytest.mark.parametrize(
    ("first", "code", "close_code"),
    [("garbage", "bad-message", 4400), (json.dumps({"v": 1, "type": "ping"}), "not-joined", 4400)],
)
async def test_the_first_message_must_be_join(
    meeting: MeetingFactory, bots: list[Bot], first: str, code: str, close_code: int
) -> None:
    bot = Bot(meeting().join_url, auto_publish=False)
    bots.append(bot)
    await bot.channel.connect()
    await bot.send_raw(first)
    assert (await bot.wait_for("error"))["code"] == code
    assert await bot.wait_closed() == close_code


async def test_mute_reaches_the_others(meeting: MeetingFactory, bots: list[Bot]) -> None:
    host, guest = await live_pair(bots, meeting())
    about_guest = lambda e: e["participant"]["participant_id"] == pid(guest)  # noqa: E731
    mark = len(host.events)
    await guest.mute(audio_muted=True)
    update = await host.wait_for("participant-updated", about_guest, after=mark)
    assert update["participant"]["audio_muted"] is True
    assert update["participant"]["video_muted"] is False
    mark = len(host.events)
    await guest.mute(video_muted=True, audio_muted=False)
    update = await host.wait_for("participant-updated", about_guest, after=mark)
    assert (update["participant"]["audio_muted"], update["participant"]["video_muted"]) == (
        False,
        True,
    )


async def test_leave_announces_participant_left(meeting: MeetingFactory, bots: list[Bot]) -> None:
    host, guest = await live_pair(bots, meeting())
    feed = await guest.wait_published("camera")
    await host.wait_frames(pid(guest), video=1, timeout=MEDIA_TIMEOUT)
    assert await guest.leave() == 1000
    await host.wait_for("participant-left", lambda e: e["participant_id"] == pid(guest))
    await host.wait_for("feed-removed", lambda e: e["feed"] == feed)


async def test_both_bots_recover_when_janus_dies(bots: list[Bot]) -> None:
    with running_media_server() as server:
        factory = MeetingFactory(server, server.new_app("janus-kill"))
        try:
            host, guest = await live_pair(bots, factory())
        finally:
            factory.close()
        await see_each_other(host, guest)
        marks = len(host.events), len(guest.events)
        killed_at = time.monotonic()
        assert kill_janus(server), "no Janus process found for this server"
        for bot, mark in zip((host, guest), marks, strict=True):
            await bot.wait_for("media-restart", after=mark, timeout=10)
        await see_each_other(host, guest)
        recovered = time.monotonic() - killed_at
        assert recovered < 12, f"media came back only after {recovered:.1f} s"
        await asyncio.gather(*(bot.close() for bot in bots))
