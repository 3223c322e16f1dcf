"""What each role may publish, decided from the stored flags and the offer's SDP."""

from __future__ import annotations

import orjson
import pytest

from ngage.errors import BadRequest, NotPermitted
from ngage.meetings.rights import check_end, check_publish, check_record, rights_for
from ngage.signaling.sdp import sent_media

AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\n"
VIDEO = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendonly\r\n"
HEADER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


def test_sent_media_reads_the_m_lines() -> None:
    assert sent_media(HEADER + AUDIO + VIDEO) == {"audio", "video"}
    assert sent_media(HEADER + AUDIO) == {"audio"}
    assert sent_media("") == set()


@pytest.mark.parametrize(
    "section",
    [
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n",
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=inactive\r\n",
        "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n",
    ],
)
def test_sections_that_send_nothing_do_not_count(section: str) -> None:
    assert sent_media(HEADER + AUDIO + section) == {"audio"}


def test_unix_line_endings_work_too() -> None:
    assert sent_media((HEADER + VIDEO).replace("\r\n", "\n")) == {"video"}


def test_media_types_are_read_as_janus_reads_them_regardless_of_case() -> None:
    assert sent_media(HEADER + AUDIO.replace("m=audio", "m=AUDIO")) == {"audio"}
    assert sent_media(HEADER + AUDIO.replace("a=sendrecv", "a=SENDRECV")) == {"audio"}
    assert sent_media(HEADER + VIDEO.replace("m=video", "M=Video")) == {"video"}


def test_a_data_channel_is_not_media() -> None:
    data = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:2\r\n"
    assert sent_media(HEADER + VIDEO + data) == {"video"}


@pytest.mark.parametrize(
    "offer",
    [
        # Janus would take the last direction: a recvonly first must not hide audio.
        HEADER + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=recvonly\r\na=sendonly\r\n",
        HEADER + AUDIO + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:5\r\n",  # audio twice
        HEADER + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n",  # no mid to block
        HEADER + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=mid:1\r\n",
        HEADER + "m=\r\n",
        HEADER + "m=audio\r\n",
        HEADER + "m=text 9 RTP/AVP 0\r\na=mid:0\r\n",
    ],
)
def test_offers_that_could_be_read_two_ways_are_refused(offer: str) -> None:
    with pytest.raises(BadRequest):
        sent_media(offer)


def settings(**host: bool) -> str:
    config = {"isSupportAV": True, "disableJoinAudio": False, "screenShare": True}
    config.update(host)
    participant = {**config, "screenShare": False, "disableRecord": True, "disableInvite": True}
    return orjson.dumps(
        {
            "config_host": config,
            "view_host": {"participants_list": True},
            "config_participant": participant,
            "view_participant": {"participants_list": False},
        }
    ).decode()


def test_each_role_gets_its_own_flags() -> None:
    host = rights_for(settings(), "host")
    guest = rights_for(settings(), "participant")
    assert host.share_screen and not guest.share_screen
    assert host.record and not guest.record
    assert host.invite and not guest.invite
    assert host.flags["participants_list"] and not guest.flags["participants_list"]
    assert host.end_meeting and not guest.end_meeting


def test_allowed_offers_pass() -> None:
    host = rights_for(settings(), "host")
    check_publish(host, "camera", {"audio", "video"})
    check_publish(host, "screen", {"video"})
    check_record(host)
    check_end(host)


@pytest.mark.parametrize(
    ("flags", "kind", "media", "problem"),
    [
        ({"isSupportAV": False}, "camera", {"audio", "video"}, "video is not allowed"),
        ({"disableJoinAudio": True}, "camera", {"audio"}, "audio is disabled"),
        ({"screenShare": False}, "screen", {"video"}, "screen sharing"),
        ({}, "screen", {"video", "audio"}, "video only"),
        ({}, "camera", set(), "no media"),
    ],
)
def test_forbidden_offers_are_refused(
    flags: dict[str, bool], kind: str, media: set[str], problem: str
) -> None:
    rights = rights_for(settings(**flags), "host")
    with pytest.raises(NotPermitted, match=problem):
        check_publish(rights, kind, media)  # type: ignore[arg-type]


def test_audio_only_role_may_still_publish_audio() -> None:
    check_publish(rights_for(settings(isSupportAV=False), "host"), "camera", {"audio"})


def test_participant_may_not_record_or_end() -> None:
    guest = rights_for(settings(), "participant")
    with pytest.raises(NotPermitted):
        check_record(guest)
    with pytest.raises(NotPermitted):
        check_end(guest)


def test_a_cohost_has_host_controls_but_cannot_end_or_name_cohosts() -> None:
    guest = rights_for(settings(), "participant")
    assert not (guest.moderate or guest.secure or guest.hosting)
    cohost = guest.as_cohost(True)
    assert cohost.moderate and cohost.secure and cohost.hosting
    assert not (cohost.end_meeting or cohost.name_cohosts)
    assert rights_for(settings(), "host").name_cohosts
    stored = orjson.loads(settings())
    stored["view_participant"] = {"security_option": False}
    quiet = rights_for(orjson.dumps(stored).decode(), "participant")
    assert not quiet.as_cohost(True).secure  # the role's view flags still apply


def test_disabling_invite_disables_call_out_too() -> None:
    stored = orjson.loads(settings())
    assert rights_for(orjson.dumps(stored).decode(), "host").call_out
    assert not rights_for(orjson.dumps(stored).decode(), "participant").call_out  # no invite
    stored["config_host"]["disableCallOut"] = True
    assert not rights_for(orjson.dumps(stored).decode(), "host").call_out
