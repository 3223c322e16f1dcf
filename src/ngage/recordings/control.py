"""Starting, pausing, resuming and stopping a meeting's cloud recording.

Janus records every published stream of the meeting's room while recording is on;
stopping freezes the meeting's timeline into the recording and queues the job that
turns the raw streams into MP4 and M4A files.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson

from ngage.errors import MediaError, MediaUnavailable, NotFound
from ngage.meetings.eventlog import EventLog
from ngage.meetings.media import MediaPlane
from ngage.recordings.assemble import assemble
from ngage.store import RecordingRecord, Store

log = logging.getLogger("ngage.recordings")

RECORDING, PAUSED, PROCESSING = "recording", "paused", "processing"
Enqueue = Callable[[str], Awaitable[None]]


def raw_dir(recordings_dir: Path, recording_id: str) -> Path:
    """Where Janus writes a recording's streams."""
    return recordings_dir.resolve() / "raw" / recording_id


class RecordingControl:
    def __init__(
        self,
        store: Store,
        media: MediaPlane | None,
        events: EventLog,
        enqueue: Enqueue,
        recordings_dir: Path,
    ) -> None:
        self._store = store
        self._media = media
        self._events = events
        self._enqueue = enqueue
        self._dir = recordings_dir
        self._lock = asyncio.Lock()  # one recording change at a time in this process

    def _now_ms(self) -> int:
        return int(time.time() * 1000)

    async def state(self, meeting_id: str) -> str | None:
        """`recording`, `paused`, or None."""
        active = await self._store.active_recording(meeting_id)
        return active.status if active else None

    async def start(self, meeting_id: str, topic: str, by: str) -> str:
        """Start recording (or resume a paused one); returns the new state."""
        async with self._lock:
            active = await self._store.active_recording(meeting_id)
            if active is not None and active.status == PAUSED:
                return await self._switch(active, PAUSED, RECORDING, by)
            if active is not None:
                return RECORDING
            recording = await self._new(meeting_id)
            await self._janus(meeting_id, recording.recording_id, True, topic)
            self._events.record(
                meeting_id, "recording-started", by, recording_id=recording.recording_id
            )
            return RECORDING

    async def pause(self, meeting_id: str, by: str) -> str:
        async with self._lock:
            active = await self._active(meeting_id)
            if active.status == PAUSED:
                return PAUSED
            return await self._switch(active, RECORDING, PAUSED, by)

    async def resume(self, meeting_id: str, topic: str, by: str) -> str:
        return await self.start(meeting_id, topic, by)

    async def stop(self, meeting_id: str, topic: str, by: str) -> None:
        """Stop the meeting's recording, if any, and queue its processing."""
        async with self._lock:
            active = await self._store.active_recording(meeting_id)
            if active is None:
                return
            if active.status == RECORDING:
                await self._janus_quietly(meeting_id, active.recording_id, False)
            stopped_us = self._events.record(
                meeting_id, "recording-stopped", by, recording_id=active.recording_id
            )
            await self._freeze(active, meeting_id, topic, stopped_us)

    async def reapply(self, meeting_id: str, topic: str) -> None:
        """After Janus restarted, turn recording back on in the meeting's new room."""
        active = await self._store.active_recording(meeting_id)
        if active is not None and active.status == RECORDING:
            await self._janus(meeting_id, active.recording_id, True, topic)

    async def _active(self, meeting_id: str) -> RecordingRecord:
        active = await self._store.active_recording(meeting_id)
        if active is None:
            raise NotFound("the meeting is not being recorded")
        return active

    async def _new(self, meeting_id: str) -> RecordingRecord:
        recording_id = "r" + secrets.token_hex(12)
        await asyncio.to_thread(raw_dir(self._dir, recording_id).mkdir, parents=True)
        recording = RecordingRecord(
            recording_id=recording_id,
            meeting_id=meeting_id,
            status=RECORDING,
            started_at_us=time.time_ns() // 1000,
            stopped_at_us=None,
            timeline_json=None,
            progress=0,
            error=None,
            attempts=0,
            claimed_by=None,
            claimed_until_ms=None,
            updated_at_ms=self._now_ms(),
        )
        await self._store.add_recording(recording)
        return recording

    async def _switch(self, active: RecordingRecord, old: str, new: str, by: str) -> str:
        on = new == RECORDING
        await self._janus(active.meeting_id, active.recording_id, on)
        await self._store.set_recording_status(active.recording_id, old, new, self._now_ms())
        kind = "recording-resumed" if on else "recording-paused"
        self._events.record(active.meeting_id, kind, by, recording_id=active.recording_id)
        return new

    async def _janus(self, meeting_id: str, recording_id: str, on: bool, topic: str = "") -> None:
        if self._media is None:
            raise MediaUnavailable("live meetings are not enabled on this server")
        if on:
            await self._media.open_room(meeting_id, topic)
        await self._media.record(meeting_id, str(raw_dir(self._dir, recording_id)), on)

    async def _janus_quietly(self, meeting_id: str, recording_id: str, on: bool) -> None:
        # Stopping must work even when Janus is gone (it then recorded nothing more).
        try:
            await self._janus(meeting_id, recording_id, on)
        except (MediaError, MediaUnavailable) as error:
            log.warning("could not stop Janus recording for %s: %s", meeting_id, error)

    async def _freeze(
        self, active: RecordingRecord, meeting_id: str, topic: str, stopped_us: int
    ) -> None:
        await self._events.flush()
        events = await self._store.meeting_events(meeting_id, stopped_us)
        timeline = assemble(active.recording_id, meeting_id, topic, events, stopped_us)
        document = orjson.dumps(timeline.to_json()).decode()
        if await self._store.stop_recording(
            active.recording_id, stopped_us, document, self._now_ms()
        ):
            await self._enqueue(active.recording_id)
            log.info("recording %s stopped; processing queued", active.recording_id)
