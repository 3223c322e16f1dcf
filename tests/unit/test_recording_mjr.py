"""Janus recording files: names, headers and janus-pp-rec command lines."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from ngage.recordings import mjr

NAME = "videoroom-93601136839-user-4213665770944239-1796409366183143-audio-0.mjr"


def test_a_videoroom_file_name_is_parsed() -> None:
    parsed = mjr.parse_name(NAME)
    assert parsed == mjr.RecordingName(
        "93601136839", 4213665770944239, 1796409366183143, "audio", 0
    )


def test_media_comes_from_the_stream_part_not_from_videoroom() -> None:
    # "videoroom" contains "video": only the -audio-/-video- part says what the stream is.
    parsed = mjr.parse_name("videoroom-12-user-7-1796409366183228-video-1.mjr")
    assert parsed is not None and parsed.media == "video" and parsed.mindex == 1
    audio = mjr.parse_name("videoroom-12-user-7-1796409366183228-audio-2.mjr")
    assert audio is not None and audio.media == "audio"


@pytest.mark.parametrize(
    "name",
    [
        "videoroom-12-user-7-1796409366183228-data-2.mjr",
        "videoroom-12-user-7-1796409366183228-video-1.mkv",
        "videoroom-12-user-7-1796409366183228-video-1.mjr.part",
        "audiobridge-12-user-7-1796409366183228-audio-0.mjr",
        "notes.txt",
    ],
)
def test_other_files_are_not_recordings(name: str) -> None:
    assert mjr.parse_name(name) is None


def test_the_plain_json_header_is_parsed() -> None:
    printed = '{"t": "v", "c": "h264", "s": 1796409366183229, "u": 1796409366239158}\n'
    header = mjr.parse_header(printed)
    assert header == mjr.Header("video", "h264", 1796409366183229, 1796409366239158)
    assert not mjr.is_empty(header)


def test_the_extended_header_after_log_lines_is_parsed() -> None:
    printed = (
        "Janus version: 1102 (1.1.2)\nLogging level: 4\n"
        '{"t":"a","c":"opus","s":1796409659368917,"u":1796409659370872,'
        '"extended":{"packets":426,"duration":8.5}}\n'
    )
    header = mjr.parse_header(printed)
    assert (header.media, header.codec, header.first_packet_us) == (
        "audio",
        "opus",
        1796409659370872,
    )
    assert (header.packets, header.duration_s) == (426, 8.5)


@pytest.mark.parametrize(
    "printed",
    [
        '{"t": "a", "c": "opus", "s": 1796409659368917}',
        '{"t": "a", "c": "opus", "s": 1, "u": 2, "extended": {"packets": 0, "duration": 0}}',
    ],
)
def test_a_recording_without_packets_is_empty(printed: str) -> None:
    assert mjr.is_empty(mjr.parse_header(printed))


def test_no_json_is_an_error() -> None:
    with pytest.raises(ValueError, match="no JSON"):
        mjr.parse_header("Error opening file\n")


def test_converted_names_follow_the_codec() -> None:
    source = Path("/raw/videoroom-1-user-2-3-video-1.mjr")
    assert mjr.converted_name(source, "h264") == "videoroom-1-user-2-3-video-1.mkv"
    assert mjr.converted_name(source, "VP8") == "videoroom-1-user-2-3-video-1.mkv"
    assert mjr.converted_name(source, "opus") == "videoroom-1-user-2-3-video-1.opus"
    assert mjr.converted_name(source, "pcmu") == "videoroom-1-user-2-3-video-1.wav"
    assert mjr.converted_name(source, "av1") is None


def test_janus_pp_rec_command_lines() -> None:
    source, target = Path("/raw/a-video-1.mjr"), Path("/work/.a-video-1.mkv.part")
    assert mjr.header_argv(source) == ["janus-pp-rec", "--extended-json", "/raw/a-video-1.mjr"]
    assert mjr.convert_argv(source, target, "h264") == [
        "janus-pp-rec",
        "--format",
        "mkv",
        "/raw/a-video-1.mjr",
        "/work/.a-video-1.mkv.part",
    ]
    assert mjr.convert_argv(source, target, "opus")[2] == "opus"


def test_an_unknown_codec_cannot_be_converted() -> None:
    with pytest.raises(ValueError, match="av1"):
        mjr.convert_argv(Path("a.mjr"), Path("a.mp4"), "av1")


def recording_bytes(packets: list[tuple[int, int, int]], cut: int = 0) -> bytes:
    """A .mjr: header, then (arrival ms, RTP timestamp, payload bytes) packets."""
    header = b'{"t": "a", "c": "opus", "s": 1, "u": 2}'
    data = b"MJR00002" + struct.pack(">H", len(header)) + header
    for arrival, timestamp, size in packets:
        rtp = struct.pack(">BBHII", 0x80, 111, 1, timestamp, 42) + bytes(size)
        data += b"MEET" + struct.pack(">IH", arrival, len(rtp)) + rtp
    return data[: len(data) - cut]


def test_packets_are_read_with_arrival_and_rtp_time() -> None:
    data = recording_bytes([(0, 0, 30), (21, 960, 30), (40, 1920, 3)])
    assert list(mjr.packets(data)) == [
        mjr.Packet(0, 0),
        mjr.Packet(21, 960),
        mjr.Packet(40, 1920),
    ]
    assert list(mjr.packets(data[:-1])) == [mjr.Packet(0, 0), mjr.Packet(21, 960)]
    assert list(mjr.packets(b"not a recording")) == []


AUDIO = mjr.Header("audio", "opus", 1_000_000, 2_000_000)


def test_a_stream_starts_when_its_first_packet_came_when_it_came_on_time() -> None:
    steady = [mjr.Packet(20 * k + 1, 960 * k) for k in range(10)]
    assert mjr.media_start_us(AUDIO, steady) == 2_000_000


def test_a_late_first_packet_is_corrected_by_the_least_delayed_one() -> None:
    # A busy sender: the first four packets (80 ms of sound) came in one burst, then the
    # rest every 20 ms: packet k (sound from 20k ms) arrived at 20k - 60 ms.
    burst = [mjr.Packet(k, 960 * k) for k in range(4)]
    steady = [mjr.Packet(20 * k - 60, 960 * k) for k in range(4, 50)]
    assert mjr.media_start_us(AUDIO, burst + steady) == 2_000_000 - 60_000


def test_video_uses_the_90_khz_clock_and_the_timestamp_may_wrap() -> None:
    video = mjr.Header("video", "h264", 1, 5_000_000)
    base = 2**32 - 3000
    frames = [mjr.Packet(0, base), mjr.Packet(0, base), mjr.Packet(60, (base + 6000) % 2**32)]
    assert mjr.clock_rate(video) == 90_000
    assert mjr.media_start_us(video, frames) == 5_000_000 - 6_667
    assert mjr.media_start_us(video, []) == 5_000_000
