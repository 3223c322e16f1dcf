"""What the meeting domain needs from a media server (Janus implements it in `ngage.media`).

A participant's `MediaLink` carries their published feeds and the feeds they watch.
SDP passes through untouched; candidates are `RTCIceCandidate.toJSON()` dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

FeedKind = Literal["camera", "screen"]


class MediaEvents(Protocol):
    """Callbacks from the media server about one participant's link."""

    def speaking(self, speaking: bool) -> None: ...

    def feed_ready(self, kind: FeedKind) -> None:
        """A published feed's media is flowing: others can watch it now."""
        ...

    def feed_stopped(self, kind: FeedKind) -> None:
        """A published feed ended on the media side (hangup, ICE failure)."""
        ...

    def link_lost(self) -> None:
        """The media server forgot this link (it restarted): it must be rebuilt."""
        ...


class MediaLink(Protocol):
    """One participant's connection to the media server."""

    async def publish(self, kind: FeedKind, feed_id: int, offer_sdp: str) -> str:
        """Publish a feed from an offer; return the answer SDP."""
        ...

    async def unpublish(self, kind: FeedKind) -> None: ...

    async def watch(self, feed_id: int, mid: str | None = None) -> str:
        """Subscribe to a feed (or one stream of it); return the media server's offer SDP."""
        ...

    async def answer(self, feed_id: int, answer_sdp: str) -> None: ...

    async def unwatch(self, feed_id: int) -> None: ...

    async def trickle(self, target: str, candidate: dict[str, Any] | None) -> None:
        """A client ICE candidate for `publish:<kind>` or `watch:<feed>` (None: gathering done)."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Dial:
    """One phone call to place through the SIP trunk."""

    callee_uri: str  # sip:+15551234567@trunk
    caller_uri: str  # sip:ngage@trunk, the From of the INVITE
    display_name: str
    offer_sdp: str  # the WebRTC side of the call (ngage's own peer)
    auth_user: str = ""
    password: str = field(default="", repr=False)  # a secret: never in logs


class CallEvents(Protocol):
    """Callbacks from the media server about one phone call."""

    def ringing(self) -> None: ...

    def answered(self, answer_sdp: str) -> None:
        """The callee picked up; the SDP answers the call's offer."""
        ...

    def ended(self, reason: str) -> None:
        """The call is over (BYE, busy, rejected, failed); no event follows."""
        ...


class PhoneCall(Protocol):
    async def hangup(self) -> None:
        """Hang up (idempotent); `ended` follows unless the call was already over."""
        ...

    async def close(self) -> None: ...


class MediaPlane(Protocol):
    """The media server as a whole: one room per meeting, one link per participant."""

    async def open_room(self, meeting_id: str, topic: str) -> None: ...

    async def close_room(self, meeting_id: str) -> None: ...

    async def moderate(self, meeting_id: str, feed_id: int, mid: str, mute: bool) -> None:
        """Block (or unblock) one stream of a publisher on the media server."""
        ...

    async def record(self, meeting_id: str, directory: str, on: bool) -> None:
        """Record every stream of the meeting's room into `directory`, or stop recording."""
        ...

    async def connect(self, meeting_id: str, events: MediaEvents) -> MediaLink: ...

    async def dial(self, dial: Dial, events: CallEvents) -> PhoneCall:
        """Place a phone call through the SIP trunk (`calling` once this returns)."""
        ...

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Until the media server answers (MediaUnavailable after `timeout` seconds)."""
        ...

    async def close(self) -> None: ...
