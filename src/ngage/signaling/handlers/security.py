"""The meeting's security: lock, waiting room, what participants may do, removing people.

Links are per role, not per person, so a removal sticks to the browser that was
removed (its `client_id`): the same link opened there no longer gets in.
"""

from __future__ import annotations

from ngage.errors import MeetingLocked, NotFound, NotPermitted
from ngage.meetings.rights import check_secure
from ngage.signaling import messages
from ngage.signaling.handlers import lobby
from ngage.signaling.handlers.moderation import set_blocked
from ngage.signaling.hub import MeetingHub
from ngage.signaling.messages import Join, Remove, Security
from ngage.signaling.participant import Participant

SECURITY, BANNED = "security", "banned"
DEFAULTS: dict[str, bool] = {
    "locked": False,
    "waiting_room": False,
    "allow_unmute": True,
    "allow_share": True,
    "allow_chat": True,
    "allow_rename": True,
}


async def state(hub: MeetingHub, meeting_id: str) -> dict[str, bool]:
    return {**DEFAULTS, **(await hub.setting(meeting_id, SECURITY) or {})}


async def check_admission(hub: MeetingHub, meeting_id: str, join: Join) -> None:
    """MeetingLocked when the meeting is locked (hosts still get in) or this browser is out."""
    banned: set[str] = await hub.setting(meeting_id, BANNED) or set()
    if join.client_id is not None and join.client_id in banned:
        raise MeetingLocked("the host removed you from this meeting")
    if join.role != "host" and (await state(hub, meeting_id))["locked"]:
        raise MeetingLocked("the host has locked this meeting")


async def must_wait(hub: MeetingHub, meeting_id: str, join: Join) -> bool:
    """A participant arriving while the waiting room is on waits to be let in."""
    return join.role != "host" and (await state(hub, meeting_id))["waiting_room"]


async def check_allowed(participant: Participant, permission: str, action: str) -> None:
    """NotPermitted when the host turned `permission` off (hosts and co-hosts are exempt)."""
    if participant.member.hosting:
        return
    if not (await state(participant.context.hub, participant.meeting_id))[permission]:
        raise NotPermitted(f"the host does not allow participants to {action}")


async def security(participant: Participant, message: Security) -> None:
    check_secure(participant.rights)
    hub, meeting_id = participant.context.hub, participant.meeting_id
    changes = message.changes()
    now = {**await state(hub, meeting_id), **changes}
    await hub.set_setting(meeting_id, SECURITY, now)
    await participant.announce({**messages.message("security"), **now}, message.id)
    if changes.get("waiting_room") is False:
        await lobby.decide_all(hub, meeting_id, "admit")  # as in Zoom: everyone waiting gets in
    if changes.get("allow_unmute") is False:
        await _hold_muted(participant)


async def _hold_muted(participant: Participant) -> None:
    """Keep muted participants muted in Janus: they may not unmute themselves now."""
    for member in await participant.context.hub.members(participant.meeting_id):
        if member.audio_muted and not member.hosting:
            await set_blocked(participant, member.participant_id, "audio", True)


async def remove(participant: Participant, message: Remove) -> None:
    check_secure(participant.rights)
    hub, meeting_id = participant.context.hub, participant.meeting_id
    members = {m.participant_id: m for m in await hub.members(meeting_id)}
    target = members.get(message.participant_id)
    if target is None or target.participant_id == participant.participant_id:
        raise NotFound("that participant is not in the meeting")
    if target.role == "host":
        raise NotPermitted("a host cannot be removed")
    if target.cohost and participant.member.role != "host":
        raise NotPermitted("only the host can remove a co-host")
    await _ban(hub, meeting_id, message.participant_id)
    notice = messages.message("removed", by=participant.member.name)
    await hub.send_to(meeting_id, message.participant_id, notice)
    removed = messages.message(
        "participant-removed", message.id, participant_id=target.participant_id
    )
    participant.send(removed)


async def _ban(hub: MeetingHub, meeting_id: str, participant_id: str) -> None:
    client_ids: dict[str, str] = await hub.setting(meeting_id, "client_ids") or {}
    banned: set[str] = await hub.setting(meeting_id, BANNED) or set()
    if participant_id in client_ids:
        await hub.set_setting(meeting_id, BANNED, banned | {client_ids[participant_id]})
