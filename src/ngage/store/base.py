"""The store interface the domain depends on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ngage.errors import NgageError
from ngage.store.records import AppRecord, MeetingRecord, RecordingFileRecord


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
