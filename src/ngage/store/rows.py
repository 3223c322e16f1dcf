"""Turning driver rows into records and records into parameters (both engines)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ngage.store.records import (
    AppRecord,
    EventRecord,
    MeetingRecord,
    RecordingFileRecord,
    RecordingRecord,
)

Row = Sequence[Any]


def app_from_row(row: Row) -> AppRecord:
    api_id, name, key_hash, sealed_secret, disabled, created_at_ms = row
    return AppRecord(api_id, name, key_hash, sealed_secret, bool(disabled), int(created_at_ms))


def meeting_from_row(row: Row) -> MeetingRecord:
    return MeetingRecord(*row)


def file_from_row(row: Row) -> RecordingFileRecord:
    return RecordingFileRecord(*row)


def recording_from_row(row: Row) -> RecordingRecord:
    return RecordingRecord(*row)


def event_from_row(row: Row) -> EventRecord:
    return EventRecord(*row)


def params(
    record: AppRecord | MeetingRecord | RecordingFileRecord | RecordingRecord | EventRecord,
) -> dict[str, Any]:
    return asdict(record)


def indexed(prefix: str, values: Sequence[str]) -> dict[str, str]:
    """Parameters `:a0, :a1, ...` for an IN list."""
    return {f"{prefix}{index}": value for index, value in enumerate(values)}
