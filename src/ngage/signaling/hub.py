"""Shared room state and in-meeting events, behind a small interface.

`LocalHub` keeps everything in this process. A Redis hub (hashes for the
roster and feeds, pub/sub for events) slots in behind the same interface when
several ngage processes serve one meeting.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol


@dataclass(frozen=True)
class Member:
    """A participant as everyone else sees them."""

    participant_id: str
    name: str
    role: str
    audio_muted: bool = False
    video_muted: bool = False
    hand_raised: bool = False
    cohost: bool = False
    room: int = 0  # 0: the main room; else the breakout room they are in

    @property
    def hosting(self) -> bool:
        """A host, or a participant a host made co-host."""
        return self.role == "host" or self.cohost

    def public(self) -> dict[str, Any]:
        return asdict(self)

    def renamed(self, name: str) -> Member:
        return replace(self, name=name)

    def as_cohost(self, cohost: bool) -> Member:
        return replace(self, cohost=cohost)

    def with_hand(self, raised: bool) -> Member:
        return replace(self, hand_raised=raised)

    def muted(self, audio: bool | None, video: bool | None) -> Member:
        return replace(
            self,
            audio_muted=self.audio_muted if audio is None else audio,
            video_muted=self.video_muted if video is None else video,
        )


@dataclass(frozen=True)
class Feed:
    """One published camera or screen stream."""

    feed: int
    participant_id: str
    kind: str
    # The m-line ids of what the feed sends ({"audio": "0", "video": "1"}): a host's
    # moderation (mute, stop video) names the stream by its mid.
    mids: dict[str, str] = field(default_factory=dict, compare=False)
    room: int = 0  # the owner's room when they published: only that room sees the feed

    def public(self) -> dict[str, Any]:
        return {
            "feed": self.feed,
            "participant_id": self.participant_id,
            "kind": self.kind,
            "room": self.room,
        }


class Inbox(Protocol):
    async def get(self) -> dict[str, Any]: ...


class MeetingHub(Protocol):
    async def enter(self, meeting_id: str, member: Member) -> Inbox:
        """Add a member; their inbox receives every later broadcast."""
        ...

    async def leave(self, meeting_id: str, participant_id: str) -> int:
        """Remove a member and their feeds; return how many members remain."""
        ...

    async def members(self, meeting_id: str) -> list[Member]: ...

    async def update(self, meeting_id: str, member: Member) -> None: ...

    async def feeds(self, meeting_id: str) -> list[Feed]: ...

    async def add_feed(self, meeting_id: str, feed: Feed) -> None: ...

    async def remove_feed(self, meeting_id: str, feed_id: int) -> Feed | None: ...

    async def broadcast(
        self, meeting_id: str, message: dict[str, Any], exclude: str | None = None
    ) -> None: ...

    async def send_to(self, meeting_id: str, participant_id: str, message: dict[str, Any]) -> None:
        """To one member (nothing when they have left)."""
        ...

    async def setting(self, meeting_id: str, name: str) -> Any:
        """A piece of live meeting state (captioner, lock, ...); None when unset."""
        ...

    async def set_setting(self, meeting_id: str, name: str, value: Any) -> None: ...

    async def forget(self, meeting_id: str) -> None:
        """The meeting ended: drop its state."""
        ...

    # The waiting room: people the host has not let in yet. They are not members, so
    # broadcasts never reach them; each has an inbox for the host's decision.
    async def enter_lobby(self, meeting_id: str, guest: Member) -> Inbox: ...

    async def leave_lobby(self, meeting_id: str, participant_id: str) -> None: ...

    async def lobby(self, meeting_id: str) -> list[Member]: ...

    async def send_to_guest(
        self, meeting_id: str, participant_id: str, message: dict[str, Any]
    ) -> bool:
        """To one guest in the waiting room; False when they are not there (any more)."""
        ...


@dataclass
class _Room:
    members: dict[str, Member] = field(default_factory=dict)
    inboxes: dict[str, asyncio.Queue[dict[str, Any]]] = field(default_factory=dict)
    feeds: dict[int, Feed] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    guests: dict[str, Member] = field(default_factory=dict)
    guest_inboxes: dict[str, asyncio.Queue[dict[str, Any]]] = field(default_factory=dict)

    def idle(self) -> bool:
        return not (self.members or self.settings or self.guests)


class LocalHub:
    """Room state of this process only."""

    def __init__(self) -> None:
        self._rooms: dict[str, _Room] = {}

    def _room(self, meeting_id: str) -> _Room:
        # Reading a meeting nobody is in must not leave an empty room behind.
        return self._rooms.get(meeting_id) or _Room()

    async def enter(self, meeting_id: str, member: Member) -> Inbox:
        room = self._rooms.setdefault(meeting_id, _Room())
        room.members[member.participant_id] = member
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        room.inboxes[member.participant_id] = inbox
        return inbox

    async def leave(self, meeting_id: str, participant_id: str) -> int:
        room = self._room(meeting_id)
        room.members.pop(participant_id, None)
        room.inboxes.pop(participant_id, None)
        for feed_id in [f.feed for f in room.feeds.values() if f.participant_id == participant_id]:
            room.feeds.pop(feed_id)
        if room.idle():
            self._rooms.pop(meeting_id, None)  # meeting state (polls, lock) waits for the end
        return len(room.members)

    async def members(self, meeting_id: str) -> list[Member]:
        return list(self._room(meeting_id).members.values())

    async def update(self, meeting_id: str, member: Member) -> None:
        room = self._room(meeting_id)
        if member.participant_id in room.members:
            room.members[member.participant_id] = member

    async def feeds(self, meeting_id: str) -> list[Feed]:
        return list(self._room(meeting_id).feeds.values())

    async def add_feed(self, meeting_id: str, feed: Feed) -> None:
        self._room(meeting_id).feeds[feed.feed] = feed

    async def remove_feed(self, meeting_id: str, feed_id: int) -> Feed | None:
        return self._room(meeting_id).feeds.pop(feed_id, None)

    async def broadcast(
        self, meeting_id: str, message: dict[str, Any], exclude: str | None = None
    ) -> None:
        for participant_id, inbox in self._room(meeting_id).inboxes.items():
            if participant_id != exclude:
                inbox.put_nowait(message)

    async def send_to(self, meeting_id: str, participant_id: str, message: dict[str, Any]) -> None:
        inbox = self._room(meeting_id).inboxes.get(participant_id)
        if inbox is not None:
            inbox.put_nowait(message)

    async def setting(self, meeting_id: str, name: str) -> Any:
        return self._room(meeting_id).settings.get(name)

    async def set_setting(self, meeting_id: str, name: str, value: Any) -> None:
        room = self._rooms.get(meeting_id)
        if room is not None:
            room.settings[name] = value

    async def forget(self, meeting_id: str) -> None:
        self._rooms.pop(meeting_id, None)

    async def enter_lobby(self, meeting_id: str, guest: Member) -> Inbox:
        room = self._rooms.setdefault(meeting_id, _Room())
        room.guests[guest.participant_id] = guest
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        room.guest_inboxes[guest.participant_id] = inbox
        return inbox

    async def leave_lobby(self, meeting_id: str, participant_id: str) -> None:
        room = self._room(meeting_id)
        room.guests.pop(participant_id, None)
        room.guest_inboxes.pop(participant_id, None)
        if room.idle():
            self._rooms.pop(meeting_id, None)

    async def lobby(self, meeting_id: str) -> list[Member]:
        return list(self._room(meeting_id).guests.values())

    async def send_to_guest(
        self, meeting_id: str, participant_id: str, message: dict[str, Any]
    ) -> bool:
        inbox = self._room(meeting_id).guest_inboxes.get(participant_id)
        if inbox is None:
            return False
        inbox.put_nowait(message)
        return True
