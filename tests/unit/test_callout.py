"""The pure pieces of phone call-out: numbers and URIs, SIP plugin bodies, the mixer."""

from __future__ import annotations

import fractions
from pathlib import Path

import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame

from ngage.config import Settings
from ngage.errors import NotAvailable
from ngage.media.config import JanusLayout, plugins_for, sip_jcfg
from ngage.media.install import write_config_dir
from ngage.media.sip import call_body, ended_reason, hangup_body, register_body, sip_event
from ngage.media.videoroom import subscriber_join_body
from ngage.phone.mixer import CHUNK, MixedTrack, Mixer, feed_mixer, mix
from ngage.phone.numbers import Trunk, callee_uri, caller_uri, display_name, valid_number
from ngage.signaling.handlers.callout import MAX_CALLS_PER_MEETING, check_capacity
from ngage.signaling.messages import CallOut, ProtocolError, parse

TRUNK = "sip:127.0.0.2:5070"


@pytest.mark.parametrize("number", ["+15551234567", "5551234", "*67", "1234#", "911"])
def test_numbers_a_keypad_can_dial_are_valid(number: str) -> None:
    assert valid_number(number)


@pytest.mark.parametrize("number", ["", "12", "555-1234", "+1 555", "sip:x@y", "1" * 33, "++1"])
def test_other_strings_are_not_numbers(number: str) -> None:
    assert not valid_number(number)


def test_the_callee_is_the_number_at_the_trunk() -> None:
    assert callee_uri("+15551234567", TRUNK) == "sip:+15551234567@127.0.0.2:5070"
    assert callee_uri("123#", "sips:trunk.example;transport=tls") == (
        "sips:123%23@trunk.example;transport=tls"
    )
    assert caller_uri("ngage", TRUNK) == "sip:ngage@127.0.0.2:5070"
    with pytest.raises(ValueError):
        callee_uri("12-3", TRUNK)
    with pytest.raises(ValueError):
        callee_uri("123", "http://trunk")


def test_the_phone_shows_only_the_last_digits() -> None:
    assert display_name("+15551234567") == "Phone ···4567"
    assert display_name("911") == "Phone 911"


def test_a_guest_registration_then_a_call_with_credentials_only_when_set() -> None:
    dial = Trunk(TRUNK).dial("+15551234567", "v=0 offer")
    assert register_body(dial) == {
        "request": "register",
        "type": "guest",
        "username": "sip:ngage@127.0.0.2:5070",
        "display_name": "ngage",
    }
    assert call_body(dial) == {"request": "call", "uri": "sip:+15551234567@127.0.0.2:5070"}
    secured = Trunk(TRUNK, "meet", "alice", "s3cret").dial("123", "v=0")
    assert call_body(secured) == {
        "request": "call",
        "uri": "sip:123@127.0.0.2:5070",
        "secret": "s3cret",
        "authuser": "alice",
    }
    assert "s3cret" not in repr(Trunk(TRUNK, password="s3cret")) + repr(secured)
    assert hangup_body() == {"request": "hangup"}


@pytest.mark.parametrize(
    ("code", "reason"),
    [(200, "hangup"), (0, "hangup"), (486, "busy"), (480, "no-answer"), (603, "declined")],
)
def test_why_a_call_ended(code: int, reason: str) -> None:
    assert ended_reason(code) == reason
    assert ended_reason(500) == "failed"


def test_sip_events_are_read_from_plugin_data() -> None:
    event = {"plugindata": {"data": {"sip": "event", "result": {"event": "accepted"}}}}
    assert sip_event(event) == ("accepted", {"event": "accepted"})
    assert sip_event({"janus": "webrtcup"}) == ("", {})


def test_a_phone_watches_only_the_audio_of_a_feed() -> None:
    assert subscriber_join_body(5, 7, "0")["streams"] == [{"feed": 7, "mid": "0"}]
    assert subscriber_join_body(5, 7)["streams"] == [{"feed": 7}]


def test_mixing_sums_and_clips() -> None:
    loud = np.full(CHUNK, 30000, dtype=np.int16)
    quiet = np.full(CHUNK, 1000, dtype=np.int16)
    assert (mix([loud, quiet]) == 31000).all()
    assert (mix([loud, loud]) == 32767).all()
    assert (mix([-loud, -loud]) == -32768).all()
    assert (mix([]) == 0).all() and mix([]).dtype == np.int16


def test_the_mixer_cuts_sources_into_20_ms_and_fills_gaps_with_silence() -> None:
    mixer = Mixer()
    mixer.add_source(1)
    mixer.add_source(2)
    mixer.push(1, np.full(CHUNK + 10, 100, dtype=np.int16))  # one chunk and a rest
    mixer.push(2, np.full(CHUNK, 5, dtype=np.int16))
    assert (mixer.take() == 105).all()
    assert (mixer.take() == 0).all()  # source 1's rest waits for more samples
    mixer.push(1, np.full(CHUNK - 10, 100, dtype=np.int16))
    assert (mixer.take() == 100).all()
    mixer.remove_source(1)
    mixer.push(1, np.full(CHUNK, 100, dtype=np.int16))  # a removed source is ignored
    assert (mixer.take() == 0).all()


def test_a_bursting_source_keeps_at_most_200_ms_queued() -> None:
    mixer = Mixer()
    mixer.add_source(1)
    mixer.push(1, np.arange(CHUNK * 30, dtype=np.int16))
    first = mixer.take()
    assert first[0] == CHUNK * 20  # the oldest 20 chunks were dropped


def test_call_out_messages() -> None:
    dial = parse('{"v": 1, "type": "call-out", "number": "+15551234567"}')
    assert isinstance(dial, CallOut) and dial.action == "dial"
    hangup = parse('{"v": 1, "type": "call-out", "action": "hangup", "participant_id": "p-1"}')
    assert isinstance(hangup, CallOut) and hangup.participant_id == "p-1"
    with pytest.raises(ProtocolError):
        parse('{"v": 1, "type": "call-out", "number": "555 1234"}')


def test_the_sip_plugin_is_loaded_only_with_a_trunk(tmp_path: Path) -> None:
    layout = JanusLayout(str(tmp_path), 1, 2, "a", "b", sip=True, sip_local_ip="127.0.0.2")
    assert plugins_for(layout)[-1] == "libjanus_sip.so"
    assert 'local_ip = "127.0.0.2"' in sip_jcfg(layout)
    assert 'sdp_ip = "127.0.0.2"' in sip_jcfg(layout)
    assert 'rtp_port_range = "20000-40000"' in sip_jcfg(layout)
    library = tmp_path / "lib"
    (library / "plugins").mkdir(parents=True)
    (library / "transports").mkdir()
    write_config_dir(layout, library)
    assert (tmp_path / "plugins" / "libjanus_sip.so").is_symlink()
    write_config_dir(JanusLayout(str(tmp_path), 1, 2, "a", "b"), library)
    assert not (tmp_path / "plugins" / "libjanus_sip.so").is_symlink()  # trunk removed


def test_settings_say_whether_call_out_is_configured() -> None:
    assert not Settings().callout_configured
    configured = Settings(sip_trunk=TRUNK, sip_password="pw")  # type: ignore[arg-type]
    assert configured.callout_configured
    assert "pw" not in repr(configured)


class Line:
    def __init__(self, meeting_id: str) -> None:
        self.meeting_id, self.caller_id = meeting_id, "p-1"

    async def hangup(self) -> None:
        return None


def test_a_meeting_has_a_bounded_number_of_phone_calls() -> None:
    calls = [Line("1")] * (MAX_CALLS_PER_MEETING - 1) + [Line("2")] * 10
    check_capacity(calls, "1")  # one more fits; other meetings' calls do not count
    with pytest.raises(NotAvailable):
        check_capacity([*calls, Line("1")], "1")


class ToneSource(MediaStreamTrack):
    """Two 20 ms frames of 8 kHz mono (what a PCMU callee sends), then the end."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    async def recv(self) -> AudioFrame:
        if self.sent == 2:
            raise MediaStreamError
        frame = AudioFrame.from_ndarray(
            np.full((1, 160), 1000, dtype=np.int16), format="s16", layout="mono"
        )
        frame.sample_rate, frame.pts = 8000, self.sent * 160
        frame.time_base = fractions.Fraction(1, 8000)
        self.sent += 1
        return frame


class CountingMixer(Mixer):
    def __init__(self) -> None:
        super().__init__()
        self.pushed = 0

    def push(self, key: int, samples: np.ndarray) -> None:
        self.pushed += len(samples)
        super().push(key, samples)


async def test_a_source_is_resampled_into_the_mix_and_the_mix_is_48k_mono() -> None:
    mixer = CountingMixer()
    await feed_mixer(ToneSource(), mixer, 7)
    assert mixer.pushed > CHUNK  # 40 ms at 48 kHz, less what the resampler still holds
    track = MixedTrack(mixer)
    first, second = await track.recv(), await track.recv()
    assert (first.sample_rate, first.samples, first.format.name) == (48_000, CHUNK, "s16")
    assert len(first.layout.channels) == 1
    assert (first.pts, second.pts) == (0, CHUNK)
    track.stop()
