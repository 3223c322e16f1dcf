"""The store interface the domain depends on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ngage.errors import NgageError
from ngage.store.records import (
    AppRecord,
    EventRecord,
    MeetingRecord,
    RecordingFileRecord,
    RecordingRecord,
)


class IdCollision(NgageError):
    """A generated identifier (meeting_id, app_id, api_id) is already taken: retry."""


class TransactionReplay(NgageError):
    """The (api_id, transaction_id) pair exists already; carries the stored meeting."""

    def __init__(self, existing: MeetingRecord) -> None:
        super().__init__("transaction_id already used")
        self.existing = existing


class Store(Protocol):
    async def close(self) -> None: ...

    async def ping(self) -> None: ...

    # Apps
    async def add_app(self, app: AppRecord) -> None: ...

    async def highest_api_number(self) -> int: ...

    async def list_apps(self) -> list[AppRecord]: ...

    async def find_app_by_key(self, key_hash: str) -> AppRecord | None: ...

    async def find_app(self, api_id: str) -> AppRecord | None: ...

    async def replace_secret(self, api_id: str, sealed_secret: str) -> bool: ...

    async def disable_app(self, api_id: str) -> bool: ...

    async def reserve_app_clock(self, api_id: str, now_ms: int, block: int) -> int:
        """Reserve `block` app_id milliseconds, all >= now_ms; return the last one."""
        ...

    # Meetings
    async def add_meeting(self, meeting: MeetingRecord) -> None:
        """Insert; raise TransactionReplay or IdCollision on a unique conflict."""
        ...

    async def find_meeting(self, meeting_id: str) -> MeetingRecord | None: ...

    async def start_meeting(self, meeting_id: str, now_ms: int) -> bool:
        """created -> live; False when the meeting was not waiting to start."""
        ...

    async def end_meeting(self, meeting_id: str, now_ms: int) -> bool:
        """-> ended; False when it had ended already (or does not exist)."""
        ...

    async def meetings_of_app(self, api_id: str, app_ids: Sequence[str]) -> list[MeetingRecord]: ...

    # Recording files
    async def add_recording_file(self, recording: RecordingFileRecord) -> None: ...

    async def recording_files(self, meeting_ids: Sequence[str]) -> list[RecordingFileRecord]: ...

    async def find_recording_file(self, file_id: str) -> RecordingFileRecord | None: ...

    # Recordings: one per start..stop; the processing job holds a renewable lease
    async def add_recording(self, recording: RecordingRecord) -> None: ...

    async def find_recording(self, recording_id: str) -> RecordingRecord | None: ...

    async def active_recording(self, meeting_id: str) -> RecordingRecord | None:
        """The meeting's recording that is on or paused, if any."""
        ...

    async def recordings_with_status(self, status: str) -> list[RecordingRecord]: ...

    async def recordings_of_meetings(self, meeting_ids: Sequence[str]) -> list[RecordingRecord]: ...

    async def set_recording_status(
        self, recording_id: str, expected: str, status: str, now_ms: int
    ) -> bool: ...

    async def stop_recording(
        self, recording_id: str, stopped_at_us: int, timeline_json: str, now_ms: int
    ) -> bool:
        """recording/paused -> processing, with the timeline the job will read."""
        ...

    async def claim_recording(
        self, recording_id: str, worker: str, until_ms: int, now_ms: int, attempt: bool
    ) -> bool:
        """Take (or keep) the processing lease; False when another live worker has it."""
        ...

    async def recording_progress(
        self, recording_id: str, worker: str, progress: int, until_ms: int, now_ms: int
    ) -> bool: ...

    async def finish_recording(
        self, recording_id: str, worker: str, status: str, error: str | None, now_ms: int
    ) -> bool: ...

    # The meeting event log
    async def add_events(self, events: Sequence[EventRecord]) -> None: ...

    async def meeting_events(self, meeting_id: str, until_us: int) -> list[EventRecord]: ...
