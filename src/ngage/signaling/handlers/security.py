"""The host's security controls: lock the meeting, remove a participant.

Links are per role, not per person, so a removal sticks to the browser that was
removed (its `client_id`): the same link opened there no longer gets in.
"""

from __future__ import annotations

from typing import Any

from ngage.errors import MeetingLocked, NotFound, NotPermitted
from ngage.meetings.rights import check_secure
from ngage.signaling import messages
from ngage.signaling.hub import MeetingHub
from ngage.signaling.messages import Join, Remove, Security
from ngage.signaling.participant import Participant

LOCKED, BANNED = "locked", "banned"


async def state(hub: MeetingHub, meeting_id: str) -> dict[str, Any]:
    return {"locked": bool(await hub.setting(meeting_id, LOCKED))}


async def check_admission(hub: MeetingHub, meeting_id: str, join: Join) -> None:
    """MeetingLocked when the meeting is locked (hosts still get in) or this browser is out."""
    banned: set[str] = await hub.setting(meeting_id, BANNED) or set()
    if join.client_id is not None and join.client_id in banned:
        raise MeetingLocked("the host removed you from this meeting")
    if join.role != "host" and await hub.setting(meeting_id, LOCKED):
        raise MeetingLocked("the host has locked this meeting")


async def security(participant: Participant, message: Security) -> None:
    check_secure(participant.rights)
    hub = participant.context.hub
    await hub.set_setting(participant.meeting_id, LOCKED, message.locked)
    update = messages.message("security", **await state(hub, participant.meeting_id))
    await participant.announce(update, message.id)


async def remove(participant: Participant, message: Remove) -> None:
    check_secure(participant.rights)
    hub, meeting_id = participant.context.hub, participant.meeting_id
    members = {m.participant_id: m for m in await hub.members(meeting_id)}
    target = members.get(message.participant_id)
    if target is None or target.participant_id == participant.participant_id:
        raise NotFound("that participant is not in the meeting")
    if target.role == "host":
        raise NotPermitted("a host cannot be removed")
    client_ids: dict[str, str] = await hub.setting(meeting_id, "client_ids") or {}
    banned: set[str] = await hub.setting(meeting_id, BANNED) or set()
    if message.participant_id in client_ids:
        await hub.set_setting(meeting_id, BANNED, banned | {client_ids[message.participant_id]})
    notice = messages.message("removed", by=participant.member.name)
    await hub.send_to(meeting_id, message.participant_id, notice)
    removed = messages.message(
        "participant-removed", message.id, participant_id=target.participant_id
    )
    participant.send(removed)
