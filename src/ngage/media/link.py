"""A participant's link to Janus: publisher handles per feed kind, one subscriber per watched feed.

Implements `ngage.meetings.media.MediaLink`; Janus error codes become our errors here.
"""

from __future__ import annotations

from typing import Any

from ngage.errors import MediaError, MediaUnavailable, NotFound
from ngage.media.session import Answer, JanusSession
from ngage.media.videoroom import answer, offer, publisher_join_body, subscriber_join_body
from ngage.meetings.media import FeedKind, MediaEvents

_NO_SUCH_FEED = 428


def _sdp_of(reply: Answer) -> str:
    if not reply.jsep or "sdp" not in reply.jsep:
        raise MediaError(0, "the media server sent no SDP")
    return str(reply.jsep["sdp"])


class JanusLink:
    def __init__(self, session: JanusSession, room: int, events: MediaEvents) -> None:
        self._session = session
        self._room = room
        self._events = events
        self._publishers: dict[FeedKind, int] = {}
        self._camera_feed = 0
        self._watchers: dict[int, int] = {}

    async def publish(self, kind: FeedKind, feed_id: int, offer_sdp: str) -> str:
        await self._drop_publisher(kind)  # each publish is a new peer connection
        handle = await self._session.attach(lambda event: self._on_publisher(kind, event))
        self._publishers[kind] = handle
        if kind == "camera":
            self._camera_feed = feed_id
        try:
            await self._session.request(handle, publisher_join_body(self._room, feed_id, kind))
            reply = await self._session.request(handle, {"request": "publish"}, offer(offer_sdp))
        except (MediaError, MediaUnavailable):
            await self._drop_publisher(kind)
            raise
        return _sdp_of(reply)

    async def unpublish(self, kind: FeedKind) -> None:
        await self._drop_publisher(kind)

    async def _drop_publisher(self, kind: FeedKind) -> None:
        handle = self._publishers.pop(kind, None)
        if handle is not None:
            await self._session.detach(handle)  # Janus unpublishes and leaves

    async def watch(self, feed_id: int, mid: str | None = None) -> str:
        await self.unwatch(feed_id)
        handle = await self._session.attach(lambda event: None)
        self._watchers[feed_id] = handle
        body = subscriber_join_body(self._room, feed_id, mid)
        try:
            reply = await self._session.request(handle, body)
        except MediaError as error:
            await self.unwatch(feed_id)
            if error.code == _NO_SUCH_FEED:
                raise NotFound(f"no feed {feed_id}") from error
            raise
        return _sdp_of(reply)

    async def answer(self, feed_id: int, answer_sdp: str) -> None:
        handle = self._watcher(feed_id)
        await self._session.request(handle, {"request": "start"}, answer(answer_sdp))

    async def unwatch(self, feed_id: int) -> None:
        handle = self._watchers.pop(feed_id, None)
        if handle is not None:
            await self._session.detach(handle)

    async def trickle(self, target: str, candidate: dict[str, Any] | None) -> None:
        await self._session.trickle(self._handle_for(target), candidate)

    async def close(self) -> None:
        await self._session.close()

    def _watcher(self, feed_id: int) -> int:
        handle = self._watchers.get(feed_id)
        if handle is None:
            raise NotFound(f"not watching feed {feed_id}")
        return handle

    def _handle_for(self, target: str) -> int:
        direction, _, name = target.partition(":")
        for kind, handle in self._publishers.items():
            if direction == "publish" and name == kind:
                return handle
        if direction == "watch" and name.isascii() and name.isdigit():
            return self._watcher(int(name))
        raise NotFound(f"no peer connection {target!r}")

    def _on_publisher(self, kind: FeedKind, event: dict[str, Any]) -> None:
        if event.get("janus") == "webrtcup":
            self._events.feed_ready(kind)
            return
        if event.get("janus") == "hangup":
            self._events.feed_stopped(kind)
            return
        data = (event.get("plugindata") or {}).get("data") or {}
        talking = data.get("videoroom")
        if talking in ("talking", "stopped-talking") and data.get("id") == self._camera_feed:
            self._events.speaking(talking == "talking")
