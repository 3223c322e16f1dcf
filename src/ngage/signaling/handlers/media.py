"""Handlers for publishing and watching feeds (one small function per message type)."""

from __future__ import annotations

from ngage.errors import NotFound
from ngage.meetings.rights import check_publish
from ngage.signaling import messages
from ngage.signaling.handlers.moderation import keep_muted
from ngage.signaling.handlers.security import check_allowed
from ngage.signaling.messages import Answer, Publish, Trickle, Unpublish, Unwatch, Watch
from ngage.signaling.participant import Participant
from ngage.signaling.sdp import sent_media, sent_mids


async def publish(participant: Participant, message: Publish) -> None:
    participant.require_live()
    check_publish(participant.rights, message.kind, sent_media(message.sdp))
    if message.kind == "screen":
        await check_allowed(participant, "allow_share", "share their screen")
    await participant.stop_feed(message.kind)
    feed_id = participant.feed_id(message.kind)
    link = await participant.link()
    participant.starting[message.kind] = feed_id  # announced once its media flows
    participant.mids[message.kind] = sent_mids(message.sdp)
    try:
        sdp = await link.publish(message.kind, feed_id, message.sdp)
        if message.kind == "camera":
            await keep_muted(participant, feed_id, participant.mids["camera"])
    except Exception:
        participant.starting.pop(message.kind, None)
        raise
    reply = messages.message("published", message.id, kind=message.kind, feed=feed_id, sdp=sdp)
    participant.send(reply)


async def unpublish(participant: Participant, message: Unpublish) -> None:
    await participant.stop_feed(message.kind)
    participant.send(messages.message("unpublished", message.id, kind=message.kind))


async def watch(participant: Participant, message: Watch) -> None:
    participant.require_live()
    await _check_same_room(participant, message.feed)
    link = await participant.link()
    sdp = await link.watch(message.feed)
    participant.send(messages.message("offer", message.id, feed=message.feed, sdp=sdp))


async def answer(participant: Participant, message: Answer) -> None:
    link = await participant.link()
    await link.answer(message.feed, message.sdp)
    participant.send(messages.message("watching", message.id, feed=message.feed))


async def unwatch(participant: Participant, message: Unwatch) -> None:
    link = participant.existing_link()
    if link is not None:
        await link.unwatch(message.feed)
    participant.send(messages.message("unwatched", message.id, feed=message.feed))


async def trickle(participant: Participant, message: Trickle) -> None:
    link = participant.existing_link()
    if link is None:
        raise NotFound(f"no peer connection {message.pc!r}")
    await link.trickle(message.pc, message.candidate)


async def _check_same_room(participant: Participant, feed_id: int) -> None:
    """A feed of another (breakout) room is not there for this participant."""
    for feed in await participant.context.hub.feeds(participant.meeting_id):
        if feed.feed == feed_id and feed.room != participant.room:
            raise NotFound(f"no feed {feed_id} in your room")
