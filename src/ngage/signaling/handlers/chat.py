"""In-meeting chat: to everyone or privately to one person; history for late joiners.

Messages go into the meeting event log, which is also where the history and the
recording's chat file come from. A message to everyone belongs to the sender's room: in a
breakout room it reaches that room only, as in Zoom; private messages cross rooms.
"""

from __future__ import annotations

import secrets
from typing import Any

from ngage.errors import NotFound
from ngage.meetings.rights import check_chat
from ngage.signaling import messages
from ngage.signaling.handlers.security import check_allowed
from ngage.signaling.hub import Member
from ngage.signaling.messages import Chat
from ngage.signaling.participant import Participant


async def chat(participant: Participant, message: Chat) -> None:
    check_chat(participant.rights)
    recipient = await _recipient(participant, message.to)
    if recipient is None or not recipient.hosting:  # the hosts can always be reached
        await check_allowed(participant, "allow_chat", "chat (only with the hosts)")
    sender = participant.member
    fields: dict[str, Any] = {
        "message_id": secrets.token_urlsafe(9),
        "name": sender.name,
        "to": message.to,
        "to_name": recipient.name if recipient else None,
        "text": message.text,
        "room": participant.room,
    }
    at_us = participant.context.events.record(
        participant.meeting_id, "chat", sender.participant_id, **fields
    )
    body = {**fields, "from": sender.participant_id, "at": at_us // 1000}
    out = messages.message("chat", message=body)
    participant.send(messages.replying(out, message.id))
    if message.to is None:
        await participant.broadcast(out)
    else:
        await participant.context.hub.send_to(participant.meeting_id, message.to, out)


async def _recipient(participant: Participant, to: str | None) -> Member | None:
    """The recipient (None for everyone); NotFound when they are not here."""
    if to is None:
        return None
    for member in await participant.context.hub.members(participant.meeting_id):
        if member.participant_id == to and to != participant.participant_id:
            return member
    raise NotFound("that participant is not in the meeting")
