"""One connected participant: what they may do, their outbox and their media link."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Coroutine
from typing import Any

from ngage.errors import MediaError, MediaUnavailable, NgageError, WaitingForHost
from ngage.meetings.breakout import MAIN_ROOM, media_room
from ngage.meetings.media import FeedKind, MediaLink
from ngage.meetings.rights import Rights
from ngage.signaling import messages
from ngage.signaling.context import Context
from ngage.signaling.hub import Feed, Inbox, Member

log = logging.getLogger("ngage.signaling")

_REBUILD_RETRY_SECONDS = 0.5


def new_participant_id() -> str:
    return "p-" + secrets.token_urlsafe(9)


def new_feed_id() -> int:
    # Janus feed ids are integers; stay below 2**53 so JavaScript reads them exactly.
    return secrets.randbelow(2**53 - 1) + 1


class Participant:
    def __init__(
        self, context: Context, meeting_id: str, topic: str, member: Member, rights: Rights
    ) -> None:
        self.context = context
        self.meeting_id = meeting_id
        self.topic = topic
        self.member = member
        self.rights = rights
        self.settings_json = "{}"  # the meeting's stored flags, for others' rights
        self.waiting = False
        # Who votes: the browser (its client_id) when it says, so a reconnect or a second tab
        # of the same browser is the same voter; else this connection.
        self.person = self.member.participant_id
        self.leaving = False
        self.inbox: Inbox | None = None
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.published: dict[FeedKind, int] = {}
        # Published but not flowing yet: Janus refuses watchers until the publisher's
        # WebRTC is up, so the feed is announced on Janus's `webrtcup`.
        self.starting: dict[FeedKind, int] = {}
        self.mids: dict[FeedKind, dict[str, str]] = {}
        # A feed keeps its id across republishing, so watchers can find it again.
        self._feed_ids: dict[FeedKind, int] = {}
        self._link: MediaLink | None = None
        self._link_lock = asyncio.Lock()
        # One change at a time: a message being handled, or a move between rooms.
        self.turn = asyncio.Lock()
        self.room_name = "Main room"  # shown to a participant in a breakout room
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def participant_id(self) -> str:
        return self.member.participant_id

    @property
    def room(self) -> int:
        """The room this participant is in (0: the main room)."""
        return self.member.room

    @property
    def media_room(self) -> str:
        return media_room(self.meeting_id, self.member.room)

    def send(self, message: dict[str, Any]) -> None:
        self.outbox.put_nowait(message)

    async def broadcast(self, message: dict[str, Any]) -> None:
        """To everyone else in the meeting."""
        await self.context.hub.broadcast(self.meeting_id, message, exclude=self.participant_id)

    async def announce(self, message: dict[str, Any], re: str | None) -> None:
        """To everyone: the sender's copy answers its request `re`."""
        self.send(messages.replying(message, re))
        await self.broadcast(message)

    def require_live(self) -> None:
        if self.waiting:
            raise WaitingForHost()

    def feed_id(self, kind: FeedKind) -> int:
        return self._feed_ids.setdefault(kind, new_feed_id())

    async def link(self) -> MediaLink:
        """This participant's media link, opened on first use."""
        async with self._link_lock:
            if self._link is None:
                self._link = await self._connect()
            return self._link

    def existing_link(self) -> MediaLink | None:
        return self._link

    async def _connect(self) -> MediaLink:
        media = self.context.media
        if media is None:
            raise MediaUnavailable("live meetings are not enabled on this server")
        if self.room == MAIN_ROOM:
            await media.open_room(self.meeting_id, self.topic)
            await self.context.recordings.reapply(self.meeting_id, self.topic)  # after a restart
        else:  # also after a media server restart: breakout rooms are never recorded
            await media.open_room(self.media_room, f"{self.topic} - {self.room_name}")
        return await media.connect(self.media_room, self)

    async def drop_link(self) -> None:
        """Leave the media room: every published and watched stream ends with the link."""
        async with self._link_lock:
            old, self._link = self._link, None
        if old is not None:
            with contextlib.suppress(MediaError, MediaUnavailable):
                await old.close()

    async def stop_feed(self, kind: FeedKind) -> None:
        self.starting.pop(kind, None)
        feed_id = self.published.pop(kind, None)
        if feed_id is None:
            return
        await self.context.hub.remove_feed(self.meeting_id, feed_id)
        self._log("feed-stopped", feed=feed_id, feed_kind=kind)
        notice = messages.message(
            "feed-removed", feed=feed_id, participant_id=self.participant_id, room=self.room
        )
        await self.broadcast(notice)
        if self._link is not None:
            with contextlib.suppress(MediaError, MediaUnavailable):
                await self._link.unpublish(kind)

    async def add_feed(self, kind: FeedKind, feed_id: int) -> None:
        self.published[kind] = feed_id
        feed = Feed(feed_id, self.participant_id, kind, self.mids.get(kind, {}), self.room)
        await self.context.hub.add_feed(self.meeting_id, feed)
        self._log("feed-started", feed=feed_id, feed_kind=kind)
        await self.broadcast(messages.message("feed-added", feed=feed.public()))

    # MediaEvents: called by the media adapter, outside any request.
    def _log(self, kind: str, **fields: Any) -> None:
        self.context.events.record(self.meeting_id, kind, self.participant_id, **fields)

    def speaking(self, speaking: bool) -> None:
        self._log("speaking" if speaking else "stopped-speaking")
        notice = messages.message(
            "speaking", participant_id=self.participant_id, speaking=speaking, room=self.room
        )
        self._spawn(self.context.hub.broadcast(self.meeting_id, notice))

    def feed_ready(self, kind: FeedKind) -> None:
        feed_id = self.starting.pop(kind, None)
        if feed_id is not None:
            self._spawn(self.add_feed(kind, feed_id))

    def feed_stopped(self, kind: FeedKind) -> None:
        self._spawn(self.stop_feed(kind))

    def link_lost(self) -> None:
        self._spawn(self._rebuild_media())

    async def _rebuild_media(self) -> None:
        """The media server restarted: drop dead feeds, reconnect, ask the client to redo media."""
        async with self._link_lock:
            old, self._link = self._link, None
        for kind in list(self.published):
            await self.stop_feed(kind)
        if old is not None:
            await old.close()
        while not self.leaving:
            try:
                await self.link()
                break
            except (MediaUnavailable, MediaError) as error:
                log.info("waiting for the media server: %s", error.describe())
                await asyncio.sleep(_REBUILD_RETRY_SECONDS)
        self.send(messages.message("media-restart", message="the media server restarted"))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and isinstance(task.exception(), NgageError):
            log.warning("participant %s: %s", self.participant_id, task.exception())

    async def close(self) -> None:
        self.leaving = True
        for task in list(self._tasks):
            task.cancel()
        if self._link is not None:
            with contextlib.suppress(MediaError, MediaUnavailable):
                await self._link.close()
            self._link = None
