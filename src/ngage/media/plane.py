"""Janus as the meetings' media plane (implements `ngage.meetings.media.MediaPlane`).

A monitor keeps ngage's admin session alive; when Janus is down, `wait_ready`
blocks until it answers again, so participants' links can be rebuilt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ngage.errors import MediaError, MediaUnavailable
from ngage.media.janus import JanusClient
from ngage.media.link import JanusLink
from ngage.media.session import JanusSession
from ngage.media.sip import JanusPhoneCall
from ngage.media.videoroom import VideoRooms, room_number
from ngage.meetings.media import CallEvents, Dial, MediaEvents

log = logging.getLogger("ngage.media")

_PING_SECONDS = 1.0


class JanusMediaPlane:
    def __init__(self, janus: JanusClient, room_secret: str) -> None:
        self._janus = janus
        self._rooms = VideoRooms(janus, room_secret)
        self._ready = asyncio.Event()
        self._monitor: asyncio.Task[None] | None = None
        # Rooms this process knows exist in the running Janus (forgotten when it restarts).
        self._rooms_open: set[str] = set()

    async def start(self) -> None:
        self._monitor = asyncio.create_task(self._watch())

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Until Janus answers (MediaUnavailable after `timeout` seconds)."""
        try:
            async with asyncio.timeout(timeout):
                await self._ready.wait()
        except TimeoutError as exc:
            raise MediaUnavailable("the media server is not available") from exc

    async def open_room(self, meeting_id: str, topic: str) -> None:
        if meeting_id not in self._rooms_open:
            await self._rooms.ensure_room(meeting_id, topic)
            self._rooms_open.add(meeting_id)

    async def record(self, meeting_id: str, directory: str, on: bool) -> None:
        await self._rooms.set_recording(meeting_id, directory, on)

    async def moderate(self, meeting_id: str, feed_id: int, mid: str, mute: bool) -> None:
        await self._rooms.moderate(meeting_id, feed_id, mid, mute)

    async def close_room(self, meeting_id: str) -> None:
        self._rooms_open.discard(meeting_id)
        await self._rooms.destroy_room(meeting_id)

    async def connect(self, meeting_id: str, events: MediaEvents) -> JanusLink:
        def lost() -> None:
            self._rooms_open.clear()  # Janus restarted: its rooms are gone too
            events.link_lost()

        session = JanusSession(self._janus, lost)
        await session.open()
        return JanusLink(session, room_number(meeting_id), events)

    async def dial(self, dial: Dial, events: CallEvents) -> JanusPhoneCall:
        call: JanusPhoneCall | None = None

        def lost() -> None:
            if call is not None:
                call.lost()

        session = JanusSession(self._janus, lost)
        await session.open()
        call = JanusPhoneCall(session, events)
        try:
            await call.start(dial)
        except (MediaError, MediaUnavailable):
            await call.close()
            raise
        return call

    async def close(self) -> None:
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor
        with contextlib.suppress(MediaError, MediaUnavailable):
            await self._rooms.close()
        await self._janus.close()

    async def _watch(self) -> None:
        while True:
            try:
                if await self._rooms.ping():
                    self._rooms_open.clear()  # a new Janus knows no rooms
                    log.info("connected to the media server")
                self._ready.set()
            except (MediaUnavailable, MediaError) as error:
                if self._ready.is_set():
                    log.error("the media server is not answering: %s", error)
                self._ready.clear()
            await asyncio.sleep(_PING_SECONDS)
