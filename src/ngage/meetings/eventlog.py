"""The meeting event log: who joined, left, published, spoke, when (for recordings).

Signaling must not wait for the store, so events queue here and a background
task writes them; `flush()` waits until everything recorded so far is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import orjson

from ngage.errors import NgageError
from ngage.store import EventRecord, Store

log = logging.getLogger("ngage.meetings")


def wall_clock_us() -> int:
    return time.time_ns() // 1000


class EventLog:
    def __init__(self, store: Store, clock_us: Callable[[], int] = wall_clock_us) -> None:
        self._store = store
        self._clock_us = clock_us
        self._pending: asyncio.Queue[EventRecord] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write_forever())

    def record(
        self,
        meeting_id: str,
        kind: str,
        participant_id: str,
        *,
        feed: int | None = None,
        feed_kind: str | None = None,
        **data: Any,
    ) -> int:
        """Queue an event stamped now; returns its time (microseconds since the epoch)."""
        at_us = self._clock_us()
        payload = orjson.dumps(data).decode()
        event = EventRecord(meeting_id, at_us, kind, participant_id, feed, feed_kind, payload)
        self._pending.put_nowait(event)
        return at_us

    async def flush(self) -> None:
        """Until every event recorded so far is in the store."""
        await self._pending.join()

    async def _write_forever(self) -> None:
        while True:
            batch = [await self._pending.get()]
            while not self._pending.empty():
                batch.append(self._pending.get_nowait())
            try:
                await self._store.add_events(batch)
            except NgageError as error:
                log.error("could not store %d meeting events: %s", len(batch), error.describe())
            finally:
                for _ in batch:
                    self._pending.task_done()

    async def close(self) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self.flush()
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
