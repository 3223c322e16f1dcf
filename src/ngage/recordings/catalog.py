"""Listing an app's recordings and resolving download links to files."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ngage.auth.links import DownloadLinks
from ngage.errors import NotFound
from ngage.meetings.requests import RecordingRequest, parse
from ngage.recordings.kinds import KINDS, FileKind
from ngage.recordings.storage import RecordingStorage
from ngage.store import MeetingRecord, RecordingFileRecord, RecordingRecord, Store


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    content_type: str


class RecordingCatalog:
    def __init__(
        self, store: Store, links: DownloadLinks, base_url: str, storage: RecordingStorage
    ) -> None:
        self._store = store
        self._links = links
        self._base_url = base_url
        self._storage = storage

    async def list_recordings(self, api_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The Recording API answer: one entry per requested app_id the caller owns."""
        request = parse(RecordingRequest, body, api_id)
        wanted = list(dict.fromkeys(request.app_ids))
        meetings = {m.app_id: m for m in await self._store.meetings_of_app(api_id, wanted)}
        found = [meetings[app_id] for app_id in wanted if app_id in meetings]
        meeting_ids = [m.meeting_id for m in found]
        files = await self._store.recording_files(meeting_ids)
        runs = await self._store.recordings_of_meetings(meeting_ids)
        return {
            "transaction_id": request.transaction_id,
            "status_desc": "Success",
            "recordings": [self._entry(meeting, files, runs) for meeting in found],
        }

    def _entry(
        self,
        meeting: MeetingRecord,
        files: list[RecordingFileRecord],
        runs: list[RecordingRecord],
    ) -> dict[str, Any]:
        mine = [run.status for run in runs if run.meeting_id == meeting.meeting_id]
        listed = [self._file(f) for f in files if f.meeting_id == meeting.meeting_id]
        return {
            "app_id": meeting.app_id,
            "meeting_id": meeting.meeting_id,
            "topic": meeting.topic,
            "status": overall_status(mine, bool(listed)),
            "recording_files": listed,
        }

    def _file(self, recording: RecordingFileRecord) -> dict[str, str]:
        return {
            "file_type": recording.file_type,
            "file_extension": recording.file_extension,
            "download_url": f"{self._base_url}/rec/webhook_download/"
            + self._links.mint(recording.file_id),
            "file_size": str(recording.size_bytes),
            "recording_type": recording.recording_type,
        }

    async def resolve(self, token: str) -> Download:
        """The file behind a download token (LinkRejected when forged or expired)."""
        recording = await self._store.find_recording_file(self._links.check(token))
        if recording is None:
            raise NotFound("recording file not found")
        path = await self._storage.locate(recording.path)
        if path is None:
            raise NotFound("recording file not found")
        kind = KINDS[recording.file_type]
        return Download(path, _filename(recording, kind), kind.content_type)

    async def register(
        self, meeting_id: str, kind: FileKind, relative_path: str, size_bytes: int
    ) -> RecordingFileRecord:
        """Record a finished file (kept under the recordings directory) for a meeting."""
        recording = RecordingFileRecord(
            file_id=secrets.token_hex(16),
            meeting_id=meeting_id,
            file_type=kind.file_type,
            file_extension=kind.file_extension,
            recording_type=kind.recording_type,
            path=relative_path,
            size_bytes=size_bytes,
            created_at_ms=int(time.time() * 1000),
        )
        await self._store.add_recording_file(recording)
        return recording


def overall_status(statuses: list[str], has_files: bool = False) -> str:
    """One word for a meeting's recordings (an addition to the spec's fields).

    `none` (never recorded), `recording` (on or paused now), `processing` (files still
    being made), `failed` (processing gave up), `completed` (every file is listed).
    """
    for status in ("recording", "paused", "processing", "failed"):
        if status in statuses:
            return "recording" if status == "paused" else status
    return "completed" if statuses or has_files else "none"


def _filename(recording: RecordingFileRecord, kind: FileKind) -> str:
    return f"{recording.meeting_id}-{recording.file_id[:8]}.{kind.file_extension.lower()}"
