"""The recording job queue (huey): SQLite in the data directory, or Redis when configured.

Any process can enqueue; `ngage serve` consumes with worker threads (or `ngage worker`
does, on other machines). The job itself is `ngage.recordings.processing`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from ngage.config import Settings

log = logging.getLogger("ngage.recordings")

TASK_NAME = "process_recording"


def build_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey("ngage", url=settings.redis_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("ngage", filename=str(settings.data_dir.resolve() / "jobs.db"))


class RecordingJobs:
    def __init__(self, settings: Settings) -> None:
        self.huey = build_huey(settings)
        self._settings = settings
        self._task: Any = self.huey.task(name=TASK_NAME)(self._run)

    async def enqueue(self, recording_id: str) -> None:
        # huey's enqueue is a blocking write to its storage.
        await asyncio.to_thread(self._task, recording_id)

    def enqueue_now(self, recording_id: str) -> None:
        self._task(recording_id)

    def _run(self, recording_id: str) -> None:
        from ngage.recordings.processing import process_recording

        asyncio.run(process_recording(self._settings, recording_id))


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]
    def _set_signal_handlers(self) -> None:
        """The server owns the process's signals; it stops this consumer itself."""


class JobWorkers:
    """Consumer threads running recording jobs inside this process."""

    def __init__(self, jobs: RecordingJobs, workers: int) -> None:
        self._consumer = _EmbeddedConsumer(
            jobs.huey, workers=workers, worker_type="thread", periodic=False
        )

    def start(self) -> None:
        self._consumer.start()

    def stop(self) -> None:
        self._consumer.stop(graceful=False)
