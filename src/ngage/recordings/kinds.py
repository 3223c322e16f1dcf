"""The kinds of recording file, named as Zoom names them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    file_type: str
    file_extension: str
    recording_type: str
    content_type: str


COMPOSITE_VIDEO = FileKind("MP4", "MP4", "shared_screen_with_speaker_view", "video/mp4")
AUDIO_ONLY = FileKind("M4A", "M4A", "audio_only", "audio/mp4")
TIMELINE = FileKind("TIMELINE", "JSON", "timeline", "application/json")
CHAT = FileKind("CHAT", "TXT", "chat_file", "text/plain; charset=utf-8")
CC = FileKind("CC", "VTT", "closed_caption", "text/vtt; charset=utf-8")
POLL = FileKind("POLL", "CSV", "poll", "text/csv; charset=utf-8")

KINDS = {kind.file_type: kind for kind in (COMPOSITE_VIDEO, AUDIO_ONLY, TIMELINE, CHAT, CC, POLL)}
