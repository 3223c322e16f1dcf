"""The store's logic, written once over three driver primitives.

Each engine module supplies `_fetch_one`, `_fetch_all` and `_execute`, and
translates its driver's unique-constraint error into `UniqueViolation`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from ngage.errors import NotFound
from ngage.store import queries
from ngage.store.base import IdCollision, TransactionReplay
from ngage.store.records import (
    AppRecord,
    EventRecord,
    MeetingRecord,
    RecordingFileRecord,
    RecordingRecord,
)
from ngage.store.rows import (
    Row,
    app_from_row,
    event_from_row,
    file_from_row,
    indexed,
    meeting_from_row,
    params,
    recording_from_row,
)


class UniqueViolation(Exception):
    """A driver's unique-constraint error, translated at the driver boundary."""


class MissingReference(Exception):
    """A driver's foreign-key error, translated at the driver boundary."""


class SqlStore(ABC):
    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def _fetch_one(self, sql: str, values: dict[str, Any]) -> Row | None: ...

    @abstractmethod
    async def _fetch_all(self, sql: str, values: dict[str, Any]) -> list[Row]: ...

    @abstractmethod
    async def _execute(self, sql: str, values: dict[str, Any]) -> int:
        """Run one statement; return the number of rows it changed."""

    async def ping(self) -> None:
        await self._fetch_one("SELECT 1", {})

    async def add_app(self, app: AppRecord) -> None:
        try:
            await self._execute(queries.INSERT_APP, params(app))
        except UniqueViolation as exc:
            raise IdCollision("api_id or api_key already taken") from exc

    async def highest_api_number(self) -> int:
        row = await self._fetch_one(queries.HIGHEST_API_ID, {})
        return int(row[0][3:]) if row else 0

    async def list_apps(self) -> list[AppRecord]:
        return [app_from_row(row) for row in await self._fetch_all(queries.LIST_APPS, {})]

    async def find_app_by_key(self, key_hash: str) -> AppRecord | None:
        row = await self._fetch_one(queries.APP_BY_KEY, {"key_hash": key_hash})
        return app_from_row(row) if row else None

    async def find_app(self, api_id: str) -> AppRecord | None:
        row = await self._fetch_one(queries.APP_BY_ID, {"api_id": api_id})
        return app_from_row(row) if row else None

    async def replace_secret(self, api_id: str, sealed_secret: str) -> bool:
        values = {"api_id": api_id, "sealed_secret": sealed_secret}
        return await self._execute(queries.REPLACE_SECRET, values) == 1

    async def disable_app(self, api_id: str) -> bool:
        return await self._execute(queries.DISABLE_APP, {"api_id": api_id, "disabled": True}) == 1

    async def reserve_app_clock(self, api_id: str, now_ms: int, block: int) -> int:
        values = {"api_id": api_id, "floor": now_ms - 1, "block": block}
        row = await self._fetch_one(queries.RESERVE_APP_CLOCK, values)
        if row is None:
            raise NotFound(f"no app {api_id}")
        return int(row[0])

    async def add_meeting(self, meeting: MeetingRecord) -> None:
        try:
            await self._execute(queries.INSERT_MEETING, params(meeting))
        except UniqueViolation as exc:
            key = {"api_id": meeting.api_id, "transaction_id": meeting.transaction_id}
            existing = await self._fetch_one(queries.MEETING_BY_TRANSACTION, key)
            if existing:
                raise TransactionReplay(meeting_from_row(existing)) from exc
            raise IdCollision("meeting_id or app_id already taken") from exc

    async def find_meeting(self, meeting_id: str) -> MeetingRecord | None:
        row = await self._fetch_one(queries.MEETING_BY_ID, {"meeting_id": meeting_id})
        return meeting_from_row(row) if row else None

    async def start_meeting(self, meeting_id: str, now_ms: int) -> bool:
        values = {"meeting_id": meeting_id, "now_ms": now_ms}
        return await self._execute(queries.START_MEETING, values) == 1

    async def end_meeting(self, meeting_id: str, now_ms: int) -> bool:
        values = {"meeting_id": meeting_id, "now_ms": now_ms}
        return await self._execute(queries.END_MEETING, values) == 1

    async def meetings_of_app(self, api_id: str, app_ids: Sequence[str]) -> list[MeetingRecord]:
        if not app_ids:
            return []
        sql = queries.meetings_of_app(len(app_ids))
        rows = await self._fetch_all(sql, {"api_id": api_id, **indexed("a", app_ids)})
        return [meeting_from_row(row) for row in rows]

    async def add_recording_file(self, recording: RecordingFileRecord) -> None:
        try:
            await self._execute(queries.INSERT_FILE, params(recording))
        except MissingReference as exc:
            raise NotFound(f"no meeting {recording.meeting_id}") from exc
        except UniqueViolation as exc:
            raise IdCollision("file_id already taken") from exc

    async def recording_files(self, meeting_ids: Sequence[str]) -> list[RecordingFileRecord]:
        if not meeting_ids:
            return []
        sql = queries.files_of_meetings(len(meeting_ids))
        return [file_from_row(row) for row in await self._fetch_all(sql, indexed("m", meeting_ids))]

    async def find_recording_file(self, file_id: str) -> RecordingFileRecord | None:
        row = await self._fetch_one(queries.FILE_BY_ID, {"file_id": file_id})
        return file_from_row(row) if row else None

    # Recordings and their processing lease
    async def add_recording(self, recording: RecordingRecord) -> None:
        await self._execute(queries.INSERT_RECORDING, params(recording))

    async def find_recording(self, recording_id: str) -> RecordingRecord | None:
        row = await self._fetch_one(queries.RECORDING_BY_ID, {"recording_id": recording_id})
        return recording_from_row(row) if row else None

    async def active_recording(self, meeting_id: str) -> RecordingRecord | None:
        row = await self._fetch_one(queries.ACTIVE_RECORDING, {"meeting_id": meeting_id})
        return recording_from_row(row) if row else None

    async def recordings_with_status(self, status: str) -> list[RecordingRecord]:
        rows = await self._fetch_all(queries.RECORDINGS_WITH_STATUS, {"status": status})
        return [recording_from_row(row) for row in rows]

    async def recordings_of_meetings(self, meeting_ids: Sequence[str]) -> list[RecordingRecord]:
        if not meeting_ids:
            return []
        sql = queries.recordings_of_meetings(len(meeting_ids))
        rows = await self._fetch_all(sql, indexed("m", meeting_ids))
        return [recording_from_row(row) for row in rows]

    async def set_recording_status(
        self, recording_id: str, expected: str, status: str, now_ms: int
    ) -> bool:
        values = {"recording_id": recording_id, "expected": expected, "status": status}
        return await self._execute(queries.SET_RECORDING_STATUS, {**values, "now_ms": now_ms}) == 1

    async def stop_recording(
        self, recording_id: str, stopped_at_us: int, timeline_json: str, now_ms: int
    ) -> bool:
        values = {
            "recording_id": recording_id,
            "stopped_at_us": stopped_at_us,
            "timeline_json": timeline_json,
            "now_ms": now_ms,
        }
        return await self._execute(queries.STOP_RECORDING, values) == 1

    async def claim_recording(
        self, recording_id: str, worker: str, until_ms: int, now_ms: int, attempt: bool
    ) -> bool:
        values = {
            "recording_id": recording_id,
            "worker": worker,
            "until_ms": until_ms,
            "now_ms": now_ms,
            "attempt": 1 if attempt else 0,
        }
        return await self._execute(queries.CLAIM_RECORDING, values) == 1

    async def recording_progress(
        self, recording_id: str, worker: str, progress: int, until_ms: int, now_ms: int
    ) -> bool:
        values = {"recording_id": recording_id, "worker": worker, "progress": progress}
        values |= {"until_ms": until_ms, "now_ms": now_ms}
        return await self._execute(queries.PROGRESS_RECORDING, values) == 1

    async def finish_recording(
        self, recording_id: str, worker: str, status: str, error: str | None, now_ms: int
    ) -> bool:
        values: dict[str, Any] = {"recording_id": recording_id, "worker": worker}
        values |= {"status": status, "error": error, "now_ms": now_ms}
        values["progress"] = 100 if status == "completed" else 0
        return await self._execute(queries.FINISH_RECORDING, values) == 1

    # The meeting event log
    async def add_events(self, events: Sequence[EventRecord]) -> None:
        for event in events:
            await self._execute(queries.INSERT_EVENT, params(event))

    async def meeting_events(self, meeting_id: str, until_us: int) -> list[EventRecord]:
        values = {"meeting_id": meeting_id, "until_us": until_us}
        return [
            event_from_row(row) for row in await self._fetch_all(queries.EVENTS_OF_MEETING, values)
        ]
