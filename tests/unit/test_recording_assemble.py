"""The processing job's view of a meeting's event log."""

from __future__ import annotations

import orjson

from ngage.recordings.assemble import assemble
from ngage.store import EventRecord

MEETING = "12345678901"


def event(at_us: int, kind: str, who: str, **data: object) -> EventRecord:
    return EventRecord(MEETING, at_us, kind, who, None, None, orjson.dumps(data).decode())


def test_a_renamed_participant_shows_under_the_latest_name() -> None:
    events = [
        event(1, "joined", "p-a", name="Ana", role="participant"),
        event(2, "joined", "p-b", name="Ben", role="participant"),
        event(3, "renamed", "p-a", name="Ana Lopez"),
    ]
    timeline = assemble("r-1", MEETING, "Topic", events, until_us=10)
    assert timeline.names == {"p-a": "Ana Lopez", "p-b": "Ben"}
    assert [e.kind for e in timeline.events] == ["joined", "joined"]  # a rename is no event
