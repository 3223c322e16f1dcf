"""The recording job: raw streams + timeline -> MP4, M4A and companion files, listed once.

A thin, idempotent consumer (it does only what is still missing) around
`ngage.recordings.pipeline.produce`. It holds a renewable lease on the recording
so two workers never process it at once, and a crashed worker's job is taken over
when its lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import secrets
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

import orjson
from huey.exceptions import RetryTask

from ngage.config import Settings
from ngage.recordings.control import PROCESSING, raw_dir
from ngage.recordings.pipeline import OutputOptions, Produced, produce
from ngage.recordings.storage import LocalStorage, RecordingStorage
from ngage.recordings.timeline import Timeline
from ngage.store import IdCollision, RecordingFileRecord, RecordingRecord, Store, open_store

log = logging.getLogger("ngage.recordings")


def now_ms() -> int:
    return int(time.time() * 1000)


def retry_delay(attempts: int) -> float:
    """Exponential backoff: 5 s, 10 s, 20 s, ... at most 5 minutes."""
    return float(min(5 * 2 ** max(attempts - 1, 0), 300))


def file_id(recording_id: str, file_type: str) -> str:
    """The same file of the same recording always gets the same id: registering is idempotent."""
    return hashlib.sha256(f"{recording_id}:{file_type}".encode()).hexdigest()[:32]


def work_dir(settings: Settings, recording_id: str) -> Path:
    """Where the pipeline makes a recording's files before they go to storage."""
    return settings.data_dir.resolve() / "work" / recording_id


def storage_key(recording: RecordingRecord, name: str) -> str:
    return f"{recording.meeting_id}/{recording.recording_id}/{name}"


async def process_recording(settings: Settings, recording_id: str) -> None:
    store = await open_store(settings.store_url)
    try:
        storage = LocalStorage(settings.recordings_dir)
        await RecordingJob(settings, store, storage, recording_id).run()
    finally:
        await store.close()


class RecordingJob:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        storage: RecordingStorage,
        recording_id: str,
        make_files: Callable[..., list[Produced]] = produce,
    ) -> None:
        self._settings = settings
        self._store = store
        self._storage = storage
        self._make_files = make_files
        self._id = recording_id
        self._worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._lease_ms = int(settings.recording_lease_seconds * 1000)

    async def run(self) -> None:
        recording = await self._store.find_recording(self._id)
        if recording is None or recording.status != PROCESSING:
            return  # done already, or not ours to do
        if not await self._claim(attempt=True):
            raise RetryTask(delay=self._settings.recording_lease_seconds)
        try:
            await self._process(recording)
        except Exception as error:  # any failure of the media tools: retried, then failed
            await self._failed(recording, error)

    async def _claim(self, attempt: bool) -> bool:
        now = now_ms()
        return await self._store.claim_recording(
            self._id, self._worker, now + self._lease_ms, now, attempt
        )

    async def _process(self, recording: RecordingRecord) -> None:
        started = time.monotonic()
        log.info("recording %s: processing (attempt %d)", self._id, recording.attempts + 1)
        produced = await self._produce(recording)
        for item in produced:
            await self._register(recording, item)
        await self._store.finish_recording(self._id, self._worker, "completed", None, now_ms())
        await self._clean_up()
        log.info(
            "recording %s: %d files in %.1f s", self._id, len(produced), time.monotonic() - started
        )

    async def _produce(self, recording: RecordingRecord) -> list[Produced]:
        timeline = Timeline.from_json(orjson.loads(recording.timeline_json or "null"))
        loop = asyncio.get_running_loop()

        def progress(stage: str, fraction: float) -> None:
            log.info("recording %s: %s %.0f%%", self._id, stage, 100 * fraction)
            asyncio.run_coroutine_threadsafe(self._progress(fraction), loop)

        heartbeat = asyncio.create_task(self._keep_lease())
        try:
            return await asyncio.to_thread(
                self._make_files,
                raw_dir(self._settings.recordings_dir, self._id),
                timeline,
                work_dir(self._settings, self._id),
                OutputOptions(),
                progress,
            )
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def _progress(self, fraction: float) -> None:
        now = now_ms()
        await self._store.recording_progress(
            self._id, self._worker, int(99 * fraction), now + self._lease_ms, now
        )

    async def _keep_lease(self) -> None:
        while True:
            await asyncio.sleep(self._lease_ms / 3000)
            await self._claim(attempt=False)

    async def _register(self, recording: RecordingRecord, item: Produced) -> None:
        key = storage_key(recording, item.path.name)
        size = await self._storage.save(item.path, key)
        record = RecordingFileRecord(
            file_id=file_id(self._id, item.kind.file_type),
            meeting_id=recording.meeting_id,
            file_type=item.kind.file_type,
            file_extension=item.kind.file_extension,
            recording_type=item.kind.recording_type,
            path=key,
            size_bytes=size,
            created_at_ms=now_ms(),
            recording_id=self._id,
        )
        with contextlib.suppress(IdCollision):  # listed by an earlier attempt already
            await self._store.add_recording_file(record)

    async def _clean_up(self) -> None:
        doomed = [work_dir(self._settings, self._id)]
        if not self._settings.keep_raw_recordings:
            doomed.append(raw_dir(self._settings.recordings_dir, self._id))
        for directory in doomed:
            await asyncio.to_thread(shutil.rmtree, directory, True)

    async def _failed(self, recording: RecordingRecord, error: Exception) -> None:
        attempts = recording.attempts + 1
        text = f"{type(error).__name__}: {error}"[:2000]
        if attempts >= self._settings.recording_attempts:
            log.error(
                "recording %s failed for good after %d attempts: %s", self._id, attempts, text
            )
            await self._store.finish_recording(self._id, self._worker, "failed", text, now_ms())
            return
        delay = retry_delay(attempts)
        log.warning(
            "recording %s: attempt %d failed (%s); retry in %.0f s", self._id, attempts, text, delay
        )
        await self._store.finish_recording(self._id, self._worker, PROCESSING, text, now_ms())
        raise RetryTask(delay=delay) from error
