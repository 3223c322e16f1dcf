"""Measure what a media file holds: streams, duration, flashes, beeps, which test pattern.

Decoding goes through ffmpeg (raw video or PCM on a pipe) into numpy. The test bots'
patterns (tests/bots/media.py) are vertical colour bars whose luma falls from left to
right on a camera and rises on a screen share, with white flashes and sine beeps at
chosen instants; these helpers find those marks again in what the pipeline produced.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

AUDIO_RATE = 48_000
_TIMEOUT = 120
_PTS_TIME = re.compile(r"pts_time:\s*(-?[0-9.]+)")


# -- ffprobe -----------------------------------------------------------------------------


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's streams and format of `path`, as JSON."""
    argv = ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)]
    found = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT, check=True)
    info: dict[str, Any] = json.loads(found.stdout)
    return info


def codecs(path: Path) -> list[tuple[str, str]]:
    """(codec_type, codec_name) of every stream, e.g. [("video", "h264"), ("audio", "aac")]."""
    return [(s["codec_type"], s["codec_name"]) for s in probe(path)["streams"]]


def duration(path: Path) -> float:
    return float(probe(path)["format"]["duration"])


def stream_start(path: Path, kind: str) -> float:
    """The start time of the first `kind` ("video" or "audio") stream."""
    streams = [s for s in probe(path)["streams"] if s["codec_type"] == kind]
    return float(streams[0].get("start_time", 0.0))


def decode_errors(path: Path) -> str:
    """What `ffmpeg -v error` says while decoding the whole file ("" when it plays)."""
    argv = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "null", "-"]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    return run.stderr.strip() if run.returncode == 0 else f"exit {run.returncode}: {run.stderr}"


# -- video -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frames:
    """Decoded luma frames (n, height, width) and their presentation times in seconds."""

    times: np.ndarray
    luma: np.ndarray

    def at(self, seconds: float) -> np.ndarray:
        """The frame shown at `seconds` (the last one that started at or before it)."""
        index = int(np.searchsorted(self.times, seconds, side="right")) - 1
        return self.luma[max(index, 0)]

    def mean(self, region: tuple[float, float, float, float] = (0, 0, 1, 1)) -> np.ndarray:
        """Mean luma per frame inside `region` = (x0, y0, x1, y1) as fractions of the frame."""
        height, width = self.luma.shape[1:]
        x0, y0, x1, y1 = region
        part = self.luma[:, int(y0 * height) : int(y1 * height), int(x0 * width) : int(x1 * width)]
        return np.asarray(part.mean(axis=(1, 2)))


def video_frames(path: Path, width: int = 160, height: int = 90) -> Frames:
    """Every frame of the first video stream, scaled down to luma only, with its time."""
    argv = [
        "ffmpeg", "-nostdin", "-v", "info", "-i", str(path), "-map", "0:v:0",
        "-vf", f"scale={width}:{height},showinfo", "-fps_mode", "passthrough",
        "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1",
    ]  # fmt: skip
    run = subprocess.run(argv, capture_output=True, timeout=_TIMEOUT, check=True)
    times = [float(t) for t in _PTS_TIME.findall(run.stderr.decode(errors="replace"))]
    luma = np.frombuffer(run.stdout, dtype=np.uint8).reshape(-1, height, width)
    if len(times) != len(luma):
        raise AssertionError(f"{len(times)} frame times for {len(luma)} frames")
    return Frames(np.array(times), luma)


def rising_edges(times: np.ndarray, values: np.ndarray, threshold: float) -> list[float]:
    """The times where `values` goes from below `threshold` to at or above it."""
    above = values >= threshold
    starts = np.flatnonzero(above[1:] & ~above[:-1]) + 1
    return [float(times[i]) for i in starts]


def flash_onsets(
    frames: Frames,
    region: tuple[float, float, float, float] = (0, 0, 1, 1),
    threshold: float = 215.0,
) -> list[float]:
    """When a white flash begins inside `region` (mean luma jumps near white)."""
    return rising_edges(frames.times, frames.mean(region), threshold)


def bars_direction(frame: np.ndarray, band: tuple[float, float] = (0.08, 0.3)) -> int:
    """+1 when the bars' luma rises left to right (the bots' screen share), -1 when it
    falls (their camera), 0 when the frame shows no bars (a name card, black)."""
    height, width = frame.shape
    rows = frame[int(band[0] * height) : int(band[1] * height)]
    columns = [rows[:, int((k + 0.5) * width / 7)].mean() for k in range(7)]
    steps = np.diff(columns)
    if np.all(steps > 10):
        return 1
    if np.all(steps < -10):
        return -1
    return 0


# -- audio -------------------------------------------------------------------------------


def audio_samples(path: Path, rate: int = AUDIO_RATE) -> np.ndarray:
    """The first audio stream as mono float samples at `rate`, from the file's time 0."""
    argv = [
        "ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
        "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    run = subprocess.run(argv, capture_output=True, timeout=_TIMEOUT, check=True)
    return np.frombuffer(run.stdout, dtype="<f4").astype(np.float64)


def tone_level(
    samples: np.ndarray, frequency: float, rate: int = AUDIO_RATE, window: float = 0.01
) -> np.ndarray:
    """Per sample, the amplitude of `frequency` over a centred `window` (a lock-in detector:
    mix down to 0 Hz, then average). A sine of amplitude A reads A; other tones far less."""
    phase = np.exp(-2j * np.pi * frequency * np.arange(len(samples)) / rate)
    mixed = np.concatenate([[0], np.cumsum(samples * phase)])
    size = max(int(window * rate), 1)
    level = np.zeros(len(samples))
    half = size // 2
    sums = mixed[size:] - mixed[:-size]
    level[half : half + len(sums)] = 2 * np.abs(sums) / size
    return level


def tone_onsets(
    samples: np.ndarray,
    frequency: float,
    rate: int = AUDIO_RATE,
    minimum: float = 0.1,
    hold: float = 0.03,
) -> list[float]:
    """When beeps of `frequency` start, in seconds: the level crosses half its peak and
    stays above it for `hold` seconds. Empty when the tone never reaches `minimum`."""
    level = tone_level(samples, frequency, rate)
    peak = float(np.percentile(level, 99.5)) if len(level) else 0.0
    if peak < minimum:
        return []
    above = level >= peak / 2
    starts = np.flatnonzero(above[1:] & ~above[:-1]) + 1
    span = int(hold * rate)
    return [i / rate for i in starts if above[i : i + span].all()]


def nearest(value: float, candidates: list[float]) -> float:
    """The difference between `value` and the closest of `candidates` (inf when none)."""
    if not candidates:
        return float("inf")
    return min((c - value for c in candidates), key=abs)


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text())
