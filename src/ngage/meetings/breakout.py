"""Breakout rooms: the host's plan (rooms and who goes where) and its few states.

Pure: the signaling layer keeps a `Breakout` as meeting state in the hub (as a plain
dict, so a shared store can hold it) and moves people; nothing here does I/O.

    none --create--> draft --open--> open --close--> closing --(countdown)--> none
                     draft <--create-- (a new plan replaces the draft)

Room 0 is the main room; breakout rooms are numbered from 1.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ngage.errors import BadRequest

Status = Literal["none", "draft", "open", "closing"]
MAIN_ROOM = 0
MAX_ROOMS = 50  # as Zoom; room numbers stay two digits (see media_room)
NAME_LENGTH = 50


def media_room(meeting_id: str, room: int) -> str:
    """The name of a room on the media server: the meeting id, or `<meeting id>/<room>`."""
    return meeting_id if room == MAIN_ROOM else f"{meeting_id}/{room}"


@dataclass(frozen=True)
class BreakoutRoom:
    room: int
    name: str
    participants: tuple[str, ...] = ()

    def public(self) -> dict[str, Any]:
        return {"room": self.room, "name": self.name, "participants": list(self.participants)}


@dataclass(frozen=True)
class Breakout:
    status: Status = "none"
    rooms: tuple[BreakoutRoom, ...] = ()

    def public(self) -> dict[str, Any]:
        return {"status": self.status, "rooms": [room.public() for room in self.rooms]}

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "closing")

    def room_of(self, participant_id: str) -> int:
        """The room a participant is assigned to (0: none)."""
        for room in self.rooms:
            if participant_id in room.participants:
                return room.room
        return MAIN_ROOM

    def name_of(self, room: int) -> str:
        for each in self.rooms:
            if each.room == room:
                return each.name
        return "Main room"

    def has_room(self, room: int) -> bool:
        return any(each.room == room for each in self.rooms)


def from_state(stored: dict[str, Any] | None) -> Breakout:
    """A `Breakout` back from its `public()` dict (None: no breakout rooms)."""
    if not stored:
        return Breakout()
    rooms = tuple(
        BreakoutRoom(int(r["room"]), str(r["name"]), tuple(r["participants"]))
        for r in stored["rooms"]
    )
    return Breakout(stored["status"], rooms)


def create(current: Breakout, count: int | None, names: Sequence[str] | None) -> Breakout:
    """A new draft of `count` rooms ("Room 1", ...) or of the rooms `names` lists."""
    if current.is_open:
        raise BadRequest("close the open breakout rooms first")
    chosen = list(names) if names else [f"Room {n}" for n in range(1, (count or 0) + 1)]
    if not 1 <= len(chosen) <= MAX_ROOMS:
        raise BadRequest(f"between 1 and {MAX_ROOMS} rooms")
    rooms = tuple(BreakoutRoom(n, name[:NAME_LENGTH]) for n, name in enumerate(chosen, 1))
    return Breakout("draft", rooms)


def assign(current: Breakout, participant_id: str, room: int) -> Breakout:
    """Put a participant in `room` (0: back to the main room, unassigned)."""
    if current.status in ("none", "closing"):
        raise BadRequest("there are no breakout rooms to assign to")
    if room != MAIN_ROOM and not current.has_room(room):
        raise BadRequest(f"there is no room {room}")
    rooms = tuple(
        replace(
            each,
            participants=tuple(p for p in each.participants if p != participant_id)
            + ((participant_id,) if each.room == room else ()),
        )
        for each in current.rooms
    )
    return replace(current, rooms=rooms)


def auto_assign(current: Breakout, participant_ids: Iterable[str], seed: int | None) -> Breakout:
    """Spread the participants evenly over the rooms, in a random order (as Zoom)."""
    if current.status in ("none", "closing"):
        raise BadRequest("there are no breakout rooms to assign to")
    shuffled = list(participant_ids)
    random.Random(seed).shuffle(shuffled)
    count = len(current.rooms)
    rooms = tuple(
        replace(each, participants=tuple(shuffled[index::count]))
        for index, each in enumerate(current.rooms)
    )
    return replace(current, rooms=rooms)


def open_rooms(current: Breakout) -> Breakout:
    if current.status != "draft":
        done = "the breakout rooms are already open"
        raise BadRequest("create breakout rooms first" if current.status == "none" else done)
    return replace(current, status="open")


def start_closing(current: Breakout) -> Breakout:
    if current.status != "open":
        raise BadRequest("the breakout rooms are not open")
    return replace(current, status="closing")


def moves(before: Breakout, after: Breakout, present: Iterable[str]) -> dict[str, int]:
    """Who must change room when the plan goes from `before` to `after` (open rooms only)."""
    was = before if before.is_open else Breakout()
    now = after if after.is_open else Breakout()
    changed = {}
    for participant_id in present:
        if was.room_of(participant_id) != now.room_of(participant_id):
            changed[participant_id] = now.room_of(participant_id)
    return changed
