"""Typed request options and answers of the nGage Video API."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class MeetingConfig:
    """One role's meeting options (`config_host` / `config_participant`).

    Defaults follow Zoom's Meeting SDK for Web (`ZoomMtg.init`): the `disable*`
    flags are off and the `isSupport*` features are on, so a caller changes only
    what differs: `MeetingConfig(screenShare=False)`.
    """

    disableInvite: bool = False
    disableCallOut: bool = False
    disableRecord: bool = False
    disableJoinAudio: bool = False
    audioPanelAlwaysOpen: bool = False
    showPureSharingContent: bool = False
    isSupportAV: bool = True
    isSupportChat: bool = True
    isSupportQA: bool = True
    isSupportPolling: bool = True
    isSupportBreakout: bool = True
    isSupportCC: bool = True
    screenShare: bool = True

    def to_wire(self) -> dict[str, bool]:
        """Every flag, as the API requires all of them."""
        return asdict(self)


@dataclass(frozen=True)
class ViewConfig:
    """Which panels one role sees (`view_host` / `view_participant`); all shown by default."""

    participants_list: bool = True
    security_option: bool = True
    more_meeting_control: bool = True

    def to_wire(self) -> dict[str, bool]:
        return asdict(self)


@dataclass(frozen=True)
class Meeting:
    """A created meeting: share `join_url` and `password`; keep `start_url` for the host."""

    transaction_id: str
    app_id: str
    meeting_id: str
    topic: str
    start_url: str
    join_url: str
    password: str

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Meeting:
        return cls(**{f.name: str(data[f.name]) for f in fields(cls)})


@dataclass(frozen=True)
class RecordingFile:
    """One recorded file: an MP4 (`shared_screen_with_speaker_view`) or M4A (`audio_only`)."""

    file_type: str
    file_extension: str
    download_url: str
    file_size: int
    recording_type: str

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> RecordingFile:
        return cls(
            file_type=str(data["file_type"]),
            file_extension=str(data["file_extension"]),
            download_url=str(data["download_url"]),
            file_size=int(data["file_size"]),
            recording_type=str(data["recording_type"]),
        )

    @property
    def suggested_name(self) -> str:
        """A file name for saving: `<token tail>.<extension>` is stable and unique enough."""
        tail = self.download_url.rstrip("/").rsplit("/", 1)[-1][-12:]
        safe = "".join(c if c.isalnum() else "_" for c in tail)
        return f"{self.recording_type}-{safe}.{self.file_extension.lower()}"


@dataclass(frozen=True)
class Recording:
    """The recordings of one meeting (empty `files` until any exist).

    `status` (a field ngage adds): `none`, `recording`, `processing`, `completed` or
    `failed`; see docs/recordings.md.
    """

    app_id: str
    meeting_id: str
    topic: str
    files: list[RecordingFile] = field(default_factory=list)
    status: str = "none"

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Recording:
        return cls(
            app_id=str(data["app_id"]),
            meeting_id=str(data["meeting_id"]),
            topic=str(data["topic"]),
            files=[RecordingFile.from_wire(item) for item in data.get("recording_files", [])],
            status=str(data.get("status", "none")),
        )
