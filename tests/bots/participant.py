"""An aiortc meeting participant that speaks docs/protocol.md the way the browser does.

    async with Bot(meeting.start_url) as host, Bot(meeting.join_url) as guest:
        await host.join()
        await guest.join()
        await guest.wait_frames(host.participant_id, video=10, audio=10)

By default a bot publishes its camera (tone + moving pattern) once the meeting is live,
watches every feed it is told about (`joined.feeds`, `feed-added`), counts what arrives
per feed, and after `media-restart` closes its peer connections and publishes again.
Requests refused by the server raise `Refused` (with the protocol's `code`); work the bot
does on its own (auto-publish, auto-watch) records its exceptions in `failures`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Coroutine
from typing import Any

import aioice.ice
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamTrack

from tests.bots.media import FeedStats, MediaClock, MediaSpec, PatternTrack, ToneTrack, count_frames
from tests.bots.signaling import Channel, Disconnected, Message, Predicate, Refused
from tests.bots.wire import MeetingLink, candidates_of, parse_link, without_candidates

log = logging.getLogger("tests.bots")
PING_SECONDS = 20.0


def use_host_address(address: str) -> None:
    """Make aioice gather host candidates on `address` only.

    aioice 0.13 lists every interface address but 127.0.0.1 and ::1 (`get_host_addresses`);
    pinning it to the media address keeps candidates on the namespace's veth, where Janus
    listens. Process-wide, like the module function it replaces.
    """

    def host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return [address]

    aioice.ice.get_host_addresses = host_addresses


def _ipv4_literal(host: str) -> bool:
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).version == 4
    return False


class Bot:
    """One participant: a signaling socket, a publishing peer connection per kind,
    and a watching peer connection per remote feed.

    `link` is a start_url (host) or join_url (participant). `media` shapes the synthetic
    camera; `audio`/`video`/`screen` say what auto-publish sends. `local_address` is
    where ICE runs; by default the link's host when that is an IPv4 address.
    """

    def __init__(
        self,
        link: str | MeetingLink,
        *,
        name: str | None = None,
        media: MediaSpec | None = None,
        audio: bool = True,
        video: bool = True,
        screen: bool = False,
        auto_publish: bool = True,
        auto_watch: bool = True,
        trickle: bool = True,
        local_address: str | None = None,
        label: str | None = None,
    ) -> None:
        self.link = link if isinstance(link, MeetingLink) else parse_link(link)
        self.name = name or self.link.name or self.link.role
        self.media = media or MediaSpec()
        self.clock = MediaClock()
        self.auto_publish, self.auto_watch, self.trickle = auto_publish, auto_watch, trickle
        self.channel = Channel(self.link.ws_url, self.link.origin, label or self.name)
        self.channel.on_message = self._on_message
        self.joined: Message | None = None
        self.participant_id: str | None = None
        self.live = False
        self.participants: dict[str, Message] = {}
        self.feeds: dict[int, Message] = {}
        self.published: dict[str, int] = {}
        self.stats: list[FeedStats] = []
        self.failures: list[BaseException] = []
        self._reported = 0
        self.audio_muted = self.video_muted = False
        self._initial = {"camera": (audio, video)} | ({"screen": (False, True)} if screen else {})
        self._wanted: dict[str, tuple[bool, bool]] = {}
        self._publishers: dict[str, RTCPeerConnection] = {}
        self._watchers: dict[int, RTCPeerConnection] = {}
        self._tracks: dict[str, list[MediaStreamTrack]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        # Peer connections being closed: never cancelled, since a close cut short leaves its
        # sockets open (and a second close() would wait for the first for ever).
        self._closers: set[asyncio.Future[Any]] = set()
        self._negotiating: set[RTCPeerConnection] = set()  # watchers not answered yet
        self._closing = False
        self._publishing: asyncio.Task[None] | None = None
        self.generation = 0  # media-restarts (and room changes) seen
        self.room = 0  # 0: the main room; else the breakout room we are in
        address = local_address or (self.link.host if _ipv4_literal(self.link.host) else None)
        if address:
            use_host_address(address)

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Bot:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def join(
        self,
        *,
        audio_muted: bool = False,
        video_muted: bool = False,
        client_id: str | None = None,
        timeout: float = 10.0,
    ) -> Message:
        """Connect and send `join`; returns `joined`, raises Refused (the socket then closes)."""
        self.audio_muted, self.video_muted = audio_muted, video_muted
        await self.channel.connect()
        self._spawn(self._keep_alive(), "ping")
        return await self.channel.request(
            "join",
            timeout=timeout,
            token=self.link.token,
            role=self.link.role,
            name=self.name,
            audio_muted=audio_muted,
            video_muted=video_muted,
            client_id=client_id,
        )

    async def leave(self, timeout: float = 10.0) -> int | None:
        """Send `leave`; returns the close code once the server closed the socket."""
        await self.channel.send({"type": "leave"})
        return await self.wait_closed(timeout)

    async def close(self) -> None:
        """Stop everything: tasks, peer connections, the socket. Safe to call twice."""
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._close_peers(self._take_peers())
        await asyncio.gather(*self._closers, return_exceptions=True)
        await self.channel.close()

    async def wait_closed(self, timeout: float = 10.0) -> int | None:
        """The socket's close code, once the server closed it."""
        try:
            await asyncio.wait_for(self.channel.closed.wait(), timeout)
        except TimeoutError:
            raise self.channel.timed_out("socket close", timeout) from None
        return self.channel.close_code

    def check(self) -> None:
        """Raise the exceptions of the bot's own background work not raised before, if any."""
        fresh, self._reported = self.failures[self._reported :], len(self.failures)
        if fresh:
            raise AssertionError(f"{self.name} failed: {fresh!r}") from fresh[0]

    # -- requests ----------------------------------------------------------------------

    async def publish(
        self, kind: str = "camera", *, audio: bool = True, video: bool = True, timeout: float = 15.0
    ) -> int:
        """Publish `kind` (camera: tone and/or pattern; screen: pattern); returns the feed."""
        peer = self._peer()
        for track in self._new_tracks(kind, audio, video):
            peer.addTransceiver(track, direction="sendonly")
        try:
            await peer.setLocalDescription(await peer.createOffer())
            reply = await self._negotiate(peer, "publish", f"publish:{kind}", timeout, kind=kind)
            await peer.setRemoteDescription(RTCSessionDescription(reply["sdp"], "answer"))
        except BaseException:
            await self._close_peers([peer])
            raise
        if replaced := self._publishers.get(kind):  # the server ended that one (a new publish)
            self._close_soon([replaced])
        self._publishers[kind], self.published[kind] = peer, reply["feed"]
        self._wanted[kind] = (audio, video)
        # Wake wait_published: the reply's notify came before this state change, and a
        # silent bot (beeps only) may get no further event (no `speaking`) to wake it.
        self.channel.notify()
        return int(reply["feed"])

    async def unpublish(self, kind: str = "camera", timeout: float = 10.0) -> Message:
        self._wanted.pop(kind, None)
        reply = await self.channel.request("unpublish", timeout=timeout, kind=kind)
        self.published.pop(kind, None)
        if peer := self._publishers.pop(kind, None):
            await self._close_peers([peer])
        return reply

    async def watch(self, feed: int, timeout: float = 15.0) -> FeedStats:
        """Subscribe to `feed`: answer ngage's offer and count the frames that arrive."""
        if feed in self._watchers:
            raise ValueError(f"{self.name} already watches feed {feed}")
        peer = self._watchers[feed] = self._peer()
        info = self.feeds.get(feed, {})
        stats = FeedStats(feed, str(info.get("participant_id", "")), str(info.get("kind", "")))
        peer.on("track", lambda track: self._spawn(self._count(track, stats), f"feed-{feed}"))
        self.stats.append(stats)
        self._negotiating.add(peer)
        try:
            await self._answer_offer(peer, feed, timeout)
        except BaseException:
            if self._watchers.get(feed) is peer:
                del self._watchers[feed]
            self.stats.remove(stats)
            await self._close_peers([peer])
            raise
        finally:
            self._negotiating.discard(peer)
        if self._watchers.get(feed) is not peer:  # the feed went while we negotiated
            await self._close_peers([peer])
        return stats

    async def unwatch(self, feed: int, timeout: float = 10.0) -> Message:
        reply = await self.channel.request("unwatch", timeout=timeout, feed=feed)
        if peer := self._watchers.pop(feed, None):
            await self._close_peers([peer])
        return reply

    async def mute(
        self, *, audio_muted: bool | None = None, video_muted: bool | None = None
    ) -> Message:
        """Disable the tracks and send `mute`; returns the `participant-updated` about us."""
        wanted = {"audio_muted": audio_muted, "video_muted": video_muted}
        fields = {key: value for key, value in wanted.items() if value is not None}
        self.audio_muted = self.audio_muted if audio_muted is None else audio_muted
        self.video_muted = self.video_muted if video_muted is None else video_muted
        self._apply_mute()
        return await self.channel.request("mute", also=self._about_me, **fields)

    async def record(self, action: str = "start") -> Message:
        return await self.channel.request("record", action=action)

    async def end(self) -> Message:
        """End the meeting for everyone (host only); returns `meeting-ended`."""
        ended: Predicate = lambda message: message.get("type") == "meeting-ended"  # noqa: E731
        return await self.channel.request("end", also=ended)

    async def ping(self) -> Message:
        return await self.channel.request("ping")

    async def send_raw(self, frame: str | bytes) -> None:
        await self.channel.send_raw(frame)

    # -- observing ---------------------------------------------------------------------

    @property
    def events(self) -> list[Message]:
        """Every message the server sent, in order."""
        return self.channel.events

    def find(self, kind: str, predicate: Predicate | None = None, after: int = 0) -> Message | None:
        return self.channel.find(kind, predicate, after)

    async def wait_for(
        self, kind: str, predicate: Predicate | None = None, timeout: float = 10.0, after: int = 0
    ) -> Message:
        """The first event of `kind` from index `after` on (received or still to come)."""
        return await self.channel.wait_for(kind, predicate, timeout, after)

    async def wait_published(self, kind: str = "camera", timeout: float = 15.0) -> int:
        """The feed of our `kind` once the server confirmed it (`published`)."""

        def feed() -> int | None:
            self.check()
            return self.published.get(kind)

        return await self.channel.wait_until(feed, timeout, f"published {kind}")

    def received_from(self, participant_id: str, kind: str = "camera") -> list[FeedStats]:
        """Every watch of that participant's `kind` feeds, old ones (before a restart) too."""
        return [s for s in self.stats if s.participant_id == participant_id and s.kind == kind]

    def frames_from(self, participant_id: str, kind: str = "camera") -> tuple[int, int]:
        """(video frames, audio frames) received so far from that participant's `kind`."""
        received = self.received_from(participant_id, kind)
        return sum(s.video_frames for s in received), sum(s.audio_frames for s in received)

    async def wait_frames(
        self,
        participant_id: str,
        *,
        video: int = 0,
        audio: int = 0,
        kind: str = "camera",
        timeout: float = 10.0,
    ) -> tuple[int, int]:
        """Until `video` and `audio` more frames than now arrived from that participant."""
        start_video, start_audio = self.frames_from(participant_id, kind)

        def enough() -> tuple[int, int] | None:
            self.check()
            now_video, now_audio = self.frames_from(participant_id, kind)
            done = now_video - start_video >= video and now_audio - start_audio >= audio
            return (now_video, now_audio) if done else None

        return await self.channel.wait_until(enough, timeout, f"frames from {participant_id}")

    # -- negotiation -------------------------------------------------------------------

    def _peer(self) -> RTCPeerConnection:
        config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        return RTCPeerConnection(config)

    def _new_tracks(self, kind: str, audio: bool, video: bool) -> list[MediaStreamTrack]:
        tracks: list[MediaStreamTrack] = []
        if audio:
            tracks.append(ToneTrack(self.media, self.clock))
        if video:
            tracks.append(PatternTrack(self.media, self.clock, screen=kind == "screen"))
        self._tracks[kind] = tracks
        self._apply_mute()
        return tracks

    def _apply_mute(self) -> None:
        for track in self._tracks.get("camera", []):
            muted = self.audio_muted if track.kind == "audio" else self.video_muted
            track.enabled = not muted  # type: ignore[attr-defined]

    def _local_sdp(self, peer: RTCPeerConnection) -> str:
        sdp = peer.localDescription.sdp
        return without_candidates(sdp) if self.trickle else sdp

    async def _negotiate(
        self, peer: RTCPeerConnection, request: str, pc: str, timeout: float, **fields: Any
    ) -> Message:
        """Send our description and trickle our candidates at once, as a browser does."""
        future, message = self.channel.start_request(request, sdp=self._local_sdp(peer), **fields)
        await self.channel.send(message)
        if self.trickle:
            for candidate in [*candidates_of(peer.localDescription.sdp), None]:
                await self.channel.send({"type": "trickle", "pc": pc, "candidate": candidate})
        return await self.channel.reply(future, timeout)

    async def _answer_offer(self, peer: RTCPeerConnection, feed: int, timeout: float) -> None:
        offer = await self.channel.request("watch", timeout=timeout, feed=feed)
        await peer.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        await peer.setLocalDescription(await peer.createAnswer())
        await self._negotiate(peer, "answer", f"watch:{feed}", timeout, feed=feed)

    async def _count(self, track: MediaStreamTrack, stats: FeedStats) -> None:
        await count_frames(track, stats, self.channel.notify)

    # -- events ------------------------------------------------------------------------

    def _on_message(self, message: Message) -> None:
        handler = getattr(self, "_on_" + str(message.get("type", "")).replace("-", "_"), None)
        if handler is not None:
            handler(message)

    def _on_joined(self, message: Message) -> None:
        self.joined, self.participant_id = message, message["participant_id"]
        self.live = self.link.role == "host" or message["meeting"].get("status") == "live"
        self.participants = {p["participant_id"]: p for p in message.get("participants", [])}
        for feed in message.get("feeds", []):
            self._on_feed_added({"feed": feed})
        if self.auto_publish:
            self._wanted.update(self._initial)
            self._publishing = self._spawn(self._publish_when_live(), "auto-publish")

    def _on_waiting(self, message: Message) -> None:
        self.live = False

    def _on_meeting_started(self, message: Message) -> None:
        self.live = True

    def _on_participant_joined(self, message: Message) -> None:
        self.participants[message["participant"]["participant_id"]] = message["participant"]

    _on_participant_updated = _on_participant_joined

    def _on_participant_left(self, message: Message) -> None:
        self.participants.pop(message["participant_id"], None)

    def _on_feed_added(self, message: Message) -> None:
        feed = message["feed"]
        self.feeds[feed["feed"]] = feed
        mine = feed["participant_id"] == self.participant_id
        if self.auto_watch and not mine and feed["feed"] not in self._watchers:
            self._spawn(self._auto_watch(feed["feed"]), f"watch-{feed['feed']}")

    def _on_feed_removed(self, message: Message) -> None:
        self.feeds.pop(message["feed"], None)
        peer = self._watchers.pop(message["feed"], None)
        # A watch still negotiating closes its own peer when done: closing it while ICE
        # gathers would leave the sockets gathered after the close open (aioice).
        if peer is not None and peer not in self._negotiating:
            self._close_soon([peer])

    def _on_media_restart(self, message: Message) -> None:
        self.generation += 1
        if self._publishing is not None:
            self._publishing.cancel()
        closing = self._close_soon(self._take_peers())
        self.feeds.clear()
        self.published.clear()
        self._publishing = self._spawn(self._restart(closing), "media-restart")

    def _on_room_changed(self, message: Message) -> None:
        """Into another (breakout) room: as after a media restart, close every peer
        connection and publish again, then watch the feeds of the new room."""
        self.room = message["room"]
        self._on_media_restart(message)
        for feed in message.get("feeds", []):
            self._on_feed_added({"feed": feed})

    def _about_me(self, message: Message) -> bool:
        about = message.get("participant", {}).get("participant_id")
        return message.get("type") == "participant-updated" and about == self.participant_id

    # -- background work ---------------------------------------------------------------

    def _spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(self._guard(work), name=f"{self.name}-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: work.close())  # cancelled before it began: unawaited
        return task

    async def _guard(self, work: Coroutine[Any, Any, Any]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not self._closing and not self.channel.closed.is_set():
                log.exception("%s: background work failed", self.name)
                self.failures.append(exc)
                self.channel.notify()

    async def _publish_when_live(self) -> None:
        """Publish every wanted kind once the meeting is live (after `waiting`, on
        `meeting-started`); a `media-unavailable` answer waits for the `media-restart`."""
        for kind, (audio, video) in list(self._wanted.items()):
            while kind not in self.published:
                await self.channel.wait_until(lambda: self.live, timeout=3600, what="live")
                try:
                    await self.publish(kind, audio=audio, video=video)
                except Refused as refused:
                    if refused.code == "media-unavailable":
                        return
                    if refused.code != "waiting":
                        raise
                    self.live = False

    async def _auto_watch(self, feed: int) -> None:
        generation = self.generation
        try:
            await self.watch(feed)
        except Refused as refused:
            if refused.code != "not-found":
                raise
            # docs/protocol.md: a watcher that gets not-found waits for the next feed-added.
            log.info("%s: feed %s not found; waiting for its next feed-added", self.name, feed)
        except Exception:
            # The feed may be gone, or Janus restarted, before the watch completed.
            if generation == self.generation and feed in self.feeds:
                raise

    async def _restart(self, closing: asyncio.Future[Any]) -> None:
        await asyncio.shield(closing)
        await self._publish_when_live()

    async def _keep_alive(self) -> None:
        with contextlib.suppress(Disconnected):
            while not self.channel.closed.is_set():
                await asyncio.sleep(PING_SECONDS)
                await self.channel.send({"type": "ping"})

    def _take_peers(self) -> list[RTCPeerConnection]:
        """Every peer connection, forgotten, to close; a watch still negotiating closes
        its own when done (see watch)."""
        peers = [*self._publishers.values(), *self._watchers.values()]
        self._publishers.clear()
        self._watchers.clear()
        return [peer for peer in peers if peer not in self._negotiating]

    def _close_soon(self, peers: list[RTCPeerConnection]) -> asyncio.Future[Any]:
        closing = asyncio.gather(*(peer.close() for peer in peers), return_exceptions=True)
        self._closers.add(closing)
        closing.add_done_callback(self._closers.discard)
        return closing

    async def _close_peers(self, peers: list[RTCPeerConnection]) -> None:
        """Close them, to the end even if the caller is cancelled meanwhile."""
        await asyncio.shield(self._close_soon(peers))
