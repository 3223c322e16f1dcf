"""Synthetic media a test participant sends, and the counters of what it receives.

The camera sends a sine tone and a moving test pattern; either can mark given instants
(a beep, a white flash) so recordings can be checked for sync. Instants are seconds
after the bot's `MediaClock` epoch, which its first frame of any track sets.
"""

from __future__ import annotations

import asyncio
import fractions
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame
from av.frame import Frame

AUDIO_RATE = 48_000
AUDIO_SAMPLES = 960  # 20 ms, what Opus packs
VIDEO_RATE = 90_000
_BLACK = (16, 128, 128)
_WHITE = (235, 128, 128)
# BT.601 limited-range YUV of white, yellow, cyan, green, magenta, red, blue (SMPTE bars).
_BARS = (
    (235, 128, 128),
    (210, 16, 146),
    (170, 166, 16),
    (145, 54, 34),
    (106, 202, 222),
    (81, 90, 240),
    (41, 240, 110),
)


@dataclass(frozen=True)
class MediaSpec:
    """What a bot publishes: tone and pattern, and the instants to mark."""

    tone_hz: float = 440.0
    amplitude: float = 0.3
    beeps_at: tuple[float, ...] = ()  # when given, the tone sounds only at these instants
    beep_seconds: float = 0.1
    flashes_at: tuple[float, ...] = ()
    flash_seconds: float = 0.2
    width: int = 640
    height: int = 360
    fps: int = 15


class MediaClock:
    """The epoch shared by a bot's tracks: instants in a MediaSpec count from it."""

    def __init__(self) -> None:
        self.epoch: float | None = None  # time.monotonic()
        self.epoch_wall: float | None = None  # time.time() at the same moment

    def elapsed(self) -> float:
        if self.epoch is None:
            self.epoch, self.epoch_wall = time.monotonic(), time.time()
        return time.monotonic() - self.epoch


def _in_windows(instants: tuple[float, ...], length: float, at: np.ndarray) -> np.ndarray:
    inside = np.zeros(at.shape, dtype=bool)
    for start in instants:
        inside |= (at >= start) & (at < start + length)
    return inside


class _PacedTrack(MediaStreamTrack):
    """A track that hands out frames in real time at a fixed step of its clock rate."""

    def __init__(self, clock: MediaClock, rate: int, step: int) -> None:
        super().__init__()
        self.clock = clock
        self.enabled = True  # False: silence or black, like a muted browser track
        self._rate, self._step = rate, step
        self._pts = -step
        self._start = 0.0

    async def _next_pts(self) -> int:
        if self.readyState != "live":
            raise MediaStreamError
        self._pts += self._step
        if self._pts == 0:
            self._start = time.monotonic()
            self.clock.elapsed()
        delay = self._start + self._pts / self._rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        return self._pts

    def _seconds(self, pts: int) -> float:
        """Where `pts` falls on the bot's MediaClock."""
        epoch = self._start if self.clock.epoch is None else self.clock.epoch
        return self._start - epoch + pts / self._rate


class ToneTrack(_PacedTrack):
    """Mono 48 kHz sine tone; with `beeps_at`, silence except for short beeps."""

    kind = "audio"

    def __init__(self, spec: MediaSpec, clock: MediaClock) -> None:
        super().__init__(clock, AUDIO_RATE, AUDIO_SAMPLES)
        self.spec = spec

    async def recv(self) -> Frame:
        pts = await self._next_pts()
        frame = AudioFrame.from_ndarray(self._samples(pts), format="s16", layout="mono")
        frame.sample_rate, frame.pts = AUDIO_RATE, pts
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        return frame

    def _samples(self, pts: int) -> np.ndarray:
        index = pts + np.arange(AUDIO_SAMPLES)
        wave = self.spec.amplitude * np.sin(2 * math.pi * self.spec.tone_hz * index / AUDIO_RATE)
        if self.spec.beeps_at:
            at = self._seconds(pts) + np.arange(AUDIO_SAMPLES) / AUDIO_RATE
            wave *= _in_windows(self.spec.beeps_at, self.spec.beep_seconds, at)
        if not self.enabled:
            wave[:] = 0
        return (wave * 32767).astype(np.int16).reshape(1, -1)


def _bars(width: int, height: int, reverse: bool) -> np.ndarray:
    """One yuv420p frame of vertical colour bars, as from_ndarray wants it."""
    bars = _BARS[::-1] if reverse else _BARS
    columns = np.array([bars[x * len(bars) // width] for x in range(width)], dtype=np.uint8)
    image = np.empty((height * 3 // 2, width), dtype=np.uint8)
    image[:height] = columns[:, 0]
    chroma = columns[::2]
    quarter = height // 4
    image[height : height + quarter] = np.concatenate([chroma[:, 1], chroma[:, 1]])
    image[height + quarter :] = np.concatenate([chroma[:, 2], chroma[:, 2]])
    return image


def _fill(image: np.ndarray, yuv: tuple[int, int, int], height: int) -> None:
    image[:height], image[height : height + height // 4], image[height + height // 4 :] = yuv


class PatternTrack(_PacedTrack):
    """Colour bars with a box sweeping across; white frames at `flashes_at`.

    The `screen` variant has its bars reversed and a slower box, so the two feeds differ.
    """

    kind = "video"

    def __init__(self, spec: MediaSpec, clock: MediaClock, screen: bool = False) -> None:
        super().__init__(clock, VIDEO_RATE, VIDEO_RATE // spec.fps)
        self.spec = spec
        self._base = _bars(spec.width, spec.height, reverse=screen)
        self._speed = 2 if screen else 8  # pixels per frame

    async def recv(self) -> Frame:
        pts = await self._next_pts()
        frame = VideoFrame.from_ndarray(self._image(pts), format="yuv420p")
        frame.pts, frame.time_base = pts, fractions.Fraction(1, VIDEO_RATE)
        return frame

    def _image(self, pts: int) -> np.ndarray:
        image = self._base.copy()
        height = self.spec.height
        if not self.enabled:
            _fill(image, _BLACK, height)
        elif self._flashing(pts):
            _fill(image, _WHITE, height)
        else:
            self._draw_box(image, pts // self._step)
        return image

    def _flashing(self, pts: int) -> bool:
        at = np.array([self._seconds(pts)])
        return bool(_in_windows(self.spec.flashes_at, self.spec.flash_seconds, at)[0])

    def _draw_box(self, image: np.ndarray, index: int) -> None:
        side = self.spec.height // 4
        x = (index * self._speed) % (self.spec.width - side)
        y = (self.spec.height - side) // 2
        image[y : y + side, x : x + side] = 16


@dataclass
class FeedStats:
    """What one watched feed delivered to a bot (times are time.monotonic())."""

    feed: int
    participant_id: str
    kind: str
    video_frames: int = 0
    audio_frames: int = 0
    width: int = 0
    height: int = 0
    first_video_at: float | None = None
    last_video_at: float | None = None
    first_audio_at: float | None = None
    sizes: set[tuple[int, int]] = field(default_factory=set)
    # The last second or so of decoded audio (mono), to tell what it carries.
    audio_tail: deque[np.ndarray] = field(default_factory=lambda: deque(maxlen=50))
    audio_rate: int = AUDIO_RATE

    def add(self, frame: Frame) -> None:
        now = time.monotonic()
        if isinstance(frame, VideoFrame):
            self.video_frames += 1
            self.width, self.height = frame.width, frame.height
            self.sizes.add((frame.width, frame.height))
            self.first_video_at = self.first_video_at or now
            self.last_video_at = now
        else:
            self.audio_frames += 1
            self.first_audio_at = self.first_audio_at or now
            if isinstance(frame, AudioFrame):
                self._keep_audio(frame)

    def _keep_audio(self, frame: AudioFrame) -> None:
        channels = len(frame.layout.channels)
        samples = frame.to_ndarray().astype(np.float64).reshape(-1, channels).mean(axis=1)
        self.audio_tail.append(samples / 32768)
        self.audio_rate = frame.sample_rate

    def tone(self) -> tuple[float, float]:
        """(loudest frequency in Hz, RMS level 0..1) of the audio kept in `audio_tail`."""
        if not self.audio_tail:
            return 0.0, 0.0
        frequencies, spectrum = self._spectrum()
        peak = float(frequencies[int(spectrum.argmax())])
        samples = np.concatenate(list(self.audio_tail))
        return peak, float(np.sqrt(np.mean(samples**2)))

    def level_at(self, hz: float, width: float = 10.0) -> float:
        """The spectrum's strongest magnitude within `width` Hz of `hz` (a sine of amplitude A
        reads about A)."""
        frequencies, spectrum = self._spectrum()
        band = spectrum[np.abs(frequencies - hz) <= width]
        return float(band.max()) if band.size else 0.0

    def _spectrum(self) -> tuple[np.ndarray, np.ndarray]:
        samples = np.concatenate(list(self.audio_tail)) if self.audio_tail else np.zeros(2)
        window = np.hanning(len(samples))
        spectrum = np.abs(np.fft.rfft(samples * window)) * 2 / window.sum()
        spectrum[0] = 0
        return np.fft.rfftfreq(len(samples), 1 / self.audio_rate), spectrum


async def count_frames(
    track: MediaStreamTrack, stats: FeedStats, notify: Callable[[], None]
) -> None:
    """Receive `track` until it ends, counting into `stats`; calls `notify()` per frame."""
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        if isinstance(frame, Frame):
            stats.add(frame)
            notify()
