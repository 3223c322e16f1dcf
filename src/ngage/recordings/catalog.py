"""Listing an app's recordings and resolving download links to files."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ngage.auth.links import DownloadLinks
from ngage.errors import NotFound
from ngage.meetings.requests import RecordingRequest, parse
from ngage.recordings.kinds import KINDS, FileKind
from ngage.store import MeetingRecord, RecordingFileRecord, Store


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    content_type: str


class RecordingCatalog:
    def __init__(
        self, store: Store, links: DownloadLinks, base_url: str, recordings_dir: Path
    ) -> None:
        self._store = store
        self._links = links
        self._base_url = base_url
        self._dir = recordings_dir

    async def list_recordings(self, api_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The Recording API answer: one entry per requested app_id the caller owns."""
        request = parse(RecordingRequest, body, api_id)
        wanted = list(dict.fromkeys(request.app_ids))
        meetings = {m.app_id: m for m in await self._store.meetings_of_app(api_id, wanted)}
        found = [meetings[app_id] for app_id in wanted if app_id in meetings]
        files = await self._store.recording_files([m.meeting_id for m in found])
        return {
            "transaction_id": request.transaction_id,
            "status_desc": "Success",
            "recordings": [self._entry(meeting, files) for meeting in found],
        }

    def _entry(self, meeting: MeetingRecord, files: list[RecordingFileRecord]) -> dict[str, Any]:
        return {
            "app_id": meeting.app_id,
            "meeting_id": meeting.meeting_id,
            "topic": meeting.topic,
            "recording_files": [self._file(f) for f in files if f.meeting_id == meeting.meeting_id],
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
        relative = Path(recording.path)
        path = self._dir / relative
        inside = not relative.is_absolute() and ".." not in relative.parts
        if not inside or not await asyncio.to_thread(path.is_file):
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


def _filename(recording: RecordingFileRecord, kind: FileKind) -> str:
    return f"{recording.meeting_id}-{recording.file_id[:8]}.{kind.file_extension.lower()}"
