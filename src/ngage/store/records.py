"""Plain rows the store hands out and takes in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppRecord:
    api_id: str
    name: str
    key_hash: str
    sealed_secret: str
    disabled: bool
    created_at_ms: int


@dataclass(frozen=True)
class MeetingRecord:
    meeting_id: str
    app_id: str
    api_id: str
    transaction_id: str
    request_fingerprint: str
    topic: str
    host_name: str
    participant_name: str
    password: str
    settings_json: str
    response_json: str
    status: str
    created_at_ms: int


@dataclass(frozen=True)
class RecordingFileRecord:
    file_id: str
    meeting_id: str
    file_type: str
    file_extension: str
    recording_type: str
    path: str
    size_bytes: int
    created_at_ms: int
    recording_id: str | None = None


@dataclass(frozen=True)
class RecordingRecord:
    recording_id: str
    meeting_id: str
    status: str  # recording | paused | processing | completed | failed
    started_at_us: int
    stopped_at_us: int | None
    timeline_json: str | None
    progress: int
    error: str | None
    attempts: int
    claimed_by: str | None
    claimed_until_ms: int | None
    updated_at_ms: int


@dataclass(frozen=True)
class EventRecord:
    meeting_id: str
    at_us: int
    kind: str
    participant_id: str
    feed: int | None
    feed_kind: str | None
    data_json: str
