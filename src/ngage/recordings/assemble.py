"""A recording's Timeline, assembled from the meeting event log (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import orjson

from ngage.meetings.breakout import MAIN_ROOM
from ngage.recordings.timeline import Event, EventKind, Segment, Timeline
from ngage.store import EventRecord

_STARTS = {"recording-started", "recording-resumed"}
_ENDS = {"recording-paused", "recording-stopped"}
_TIMELINE_KINDS = {
    "joined",
    "left",
    "feed-started",
    "feed-stopped",
    "speaking",
    "stopped-speaking",
    "muted",
    "chat",
    "caption",
    "poll",
}


def _data(event: EventRecord) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(event.data_json or "{}")
    return data


def segments_of(recording_id: str, events: Sequence[EventRecord], until_us: int) -> list[Segment]:
    """The stretches while this recording was on (pauses between them)."""
    segments: list[Segment] = []
    started: int | None = None
    for event in events:
        if _data(event).get("recording_id") != recording_id:
            continue
        if event.kind in _STARTS and started is None:
            started = event.at_us
        elif event.kind in _ENDS and started is not None:
            segments.append(Segment(started, event.at_us))
            started = None
    if started is not None:
        segments.append(Segment(started, until_us))
    return segments


def _event(record: EventRecord) -> Event:
    data = {k: v for k, v in _data(record).items() if k not in ("name", "role")}
    return Event(
        at_us=record.at_us,
        kind=cast(EventKind, record.kind),
        participant_id=record.participant_id,
        feed=record.feed,
        feed_kind=record.feed_kind,
        data=data,
    )


def _recorded(event: EventRecord, until_us: int) -> bool:
    # Direct messages stay private: only chat to everyone goes into the recording. Chat and
    # captions of breakout rooms stay out: the recording follows the main room.
    private = event.kind == "chat" and _data(event).get("to") is not None
    elsewhere = (
        event.kind in ("chat", "caption") and _data(event).get("room", MAIN_ROOM) != MAIN_ROOM
    )
    return event.kind in _TIMELINE_KINDS and event.at_us <= until_us and not (private or elsewhere)


def assemble(
    recording_id: str, meeting_id: str, topic: str, events: Sequence[EventRecord], until_us: int
) -> Timeline:
    """Everything the processing job needs: segments, names, and the events up to the end."""
    # The latest name each participant had: someone renamed shows under their new name.
    named = [e for e in events if e.kind in ("joined", "renamed")]
    names = {e.participant_id: str(_data(e).get("name", "")) for e in named}
    return Timeline(
        recording_id=recording_id,
        meeting_id=meeting_id,
        topic=topic,
        segments=segments_of(recording_id, events, until_us),
        names=names,
        events=[_event(e) for e in events if _recorded(e, until_us)],
    )
