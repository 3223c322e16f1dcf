"""The chat as the event log holds it: each message as the protocol shows it, who may read
it, and the history a participant receives when they join or change rooms.

A message to everyone belongs to the room it was sent in (0: the main room); a private
message belongs to its sender and recipient, wherever they are.
"""

from __future__ import annotations

from typing import Any

import orjson

from ngage.meetings.breakout import MAIN_ROOM
from ngage.signaling.participant import Participant
from ngage.store import EventRecord

HISTORY = 500  # messages a newcomer receives


def chat_message(event: EventRecord) -> dict[str, Any]:
    """The protocol's message object for a logged chat event."""
    data = orjson.loads(event.data_json)
    return {
        "message_id": data.get("message_id", ""),
        "from": event.participant_id,
        "name": data.get("name", ""),
        "to": data.get("to"),
        "to_name": data.get("to_name"),
        "text": data.get("text", ""),
        "room": data.get("room", MAIN_ROOM),
        "at": event.at_us // 1000,
    }


def visible_to(message: dict[str, Any], participant_id: str, room: int) -> bool:
    """A private message to or from `participant_id`, or one to everyone in `room`."""
    if message["to"] is not None:
        return participant_id in (message["to"], message["from"])
    return bool(message.get("room", MAIN_ROOM) == room)


async def history(participant: Participant) -> list[dict[str, Any]]:
    """The chat so far that this participant may read where they are now, oldest first."""
    events = await participant.context.meeting_events(participant.meeting_id)
    chat = [chat_message(e) for e in events if e.kind == "chat"]
    mine = [m for m in chat if visible_to(m, participant.participant_id, participant.room)]
    return mine[-HISTORY:]
