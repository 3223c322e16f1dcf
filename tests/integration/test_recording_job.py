"""The recording job against a real store (SQLite and PostgreSQL): lease, retries, idempotency.

The media tools are replaced at their boundary (the pipeline's `produce`), so these tests
can fail a run on purpose; the real pipeline runs in test_recording_pipeline.py and
test_recording_live.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from huey.exceptions import RetryTask

from ngage.config import Settings
from ngage.recordings.kinds import AUDIO_ONLY, COMPOSITE_VIDEO
from ngage.recordings.pipeline import ProcessingError, Produced
from ngage.recordings.processing import RecordingJob, retry_delay
from ngage.recordings.storage import LocalStorage
from ngage.recordings.timeline import Segment, Timeline
from ngage.store import RecordingRecord, Store, open_store
from ngage.store.migrate import upgrade
from tests.integration.test_store import app_record, meeting_record
from tests.postgres import Cluster

RECORDING = "r" + "0" * 24


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ngage.db'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    await asyncio.to_thread(upgrade, database_url)
    opened = await open_store(database_url)
    try:
        meeting = meeting_record("NVA0000001", 1)
        await opened.add_app(app_record(1))
        await opened.add_meeting(meeting)
        timeline = Timeline(RECORDING, meeting.meeting_id, "Topic", [Segment(0, 10**6)], {}, [])
        await opened.add_recording(processing(meeting.meeting_id, timeline))
        yield opened
    finally:
        await opened.close()


def processing(meeting_id: str, timeline: Timeline) -> RecordingRecord:
    return RecordingRecord(
        recording_id=RECORDING,
        meeting_id=meeting_id,
        status="processing",
        started_at_us=0,
        stopped_at_us=10**6,
        timeline_json=orjson.dumps(timeline.to_json()).decode(),
        progress=0,
        error=None,
        attempts=0,
        claimed_by=None,
        claimed_until_ms=None,
        updated_at_ms=0,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", recording_attempts=3, recording_lease_seconds=30)


def job(settings: Settings, store: Store, make: Callable[..., list[Produced]]) -> RecordingJob:
    storage = LocalStorage(settings.recordings_dir)
    return RecordingJob(settings, store, storage, RECORDING, make_files=make)


def failing(*args: Any) -> list[Produced]:
    raise ProcessingError("ffmpeg exited with 1")


def making(calls: list[int]) -> Callable[..., list[Produced]]:
    def make(raw: Path, timeline: Timeline, out: Path, *rest: Any) -> list[Produced]:
        calls.append(1)
        out.mkdir(parents=True, exist_ok=True)
        made = []
        for kind, name in ((COMPOSITE_VIDEO, "a.mp4"), (AUDIO_ONLY, "a.m4a")):
            (out / name).write_bytes(b"media" * 100)
            made.append(Produced(kind, out / name, 500))
        return made

    return make


async def test_a_failing_run_is_retried_with_backoff_then_marked_failed(
    settings: Settings, store: Store
) -> None:
    delays = []
    for _ in range(2):
        with pytest.raises(RetryTask) as retry:
            await job(settings, store, failing).run()
        delays.append(retry.value.delay)
        recording = await store.find_recording(RECORDING)
        assert recording is not None and recording.status == "processing"
        assert recording.claimed_by is None  # free for the retry
        assert "ffmpeg exited with 1" in (recording.error or "")
    assert delays == [retry_delay(1), retry_delay(2)] == [5.0, 10.0]
    await job(settings, store, failing).run()  # the third and last attempt
    recording = await store.find_recording(RECORDING)
    assert recording is not None and (recording.status, recording.attempts) == ("failed", 3)
    assert await store.recording_files([recording.meeting_id]) == []


async def test_files_are_listed_once_however_often_the_job_runs(
    settings: Settings, store: Store
) -> None:
    calls: list[int] = []
    await job(settings, store, making(calls)).run()
    await job(settings, store, making(calls)).run()  # a duplicate delivery
    recording = await store.find_recording(RECORDING)
    assert recording is not None and (recording.status, recording.progress) == ("completed", 100)
    files = await store.recording_files([recording.meeting_id])
    assert sorted(f.file_type for f in files) == ["M4A", "MP4"] and calls == [1]
    for file in files:
        stored = await LocalStorage(settings.recordings_dir).locate(file.path)
        assert stored is not None and file.size_bytes == 500
    assert not (settings.data_dir / "work").exists() or not any(
        (settings.data_dir / "work").iterdir()
    )


async def test_a_live_lease_keeps_other_workers_away(settings: Settings, store: Store) -> None:
    now = int(time.time() * 1000)
    assert await store.claim_recording(RECORDING, "other-worker", now + 60_000, now, True)
    calls: list[int] = []
    with pytest.raises(RetryTask) as retry:  # a live lease: come back when it may be over
        await job(settings, store, making(calls)).run()
    assert retry.value.delay == settings.recording_lease_seconds and calls == []
