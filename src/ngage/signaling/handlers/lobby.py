"""The host's side of the waiting room: who is waiting, and letting them in or not.

Guests are held by `ngage.signaling.lobby`; a decision reaches the guest's own
connection through the hub, wherever that connection is served.
"""

from __future__ import annotations

from typing import Any, Literal

from ngage.errors import NotFound
from ngage.meetings.rights import check_secure
from ngage.signaling import messages
from ngage.signaling.hub import MeetingHub, Member
from ngage.signaling.messages import Admit
from ngage.signaling.participant import Participant

Decision = Literal["admit", "deny", "ended"]


def guest_public(guest: Member) -> dict[str, Any]:
    return {"participant_id": guest.participant_id, "name": guest.name}


async def guests(hub: MeetingHub, meeting_id: str) -> list[dict[str, Any]]:
    return [guest_public(g) for g in await hub.lobby(meeting_id)]


async def announce(hub: MeetingHub, meeting_id: str) -> None:
    """Tell the hosts who is waiting now (others never receive `lobby`)."""
    update = messages.message("lobby", guests=await guests(hub, meeting_id))
    await hub.broadcast(meeting_id, update)


async def decide_all(hub: MeetingHub, meeting_id: str, decision: Decision) -> list[str]:
    return [
        guest.participant_id
        for guest in await hub.lobby(meeting_id)
        if await hub.send_to_guest(meeting_id, guest.participant_id, {"decision": decision})
    ]


async def admit(participant: Participant, message: Admit) -> None:
    check_secure(participant.rights)
    hub, meeting_id = participant.context.hub, participant.meeting_id
    if message.participant_id is None:
        decided = await decide_all(hub, meeting_id, message.action)
    elif await hub.send_to_guest(meeting_id, message.participant_id, {"decision": message.action}):
        decided = [message.participant_id]
    else:
        raise NotFound("nobody with that id is in the waiting room")
    reply = messages.message("admitted", message.id, action=message.action, participants=decided)
    participant.send(reply)
