"""VideoRoom rooms, one per meeting, managed over an admin session of ngage's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ngage.errors import MediaError, NotFound
from ngage.media.janus import JanusClient

_NO_SUCH_ROOM = 426
_ROOM_EXISTS = 427
_NO_SUCH_FEED = 428
_STALE = (458, 459)  # Janus: session / handle not found


def room_number(media_room: str) -> int:
    """The VideoRoom id of a meeting's room: its 11-digit meeting_id as a number, or for
    breakout room n (`<meeting_id>/<n>`, n < 100) meeting_id * 100 + n, below 2**53."""
    meeting_id, _, breakout = media_room.partition("/")
    return int(meeting_id) * 100 + int(breakout) if breakout else int(meeting_id)


def create_room_body(room: int, description: str, secret: str) -> dict[str, Any]:
    """A room for a meeting: H.264 + Opus (recordings remux without re-encoding)."""
    return {
        "request": "create",
        "room": room,
        "description": description[:100],
        "secret": secret,
        "publishers": 16,
        "videocodec": "h264",
        "audiocodec": "opus",
        "audiolevel_event": True,
        # Voice activity: about one second of packets above -50 dBov is "talking".
        "audio_active_packets": 50,
        "audio_level_average": 50,
        "notify_joining": True,
        "permanent": False,
    }


def publisher_join_body(room: int, feed_id: int, display: str) -> dict[str, Any]:
    return {
        "request": "join",
        "ptype": "publisher",
        "room": room,
        "id": feed_id,
        "display": display[:64],
    }


def subscriber_join_body(room: int, feed_id: int, mid: str | None = None) -> dict[str, Any]:
    """Every stream of the feed, or only the one with that mid (a phone takes the audio)."""
    stream: dict[str, Any] = {"feed": feed_id} if mid is None else {"feed": feed_id, "mid": mid}
    return {"request": "join", "ptype": "subscriber", "room": room, "streams": [stream]}


def offer(sdp: str) -> dict[str, Any]:
    return {"type": "offer", "sdp": sdp}


def answer(sdp: str) -> dict[str, Any]:
    return {"type": "answer", "sdp": sdp}


@dataclass(frozen=True)
class Publisher:
    feed_id: int
    display: str
    publishing: bool


class VideoRooms:
    """Creates, inspects and destroys rooms through one admin handle.

    The handle is opened on first use and opened again when Janus has forgotten
    it (after a restart), so callers never see a stale session.
    """

    def __init__(self, janus: JanusClient, room_secret: str) -> None:
        self._janus = janus
        self._secret = room_secret
        self._admin: tuple[int, int] | None = None

    async def _open_admin(self) -> tuple[int, int]:
        session = await self._janus.create_session()
        return session, await self._janus.attach(session)

    async def ping(self) -> bool:
        """Keep the admin session alive; True when it had to be opened anew.

        A new admin session after the first means Janus lost its state (it
        restarted) and every room has to be created again.
        """
        if self._admin is not None:
            try:
                await self._janus.keepalive(self._admin[0])
                return False
            except MediaError as error:
                if error.code not in _STALE:
                    raise
                self._admin = None
        self._admin = await self._open_admin()
        return True

    async def close(self) -> None:
        if self._admin is not None:
            session, self._admin = self._admin[0], None
            await self._janus.destroy_session(session)

    async def _ask(self, body: dict[str, Any]) -> dict[str, Any]:
        for attempt in (1, 2):
            if self._admin is None:
                self._admin = await self._open_admin()
            session, handle = self._admin
            try:
                return await self._janus.plugin_request(session, handle, body)
            except MediaError as error:
                if error.code not in _STALE or attempt == 2:
                    raise
                self._admin = None
        raise MediaError(0, "unreachable")  # the loop always returns or raises

    async def ensure_room(self, meeting_id: str, description: str) -> int:
        """The meeting's room, created if missing (idempotent)."""
        room = room_number(meeting_id)
        try:
            await self._ask(create_room_body(room, description, self._secret))
        except MediaError as error:
            if error.code != _ROOM_EXISTS:
                raise
        return room

    async def exists(self, meeting_id: str) -> bool:
        answer = await self._ask({"request": "exists", "room": room_number(meeting_id)})
        return bool(answer.get("exists"))

    async def publishers(self, meeting_id: str) -> list[Publisher]:
        body = {"request": "listparticipants", "room": room_number(meeting_id)}
        answer = await self._ask(body)
        return [
            Publisher(int(p["id"]), str(p.get("display", "")), bool(p.get("publisher")))
            for p in answer.get("participants", [])
        ]

    async def set_recording(self, meeting_id: str, directory: str, on: bool) -> None:
        """Record every publisher of the room into `directory` (one .mjr per stream), or stop."""
        room = room_number(meeting_id)
        if on:
            edit = {"request": "edit", "room": room, "secret": self._secret}
            await self._ask({**edit, "new_rec_dir": directory})
        body = {"request": "enable_recording", "room": room, "secret": self._secret, "record": on}
        await self._ask(body)

    async def moderate(self, meeting_id: str, feed_id: int, mid: str, mute: bool) -> None:
        """Block (or unblock) one stream of a publisher, whatever its sender does."""
        body = {"request": "moderate", "room": room_number(meeting_id), "secret": self._secret}
        try:
            await self._ask({**body, "id": feed_id, "mid": mid, "mute": mute})
        except MediaError as error:
            if error.code != _NO_SUCH_FEED:
                raise
            raise NotFound(f"no feed {feed_id}") from error

    async def destroy_room(self, meeting_id: str) -> None:
        body = {"request": "destroy", "room": room_number(meeting_id), "secret": self._secret}
        try:
            await self._ask(body)
        except MediaError as error:
            if error.code != _NO_SUCH_ROOM:
                raise
