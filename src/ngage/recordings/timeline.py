"""What happened during a recording, on the wall clock, as the processing job reads it.

Times are microseconds since the Unix epoch, the clock Janus writes into `.mjr`
headers, so server events and captured media share one time base.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EventKind = Literal[
    "joined",  # a participant entered the meeting
    "left",
    "feed-started",  # a camera or screen feed began (feed, kind)
    "feed-stopped",
    "speaking",  # voice activity began
    "stopped-speaking",
    "muted",  # data: {"audio_muted": bool, "video_muted": bool}
    "chat",  # data: {"text": str, "to": participant_id | None}
    "caption",  # data: {"text": str}
    "poll",  # a poll ended; data: {"poll": {"title", "questions", "voters", "counts"}}
]


@dataclass(frozen=True)
class Segment:
    """A stretch while recording was on; pauses fall between segments."""

    start_us: int
    end_us: int


@dataclass(frozen=True)
class Event:
    at_us: int
    kind: EventKind
    participant_id: str
    feed: int | None = None
    feed_kind: str | None = None  # "camera" | "screen" for feed events
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Timeline:
    recording_id: str
    meeting_id: str
    topic: str
    segments: list[Segment]
    names: dict[str, str]  # participant_id -> display name
    events: list[Event]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(document: dict[str, Any]) -> Timeline:
        return Timeline(
            recording_id=document["recording_id"],
            meeting_id=document["meeting_id"],
            topic=document["topic"],
            segments=[Segment(**segment) for segment in document["segments"]],
            names=dict(document["names"]),
            events=[Event(**event) for event in document["events"]],
        )
