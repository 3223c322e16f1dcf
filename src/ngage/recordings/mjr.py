"""Janus recordings (.mjr): their file names, their headers, and janus-pp-rec command lines.

The VideoRoom writes one file per stream of a publisher:
`videoroom-<room>-user-<feed>-<created>-<audio|video>-<mindex>.mjr`. The header that
`janus-pp-rec --extended-json` prints says when the file was created (`s`) and when its
first packet was written (`u`), in wall-clock microseconds. After the header each packet
is stored as `MEET`, its arrival in ms after `u` (u32), its length (u16), and the RTP
packet, whose timestamps Janus starts at 0; janus-pp-rec places media by those timestamps,
so the converted stream's time 0 is the first packet's RTP time.

The first packet may arrive late (a sender that was busy sends a burst), so `u` alone can
put a stream tens of milliseconds late. `media_start_us` takes the packet that arrived
soonest after its RTP time instead: the least delay seen anchors the stream's time 0.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Media = Literal["audio", "video"]
JANUS_PP_REC = "janus-pp-rec"
_NAME = re.compile(
    r"^videoroom-(?P<room>[^-]+)-user-(?P<feed>\d+)-(?P<created>\d+)"
    r"-(?P<media>audio|video)-(?P<mindex>\d+)\.mjr$"
)
# janus-pp-rec's target format per codec (Debian's build writes no mp4).
_FORMATS = {
    "opus": "opus",
    "multiopus": "opus",
    "pcmu": "wav",
    "pcma": "wav",
    "g722": "wav",
    "l16": "wav",
    "h264": "mkv",
    "vp8": "mkv",
    "vp9": "mkv",
    "h265": "mkv",
}
_SUFFIXES = {"opus": ".opus", "wav": ".wav", "mkv": ".mkv"}
_AUDIO_RATES = {"opus": 48_000, "multiopus": 48_000, "pcmu": 8_000, "pcma": 8_000, "g722": 8_000}
_VIDEO_RATE = 90_000
_MAGIC = b"MJR00002"
_PACKET = b"MEET"
_PACKET_HEAD = struct.Struct(">4sIH")  # tag, arrival ms after `u`, length


@dataclass(frozen=True)
class RecordingName:
    """What a VideoRoom recording's file name says."""

    room: str
    feed: int
    created: int
    media: Media
    mindex: int


def parse_name(filename: str) -> RecordingName | None:
    """The parts of a VideoRoom recording's name; None for any other file."""
    found = _NAME.match(filename)
    if found is None:
        return None
    media: Media = "audio" if found["media"] == "audio" else "video"
    return RecordingName(
        found["room"], int(found["feed"]), int(found["created"]), media, int(found["mindex"])
    )


@dataclass(frozen=True)
class Header:
    """A recording's header: media, codec, and its times on the wall clock (microseconds)."""

    media: Media
    codec: str
    created_us: int
    first_packet_us: int | None  # None: Janus never wrote a packet
    packets: int | None = None  # from the extended header
    duration_s: float | None = None


def parse_header(output: str) -> Header:
    """The header from what `janus-pp-rec -j` or `-e` printed (the last JSON line)."""
    lines = [line for line in output.splitlines() if line.lstrip().startswith("{")]
    if not lines:
        raise ValueError("janus-pp-rec printed no JSON header")
    document = json.loads(lines[-1])
    extended = document.get("extended") or {}
    first = document.get("u")
    return Header(
        media="audio" if document["t"] == "a" else "video",
        codec=str(document["c"]).lower(),
        created_us=int(document["s"]),
        first_packet_us=int(first) if first else None,
        packets=_optional_int(extended.get("packets")),
        duration_s=_optional_float(extended.get("duration")),
    )


def _optional_int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def is_empty(header: Header) -> bool:
    """True when the recording holds no media (nothing to convert)."""
    return header.first_packet_us is None or header.packets == 0


def target_format(codec: str) -> str | None:
    """janus-pp-rec's output format for `codec` (None: not one we can convert)."""
    return _FORMATS.get(codec.lower())


def converted_name(source: Path, codec: str) -> str | None:
    """The file name the converted stream gets, e.g. `...-video-1.mkv`."""
    found = target_format(codec)
    return None if found is None else source.stem + _SUFFIXES[found]


def header_argv(source: Path) -> list[str]:
    """Print the extended header (times, packet count, duration) as one JSON line."""
    return [JANUS_PP_REC, "--extended-json", str(source)]


def convert_argv(source: Path, target: Path, codec: str) -> list[str]:
    """Convert one recording into a playable file; `target` may have any name."""
    found = target_format(codec)
    if found is None:
        raise ValueError(f"janus-pp-rec cannot convert {codec!r}")
    return [JANUS_PP_REC, "--format", found, str(source), str(target)]


@dataclass(frozen=True)
class Packet:
    """When a recorded RTP packet arrived (ms after the header's `u`) and its RTP time."""

    arrival_ms: int
    rtp_timestamp: int


def packets(data: bytes) -> Iterator[Packet]:
    """The packets in (the beginning of) a .mjr file; a cut-off last packet is left out."""
    if not data.startswith(_MAGIC) or len(data) < 10:
        return
    position = 10 + struct.unpack(">H", data[8:10])[0]
    while position + _PACKET_HEAD.size <= len(data):
        tag, arrival, length = _PACKET_HEAD.unpack_from(data, position)
        position += _PACKET_HEAD.size
        if tag != _PACKET or position + length > len(data):
            return
        if length >= 12:  # an RTP header at least
            yield Packet(arrival, struct.unpack_from(">I", data, position + 4)[0])
        position += length


def clock_rate(header: Header) -> int:
    """The RTP clock of the recording's codec (Hz)."""
    return _VIDEO_RATE if header.media == "video" else _AUDIO_RATES.get(header.codec, 48_000)


def media_start_us(header: Header, recorded: Sequence[Packet]) -> int:
    """Wall-clock microseconds of the stream's time 0: the first packet's arrival, moved
    back by how much later it came than the packet with the least delay."""
    if header.first_packet_us is None:
        raise ValueError("the recording has no packets")
    if not recorded:
        return header.first_packet_us
    rate, base = clock_rate(header), recorded[0].rtp_timestamp
    lateness = min(
        p.arrival_ms * 1000 - ((p.rtp_timestamp - base) % 2**32) * 1_000_000 / rate
        for p in recorded
    )
    return header.first_packet_us + min(round(lateness), 0)
