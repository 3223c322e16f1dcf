"""A meeting's life: created -> live (first host joins) -> ended."""

from __future__ import annotations

import time
from collections.abc import Callable

from ngage.errors import MeetingEnded, NotFound
from ngage.store import MeetingRecord, Store

CREATED, LIVE, ENDED = "created", "live", "ended"


class MeetingLifecycle:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    async def current(self, meeting_id: str) -> MeetingRecord:
        """The meeting as stored now; MeetingEnded if it is over."""
        meeting = await self._store.find_meeting(meeting_id)
        if meeting is None:
            raise NotFound("no such meeting")
        if meeting.status == ENDED:
            raise MeetingEnded()
        return meeting

    async def host_arrived(self, meeting_id: str) -> bool:
        """Make the meeting live; True if this call started it."""
        return await self._store.start_meeting(meeting_id, self._now_ms())

    async def end(self, meeting_id: str) -> bool:
        """End the meeting; True if this call ended it."""
        return await self._store.end_meeting(meeting_id, self._now_ms())
