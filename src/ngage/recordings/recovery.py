"""At start-up: finish what a stopped ngage left undone (its jobs, its recordings)."""

from __future__ import annotations

import logging
import time

import orjson

from ngage.config import Settings
from ngage.recordings.assemble import assemble
from ngage.recordings.control import PAUSED, PROCESSING, RECORDING
from ngage.recordings.jobs import RecordingJobs
from ngage.store import RecordingRecord, Store, open_store

log = logging.getLogger("ngage.recordings")


async def recover(settings: Settings, jobs: RecordingJobs, stop_interrupted: bool) -> int:
    """Queue every recording still to process; returns how many.

    `stop_interrupted`: recordings that were on when ngage stopped are over (their
    Janus stopped with ngage): they are closed at their last event and processed.
    """
    store = await open_store(settings.store_url)
    try:
        if stop_interrupted:
            for status in (RECORDING, PAUSED):
                for recording in await store.recordings_with_status(status):
                    await _close_interrupted(store, recording)
        pending = await store.recordings_with_status(PROCESSING)
        for recording in pending:
            await jobs.enqueue(recording.recording_id)
        return len(pending)
    finally:
        await store.close()


async def _close_interrupted(store: Store, recording: RecordingRecord) -> None:
    meeting = await store.find_meeting(recording.meeting_id)
    events = await store.meeting_events(recording.meeting_id, time.time_ns() // 1000)
    ended_us = max([e.at_us for e in events] + [recording.started_at_us])
    topic = meeting.topic if meeting else ""
    timeline = assemble(recording.recording_id, recording.meeting_id, topic, events, ended_us)
    document = orjson.dumps(timeline.to_json()).decode()
    await store.stop_recording(recording.recording_id, ended_us, document, int(time.time() * 1000))
    log.warning(
        "recording %s was interrupted by a restart; processing what was recorded",
        recording.recording_id,
    )
