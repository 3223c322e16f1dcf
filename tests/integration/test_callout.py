"""Phone call-out against a real `ngage serve`, its Janus (SIP plugin) and `sipp` as the callee.

sipp answers on 127.0.0.2 (tests/sipp/callee.xml), echoes every RTP packet it gets
(`-rtp_echo`) and hangs up after a while. A bot in the meeting sends a tone; hearing
that tone again on the phone participant's feed proves audio went both ways through
the phone: meeting -> ngage's mix -> Janus SIP -> sipp -> Janus SIP -> the phone's feed.

Run inside the media namespace: `scripts/netns .venv/bin/python -m pytest <this file>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.bots import Bot, MediaSpec, Refused
from tests.callee import TRUNK, Callee, running_callee
from tests.integration.people import joined
from tests.medianet import MEDIA_NET, MeetingFactory, running_media_server
from tests.support import Server

CALL_SECONDS = 12  # how long sipp keeps the call before its BYE
TONE_HZ = 660.0
MEDIA_TIMEOUT = 20.0
NUMBER = "+15551234567"


@pytest.fixture
def callee() -> Iterator[Callee]:
    with running_callee(CALL_SECONDS) as running:
        yield running


@pytest.fixture(scope="module")
def sip_server() -> Iterator[Server]:
    with running_media_server(sip_trunk=TRUNK, sip_local_ip=MEDIA_NET) as server:
        yield server


@pytest.fixture(scope="module")
def meeting(sip_server: Server) -> Iterator[MeetingFactory]:
    factory = MeetingFactory(sip_server, sip_server.new_app("callout"))
    yield factory
    factory.close()


def is_phone(event: dict[str, Any]) -> bool:
    return bool(event["participant"]["role"] == "phone")


async def test_a_phone_call_joins_the_meeting_hears_it_and_leaves_on_bye(
    meeting: MeetingFactory, bots: list[Bot], callee: Callee
) -> None:
    host = await joined(bots, meeting().start_url, media=MediaSpec(tone_hz=TONE_HZ), video=False)
    assert host.joined is not None and host.joined["callout"] == {
        "allowed": True,
        "configured": True,
    }
    await host.wait_published("camera")
    calling = await host.channel.request("call-out", number=NUMBER, timeout=MEDIA_TIMEOUT)
    assert calling["status"] == "calling" and calling["number"] == NUMBER
    phone_id = calling["participant_id"]
    await host.wait_for("call-out", lambda e: e["status"] == "ringing", MEDIA_TIMEOUT)
    await host.wait_for("call-out", lambda e: e["status"] == "in-call", MEDIA_TIMEOUT)
    joined_event = await host.wait_for("participant-joined", is_phone, MEDIA_TIMEOUT)
    assert joined_event["participant"]["participant_id"] == phone_id
    assert joined_event["participant"]["name"] == "Phone ···4567"
    added = await host.wait_for(
        "feed-added", lambda e: e["feed"]["participant_id"] == phone_id, MEDIA_TIMEOUT
    )
    await host.wait_frames(phone_id, audio=100, timeout=MEDIA_TIMEOUT)
    stats = host.received_from(phone_id)[-1]
    frequency, level = stats.tone()
    assert abs(frequency - TONE_HZ) < 15, f"the phone feed carries {frequency:.0f} Hz"
    assert level > 0.02, f"the phone feed is nearly silent (RMS {level:.3f})"
    # sipp hangs up: the phone leaves the meeting and the caller hears why.
    await host.wait_for(
        "participant-left", lambda e: e["participant_id"] == phone_id, CALL_SECONDS + 15
    )
    assert host.find("feed-removed", lambda e: e["feed"] == added["feed"]["feed"]) is not None
    ended = await host.wait_for("call-out", lambda e: e["status"] == "ended")
    assert ended["reason"] == "hangup"
    statuses = [e["status"] for e in host.events if e["type"] == "call-out"]
    assert statuses == ["calling", "ringing", "in-call", "ended"]
    assert callee.process.wait(timeout=15) == 0, callee.log()


async def test_the_callee_hears_everyone_mixed(
    meeting: MeetingFactory, bots: list[Bot], callee: Callee
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, media=MediaSpec(tone_hz=660.0), video=False)
    guest = await joined(bots, created.join_url, media=MediaSpec(tone_hz=1000.0), video=False)
    await host.wait_published("camera")
    await guest.wait_published("camera")
    calling = await host.channel.request("call-out", number=NUMBER, timeout=MEDIA_TIMEOUT)
    phone_id = calling["participant_id"]
    await guest.wait_frames(phone_id, audio=100, timeout=MEDIA_TIMEOUT)
    echoed = guest.received_from(phone_id)[-1]
    # Both tones come back from the phone: its mix carried the host and the guest.
    quiet = echoed.level_at(2500.0)
    assert echoed.level_at(660.0) > 10 * quiet and echoed.level_at(660.0) > 0.02
    assert echoed.level_at(1000.0) > 10 * quiet and echoed.level_at(1000.0) > 0.02


async def test_the_host_hangs_up_a_phone(
    meeting: MeetingFactory, bots: list[Bot], callee: Callee
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, video=False)
    guest = await joined(bots, created.join_url, video=False)
    calling = await guest.channel.request("call-out", number="5551234", timeout=MEDIA_TIMEOUT)
    phone_id = calling["participant_id"]
    await host.wait_for("participant-joined", is_phone, MEDIA_TIMEOUT)
    reply = await host.channel.request(
        "call-out", action="hangup", participant_id=phone_id, timeout=MEDIA_TIMEOUT
    )
    assert reply["status"] == "hanging-up"
    await host.wait_for("participant-left", lambda e: e["participant_id"] == phone_id)
    ended = await guest.wait_for("call-out", lambda e: e["status"] == "ended")
    assert ended["participant_id"] == phone_id


async def test_a_phone_cannot_caption_and_the_host_removing_it_hangs_up(
    meeting: MeetingFactory, bots: list[Bot], callee: Callee
) -> None:
    host = await joined(bots, meeting().start_url, video=False)
    calling = await host.channel.request("call-out", number=NUMBER, timeout=MEDIA_TIMEOUT)
    phone_id = calling["participant_id"]
    await host.wait_for("participant-joined", is_phone, MEDIA_TIMEOUT)
    # A callee has no keyboard in the meeting.
    assert await host.channel.refused("captioner", participant_id=phone_id) == "forbidden"
    await host.channel.request("remove", participant_id=phone_id)
    await host.wait_for("participant-left", lambda e: e["participant_id"] == phone_id)
    await callee.wait_received("BYE", MEDIA_TIMEOUT)
    ended = await host.wait_for("call-out", lambda e: e["status"] == "ended")
    assert ended["reason"] == "hangup"


async def test_a_busy_callee_never_joins_and_the_caller_hears_busy(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    host = await joined(bots, meeting().start_url, video=False)
    with running_callee(CALL_SECONDS, "busy.xml") as busy:
        calling = await host.channel.request("call-out", number=NUMBER, timeout=MEDIA_TIMEOUT)
        ended = await host.wait_for("call-out", lambda e: e["status"] == "ended", MEDIA_TIMEOUT)
        assert ended["participant_id"] == calling["participant_id"]
        assert ended["reason"] == "busy"
        assert host.find("participant-joined", is_phone) is None
        assert busy.process.wait(timeout=15) == 0, busy.log()


async def test_ending_the_meeting_hangs_up_its_phones(
    meeting: MeetingFactory, bots: list[Bot], callee: Callee
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, video=False)
    guest = await joined(bots, created.join_url, video=False)
    await host.channel.request("call-out", number=NUMBER, timeout=MEDIA_TIMEOUT)
    await guest.wait_for("participant-joined", is_phone, MEDIA_TIMEOUT)
    assert not callee.received("BYE")
    await host.end()
    await callee.wait_received("BYE", MEDIA_TIMEOUT)  # sent by Janus, well before sipp's own


async def test_call_out_is_forbidden_when_the_role_has_it_disabled(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"disableCallOut": True})
    await joined(bots, created.start_url, auto_publish=False)
    guest = await joined(bots, created.join_url, auto_publish=False)
    assert guest.joined is not None and guest.joined["callout"]["allowed"] is False
    assert await guest.channel.refused("call-out", number=NUMBER) == "forbidden"


@pytest.mark.parametrize("number", ["", "12", "555-1234", "+1 555", "sip:bob@x", "1" * 33])
async def test_bad_numbers_are_bad_messages(
    meeting: MeetingFactory, bots: list[Bot], number: str
) -> None:
    host = await joined(bots, meeting().start_url, auto_publish=False)
    assert await host.channel.refused("call-out", number=number) == "bad-message"


async def test_a_participant_waiting_for_the_host_cannot_call_out(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    guest = await joined(bots, meeting().join_url, auto_publish=False)
    await guest.wait_for("waiting")
    assert await guest.channel.refused("call-out", number=NUMBER) == "waiting"


async def test_without_a_trunk_call_out_is_not_configured(bots: list[Bot]) -> None:
    with running_media_server() as server:
        factory = MeetingFactory(server, server.new_app("no-trunk"))
        try:
            host = await joined(bots, factory().start_url, auto_publish=False)
            assert host.joined is not None
            assert host.joined["callout"] == {"allowed": True, "configured": False}
            with pytest.raises(Refused) as refused:
                await host.channel.request("call-out", number=NUMBER)
            assert refused.value.code == "not-available"
            assert "not configured" in str(refused.value)
            await host.close()
        finally:
            factory.close()
