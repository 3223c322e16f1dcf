"""The peer connections ngage holds for one phone call (aiortc, in the server process).

    call leg      ngage <-> Janus SIP plugin <-> RTP <-> callee   (sends the mix,
                                                                  receives the callee)
    publisher     ngage  -> VideoRoom: the callee's audio as an audio-only camera feed
    watchers      VideoRoom -> ngage: one per participant, their audio into the mix

aiortc decodes and encodes off the event loop (its codec threads and executor);
the mix itself is a sum of small int16 arrays every 20 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack

from ngage.phone.mixer import MixedTrack, Mixer, feed_mixer


def _peer() -> RTCPeerConnection:
    # No STUN: Janus runs next to ngage, host candidates reach it.
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


async def _local_offer(peer: RTCPeerConnection) -> str:
    await peer.setLocalDescription(await peer.createOffer())  # gathers every candidate
    return str(peer.localDescription.sdp)


class PhoneBridge:
    def __init__(self) -> None:
        self.mixer = Mixer()
        self._call = _peer()
        self._publisher: RTCPeerConnection | None = None
        self._watchers: dict[int, RTCPeerConnection] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def call_offer(self) -> str:
        """The call leg's offer: it sends the mix and receives the callee."""
        self._call.addTransceiver(MixedTrack(self.mixer), direction="sendrecv")
        return await _local_offer(self._call)

    async def call_answered(self, answer_sdp: str) -> None:
        await self._call.setRemoteDescription(RTCSessionDescription(answer_sdp, "answer"))

    def _callee(self) -> MediaStreamTrack:
        return self._call.getTransceivers()[0].receiver.track

    async def publish_offer(self) -> str:
        """The publisher's offer, carrying the callee's audio into the meeting."""
        self._publisher = _peer()
        self._publisher.addTransceiver(self._callee(), direction="sendonly")
        return await _local_offer(self._publisher)

    async def published(self, answer_sdp: str) -> None:
        if self._publisher is not None:
            description = RTCSessionDescription(answer_sdp, "answer")
            await self._publisher.setRemoteDescription(description)

    async def watch_answer(self, feed: int, offer_sdp: str) -> str:
        """Answer a feed's audio offer; its audio joins the mix."""
        await self.unwatch(feed)
        peer = self._watchers[feed] = _peer()
        peer.on("track", lambda track: self._spawn(feed_mixer(track, self.mixer, feed)))
        await peer.setRemoteDescription(RTCSessionDescription(offer_sdp, "offer"))
        await peer.setLocalDescription(await peer.createAnswer())
        return str(peer.localDescription.sdp)

    async def unwatch(self, feed: int) -> None:
        peer = self._watchers.pop(feed, None)
        if peer is not None:
            await peer.close()  # ends its track, and so its feed into the mixer

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        peers = [self._call, *self._watchers.values()]
        if self._publisher is not None:
            peers.append(self._publisher)
        self._watchers.clear()
        await asyncio.gather(*(peer.close() for peer in peers), return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._tasks, return_exceptions=True)
