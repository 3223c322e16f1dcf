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
