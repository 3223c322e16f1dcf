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


def test_only_the_main_rooms_chat_to_everyone_is_recorded() -> None:
    events = [
        event(1, "joined", "p-a", name="Ana", role="participant"),
        event(2, "chat", "p-a", text="to everyone", to=None, room=0),
        event(3, "chat", "p-a", text="older log, no room", to=None),
        event(4, "chat", "p-a", text="in room 1", to=None, room=1),
        event(5, "chat", "p-a", text="private", to="p-b", room=0),
        event(6, "chat", "p-a", text="too late", to=None, room=0),
    ]
    timeline = assemble("r-1", MEETING, "Topic", events, until_us=5)
    chat = [e.data["text"] for e in timeline.events if e.kind == "chat"]
    assert chat == ["to everyone", "older log, no room"]


def test_captions_of_breakout_rooms_are_not_recorded() -> None:
    events = [
        event(1, "caption", "p-a", text="main room", room=0),
        event(2, "caption", "p-a", text="room 2", room=2),
        event(3, "room-changed", "p-a", room=2),
    ]
    timeline = assemble("r-1", MEETING, "Topic", events, until_us=5)
    captions = [e.data["text"] for e in timeline.events if e.kind == "caption"]
    assert captions == ["main room"]
