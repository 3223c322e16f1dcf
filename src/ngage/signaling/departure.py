"""Leaving a meeting: the same steps for a browser's socket and for a phone call."""

from __future__ import annotations

from ngage.signaling import messages
from ngage.signaling.participant import Participant


async def depart(participant: Participant) -> None:
    """Leave the meeting (socket closed, `leave`, or meeting ended)."""
    context = participant.context
    for kind in list(participant.published):
        await participant.stop_feed(kind)
    await participant.close()
    remaining = await context.hub.leave(participant.meeting_id, participant.participant_id)
    context.events.record(participant.meeting_id, "left", participant.participant_id)
    left = messages.message("participant-left", participant_id=participant.participant_id)
    await context.hub.broadcast(participant.meeting_id, left)
    if remaining == 0:
        context.end_when_idle(participant.meeting_id)
