"""The services every participant's connection shares in one ngage process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ngage.errors import MediaError, MediaUnavailable, NgageError
from ngage.meetings.breakout import from_state, media_room
from ngage.meetings.eventlog import EventLog, wall_clock_us
from ngage.meetings.lifecycle import LIVE, MeetingLifecycle
from ngage.meetings.media import MediaPlane
from ngage.meetings.service import MeetingService
from ngage.phone.numbers import Trunk
from ngage.recordings.control import RecordingControl
from ngage.signaling import messages
from ngage.signaling.hub import MeetingHub
from ngage.store import EventRecord, Store

log = logging.getLogger("ngage.signaling")


class PhoneLine(Protocol):
    """A phone call placed from a meeting (`ngage.signaling.phone`)."""

    meeting_id: str
    caller_id: str

    async def hangup(self) -> None: ...


@dataclass
class Context:
    hub: MeetingHub
    media: MediaPlane | None
    lifecycle: MeetingLifecycle
    meetings: MeetingService
    ice_servers: list[dict[str, Any]]
    empty_grace_seconds: float
    events: EventLog
    recordings: RecordingControl
    store: Store
    trunk: Trunk | None = None  # None: call-out is not configured
    calls: dict[str, PhoneLine] = field(default_factory=dict)  # by the phone's participant id
    _idle_timers: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    # Countdowns (closing breakout rooms) run in the process that started them, like the
    # idle timers: with several processes, losing that process loses the countdown.
    _countdowns: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    async def meeting_events(self, meeting_id: str) -> list[EventRecord]:
        """The meeting's event log so far (what is still queued included)."""
        await self.events.flush()
        return await self.store.meeting_events(meeting_id, wall_clock_us())

    def keep_open(self, meeting_id: str) -> None:
        """Someone is in the meeting: it is not idle any more."""
        timer = self._idle_timers.pop(meeting_id, None)
        if timer is not None:
            timer.cancel()

    def end_when_idle(self, meeting_id: str) -> None:
        """Everyone left: end the meeting unless someone is back within the grace period."""
        self.keep_open(meeting_id)
        self._idle_timers[meeting_id] = asyncio.create_task(self._end_if_idle(meeting_id))

    async def _end_if_idle(self, meeting_id: str) -> None:
        await asyncio.sleep(self.empty_grace_seconds)
        self._idle_timers.pop(meeting_id, None)
        if await self.hub.members(meeting_id):
            return
        try:
            meeting = await self.lifecycle.current(meeting_id)
            if meeting.status == LIVE:
                await self.end_meeting(meeting_id, "idle", meeting.topic)
        except NgageError as error:
            log.info("meeting %s not ended for idleness: %s", meeting_id, error.describe())

    def after(self, key: str, seconds: float, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` in `seconds` (replacing a countdown of the same key)."""
        self.cancel_countdown(key)

        async def run() -> None:
            await asyncio.sleep(seconds)
            self._countdowns.pop(key, None)
            try:
                await work()
            except NgageError as error:
                log.warning("countdown %s failed: %s", key, error.describe())

        self._countdowns[key] = asyncio.create_task(run())

    def cancel_countdown(self, key: str) -> None:
        timer = self._countdowns.pop(key, None)
        if timer is not None:
            timer.cancel()

    async def close_breakout_rooms(self, meeting_id: str, rooms: list[int]) -> None:
        """Destroy breakout rooms on the media server (not there any more is fine)."""
        if self.media is None:
            return
        for room in rooms:
            try:
                await self.media.close_room(media_room(meeting_id, room))
            except (MediaError, MediaUnavailable) as error:
                log.info("breakout room %s not destroyed: %s", room, error.describe())

    async def end_meeting(self, meeting_id: str, reason: str, topic: str = "") -> None:
        """End it in the store, stop its recording, hang up its phones, tell everyone, and
        free its media room."""
        await self.lifecycle.end(meeting_id)
        await self.hang_up_all(meeting_id)
        try:
            await self.recordings.stop(meeting_id, topic, "server")
        except NgageError as error:  # the meeting ends anyway; the recording is logged
            log.error("meeting %s: recording not stopped cleanly: %s", meeting_id, error)
        await self.hub.broadcast(meeting_id, messages.message("meeting-ended", reason=reason))
        for guest in await self.hub.lobby(meeting_id):  # the waiting room is told too
            await self.hub.send_to_guest(meeting_id, guest.participant_id, {"decision": "ended"})
        breakout = from_state(await self.hub.setting(meeting_id, "breakout"))
        await self.hub.forget(meeting_id)
        self.cancel_countdown(meeting_id)
        await self.close_breakout_rooms(meeting_id, [room.room for room in breakout.rooms])
        log.info("meeting %s ended (%s)", meeting_id, reason)
        if self.media is not None:
            with contextlib.suppress(MediaError, MediaUnavailable):
                await self.media.close_room(meeting_id)

    async def hang_up_all(self, meeting_id: str | None = None) -> None:
        """Every phone call of the meeting (of every meeting when None)."""
        calls = [c for c in self.calls.values() if meeting_id in (None, c.meeting_id)]
        await asyncio.gather(*(call.hangup() for call in calls), return_exceptions=True)

    async def close(self) -> None:
        await self.hang_up_all()
        for timer in [*self._idle_timers.values(), *self._countdowns.values()]:
            timer.cancel()
        self._idle_timers.clear()
        self._countdowns.clear()
