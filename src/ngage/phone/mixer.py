"""The meeting's audio as the callee hears it: every watched feed, summed and clipped.

Each source (a feed's decoded audio) is resampled to 48 kHz mono and queued in 20 ms
chunks; the mixed track takes one chunk of each source every 20 ms. A short queue
bound keeps the delay low when a source bursts, and a missing chunk is silence.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from collections import deque
from collections.abc import Sequence

import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, AudioResampler
from av.frame import Frame

RATE = 48_000
CHUNK = 960  # 20 ms, what Opus packs
_MAX_QUEUED = 10  # chunks per source: at most 200 ms of delay


def mix(chunks: Sequence[np.ndarray]) -> np.ndarray:
    """The sum of int16 chunks of CHUNK samples, clipped to int16 (silence for none)."""
    total = np.zeros(CHUNK, dtype=np.int32)
    for chunk in chunks:
        total += chunk.astype(np.int32)
    return np.clip(total, -32768, 32767).astype(np.int16)


class Mixer:
    """Per-source queues of 20 ms chunks."""

    def __init__(self) -> None:
        self._queues: dict[int, deque[np.ndarray]] = {}
        self._partial: dict[int, np.ndarray] = {}

    def add_source(self, key: int) -> None:
        self._queues[key] = deque(maxlen=_MAX_QUEUED)
        self._partial[key] = np.zeros(0, dtype=np.int16)

    def remove_source(self, key: int) -> None:
        self._queues.pop(key, None)
        self._partial.pop(key, None)

    def push(self, key: int, samples: np.ndarray) -> None:
        """Mono int16 samples at RATE from one source."""
        queue = self._queues.get(key)
        if queue is None:
            return
        pending = np.concatenate([self._partial[key], samples])
        whole = len(pending) // CHUNK * CHUNK
        queue.extend(pending[start : start + CHUNK] for start in range(0, whole, CHUNK))
        self._partial[key] = pending[whole:]

    def take(self) -> np.ndarray:
        """The next 20 ms of the mix."""
        return mix([queue.popleft() for queue in self._queues.values() if queue])


async def feed_mixer(track: MediaStreamTrack, mixer: Mixer, key: int) -> None:
    """Decode `track` into the mixer until it ends."""
    resampler = AudioResampler(format="s16", layout="mono", rate=RATE)
    mixer.add_source(key)
    try:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if isinstance(frame, AudioFrame):
                for resampled in resampler.resample(frame):
                    mixer.push(key, resampled.to_ndarray().reshape(-1))
    finally:
        mixer.remove_source(key)


class MixedTrack(MediaStreamTrack):
    """An audio track that hands out the mix in real time, 20 ms per frame."""

    kind = "audio"

    def __init__(self, mixer: Mixer) -> None:
        super().__init__()
        self._mixer = mixer
        self._pts = 0
        self._start: float | None = None

    async def recv(self) -> Frame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        delay = self._start + self._pts / RATE - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        frame = AudioFrame.from_ndarray(
            self._mixer.take().reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate, frame.pts = RATE, self._pts
        frame.time_base = fractions.Fraction(1, RATE)
        self._pts += CHUNK
        return frame
