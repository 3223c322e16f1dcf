"""A phone call placed from a meeting: the callee is a participant like any other.

Once the callee answers, the phone joins the roster (role `phone`), publishes the
callee's voice as an audio-only camera feed and watches everyone's audio, which
`ngage.phone.bridge` mixes for the callee. The caller gets `call-out` status
messages; everyone sees the phone join and leave. A BYE, a hangup by the caller or
the host, the host removing the phone, and the end of the meeting all end the call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from ngage.errors import MediaError, MediaUnavailable, NgageError
from ngage.meetings.media import PhoneCall
from ngage.meetings.rights import rights_for
from ngage.phone.bridge import PhoneBridge
from ngage.phone.numbers import Trunk, display_name
from ngage.signaling import messages
from ngage.signaling.departure import depart
from ngage.signaling.hub import Feed, Member
from ngage.signaling.participant import Participant, new_participant_id
from ngage.signaling.sdp import sent_mids

log = logging.getLogger("ngage.signaling")

_ENDING_EVENTS = ("meeting-ended", "removed")
_REPLY_SECONDS = 5.0


def phone_member(number: str) -> Member:
    return Member(new_participant_id(), display_name(number), "phone", video_muted=True)


class PhoneParticipant:
    """One call-out, from dialling to hangup (implements `CallEvents` and `PhoneLine`)."""

    def __init__(self, caller: Participant, number: str) -> None:
        rights = rights_for(caller.settings_json, "participant")
        self.phone = Participant(
            caller.context, caller.meeting_id, caller.topic, phone_member(number), rights
        )
        self.phone.settings_json = caller.settings_json
        self.meeting_id = caller.meeting_id
        self.caller_id = caller.participant_id
        self.number = number
        self.status = "calling"
        self._bridge = PhoneBridge()
        self._call: PhoneCall | None = None
        self._entered = False
        self._over = False
        # The caller's news waits for the answer to their `call-out`, which says `calling`:
        # Janus may report ringing, even the answer, before that reply is out.
        self._replied = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def participant_id(self) -> str:
        return self.phone.participant_id

    def status_message(self, status: str, reason: str | None = None) -> dict[str, Any]:
        fields = {"reason": reason} if reason else {}
        return messages.message(
            "call-out",
            status=status,
            participant_id=self.participant_id,
            number=self.number,
            **fields,
        )

    async def dial(self, trunk: Trunk) -> None:
        """Send the INVITE (MediaError, MediaUnavailable when Janus refuses)."""
        media = self.phone.context.media
        if media is None:
            raise MediaUnavailable("live meetings are not enabled on this server")
        try:
            offer = await self._bridge.call_offer()
            self._call = await media.dial(trunk.dial(self.number, offer), self)
        except BaseException:
            await self._bridge.close()
            raise
        if not self._over:  # a call refused at once (busy) may be over already
            self.phone.context.calls[self.participant_id] = self

    def replied(self) -> None:
        """The caller has their `calling` answer: later news may follow."""
        self._replied.set()

    async def hangup(self) -> None:
        if self._call is not None:
            await self._call.hangup()
        await self._finish("hangup")  # in case Janus already forgot the call

    # CallEvents: from the media adapter, outside any request.
    def ringing(self) -> None:
        if self.status == "calling":
            self._tell_caller("ringing")

    def answered(self, answer_sdp: str) -> None:
        self._spawn(self._join(answer_sdp))

    def ended(self, reason: str) -> None:
        self._spawn(self._finish(reason))

    def _tell_caller(self, status: str, reason: str | None = None) -> None:
        self.status = status
        self._spawn(self._send_to_caller(self.status_message(status, reason)))

    async def _send_to_caller(self, notice: dict[str, Any]) -> None:
        await self._replied.wait()
        await self.phone.context.hub.send_to(self.meeting_id, self.caller_id, notice)

    async def _join(self, answer_sdp: str) -> None:
        await self._bridge.call_answered(answer_sdp)
        await self._enter()
        self._tell_caller("in-call")
        await self._publish()
        for feed in await self.phone.context.hub.feeds(self.meeting_id):
            await self._watch(feed)
        self._spawn(self._follow_meeting())

    async def _enter(self) -> None:
        context, member = self.phone.context, self.phone.member
        self.phone.inbox = await context.hub.enter(self.meeting_id, member)
        self._entered = True
        context.events.record(
            self.meeting_id, "joined", member.participant_id, name=member.name, role=member.role
        )
        context.keep_open(self.meeting_id)
        await self.phone.broadcast(
            messages.message("participant-joined", participant=member.public())
        )

    async def _publish(self) -> None:
        link = await self.phone.link()
        feed_id = self.phone.feed_id("camera")
        offer = await self._bridge.publish_offer()
        self.phone.mids["camera"] = sent_mids(offer)
        self.phone.starting["camera"] = feed_id  # announced on Janus's webrtcup
        answer = await link.publish("camera", feed_id, offer)
        await link.trickle("publish:camera", None)
        await self._bridge.published(answer)

    async def _watch(self, feed: Feed) -> None:
        mid = feed.mids.get("audio")
        if feed.participant_id == self.participant_id or mid is None:
            return
        link = await self.phone.link()
        try:
            offer = await link.watch(feed.feed, mid)
            await link.answer(feed.feed, await self._bridge.watch_answer(feed.feed, offer))
            await link.trickle(f"watch:{feed.feed}", None)
        except NgageError as error:  # the feed left meanwhile: the others still count
            log.info("phone %s: feed %s not mixed: %s", self.participant_id, feed.feed, error)

    async def _follow_meeting(self) -> None:
        inbox = self.phone.inbox
        while inbox is not None:
            event = await inbox.get()
            kind = event.get("type")
            if kind == "feed-added":
                await self._watch_new(int(event["feed"]["feed"]))
            elif kind == "feed-removed":
                await self._unwatch(int(event["feed"]))
            elif kind in _ENDING_EVENTS:
                self._spawn(self.hangup())
                return

    async def _watch_new(self, feed_id: int) -> None:
        for feed in await self.phone.context.hub.feeds(self.meeting_id):
            if feed.feed == feed_id:
                await self._watch(feed)

    async def _unwatch(self, feed_id: int) -> None:
        link = self.phone.existing_link()
        if link is not None:
            with contextlib.suppress(MediaError, MediaUnavailable):
                await link.unwatch(feed_id)
        await self._bridge.unwatch(feed_id)

    async def _finish(self, reason: str) -> None:
        if self._over:
            return
        self._over = True
        self.phone.context.calls.pop(self.participant_id, None)
        current = asyncio.current_task()
        for task in [t for t in self._tasks if t is not current]:
            task.cancel()
        if self._entered:
            await depart(self.phone)
        else:
            await self.phone.close()
        await self._bridge.close()
        if self._call is not None:
            await self._call.close()
        self.status = "ended"
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_REPLY_SECONDS):
                await self._replied.wait()
        await self.phone.context.hub.send_to(
            self.meeting_id, self.caller_id, self.status_message("ended", reason)
        )

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._guard(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except NgageError as error:
            log.warning("phone %s: %s; hanging up", self.participant_id, error.describe())
            await self.hangup()
        except Exception:
            log.exception("phone %s failed; hanging up", self.participant_id)
            await self.hangup()
