"""Protocol messages: parsing client frames and building server messages."""

from __future__ import annotations

import orjson
import pytest

from ngage.signaling import messages
from ngage.signaling.messages import Join, ProtocolError, Publish, Trickle

TOKEN = "abc.def"


def frame(**fields: object) -> str:
    return orjson.dumps({"v": 1, **fields}).decode()


def test_join_is_parsed_with_defaults() -> None:
    parsed = messages.parse(frame(type="join", token=TOKEN, role="host", name="Ana", id="1"))
    assert isinstance(parsed, Join)
    assert (parsed.role, parsed.name, parsed.id) == ("host", "Ana", "1")
    assert parsed.audio_muted is False and parsed.video_muted is False


def test_unknown_fields_are_ignored() -> None:
    parsed = messages.parse(frame(type="ping", extra={"x": 1}))
    assert parsed.type == "ping"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"type": "ping"}', "version"),
        ('{"v": 2, "type": "ping"}', "version"),
        (frame(type="dance"), "type"),
        (frame(type="publish", kind="camera"), "sdp"),
        (frame(type="publish", kind="window", sdp="v=0 " * 10), "kind"),
        (frame(type="watch", feed="12"), "feed"),
        (frame(type="mute", audio_muted="yes"), "audio_muted"),
        (frame(type="join", token=TOKEN, role="admin", name="A"), "role"),
        (frame(type="join", token=TOKEN, role="host", name=" "), "name"),
        (frame(type="join", token=TOKEN, role="host", name="a\x01b"), "name"),
        (frame(type="join", token=TOKEN, role="host", name="x" * 101), "name"),
        (frame(type="ping", id="i" * 65), "id"),
        ("x" * (messages.MAX_FRAME_BYTES + 1), "too large"),
    ],
)
def test_bad_frames_are_protocol_errors(raw: str, problem: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        messages.parse(raw)
    assert problem in caught.value.describe()


def test_bytes_frames_are_accepted() -> None:
    parsed = messages.parse(frame(type="trickle", pc="publish:camera", candidate=None).encode())
    assert isinstance(parsed, Trickle) and parsed.candidate is None


def test_publish_keeps_the_sdp() -> None:
    sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    parsed = messages.parse(frame(type="publish", kind="screen", sdp=sdp))
    assert isinstance(parsed, Publish) and parsed.sdp == sdp and parsed.kind == "screen"


def test_request_id_of_a_bad_frame() -> None:
    assert messages.request_id(frame(type="dance", id="r7")) == "r7"
    assert messages.request_id("garbage") is None
    assert messages.request_id(frame(type="dance", id=5)) is None


def test_built_messages_carry_version_and_reply_id() -> None:
    assert messages.message("pong", "r1") == {"v": 1, "type": "pong", "re": "r1"}
    assert messages.message("waiting", message="hi") == {"v": 1, "type": "waiting", "message": "hi"}
    error = messages.error("forbidden", "no", "r2")
    assert error == {"v": 1, "type": "error", "code": "forbidden", "message": "no", "re": "r2"}
    assert orjson.loads(messages.encode(error)) == error


def test_security_changes_only_what_was_sent() -> None:
    message = messages.parse(frame(type="security", waiting_room=True, allow_chat=False))
    assert isinstance(message, messages.Security)
    assert message.changes() == {"waiting_room": True, "allow_chat": False}
    with pytest.raises(ProtocolError):
        messages.parse(frame(type="security", locked="yes"))


def test_admit_rename_and_cohost_are_checked() -> None:
    admit = messages.parse(frame(type="admit"))
    assert isinstance(admit, messages.Admit)
    assert (admit.action, admit.participant_id) == ("admit", None)
    renamed = messages.parse(frame(type="rename", name="Ana"))
    assert isinstance(renamed, messages.Rename) and renamed.name == "Ana"
    for bad in (
        frame(type="admit", action="maybe"),
        frame(type="rename", name=""),
        frame(type="cohost", participant_id="p-1"),
        frame(type="cohost", participant_id="p-1", cohost=1),
    ):
        with pytest.raises(ProtocolError):
            messages.parse(bad)


@pytest.mark.parametrize("pc", ["watch:²", "watch:", "watch:12a", "publish:mic", "other", ""])
def test_trickle_names_a_peer_connection_of_this_protocol(pc: str) -> None:
    with pytest.raises(ProtocolError):
        messages.parse(frame(type="trickle", pc=pc, candidate=None))


def test_trickle_takes_every_feed_id_the_server_gives() -> None:
    largest = 2**53 - 1  # feed ids stay below 2**53 (participant.new_feed_id)
    parsed = messages.parse(frame(type="trickle", pc=f"watch:{largest}", candidate=None))
    assert isinstance(parsed, Trickle) and parsed.pc == f"watch:{largest}"
