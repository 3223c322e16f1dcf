"""Who people are in the meeting: renaming, and the host naming co-hosts.

The hub holds everyone's member record; the person concerned picks the change up
from the `participant-updated` broadcast on their own connection.
"""

from __future__ import annotations

from ngage.errors import NotFound, NotPermitted
from ngage.meetings.rights import check_hosting, check_name_cohosts
from ngage.signaling import messages
from ngage.signaling.handlers.security import check_allowed
from ngage.signaling.hub import Member
from ngage.signaling.messages import Cohost, Rename
from ngage.signaling.participant import Participant


async def rename(participant: Participant, message: Rename) -> None:
    """Rename yourself (unless the host forbids it), or someone else as a host or co-host."""
    own = message.participant_id in (None, participant.participant_id)
    if own:
        await check_allowed(participant, "allow_rename", "rename themselves")
        target = participant.member
    else:
        check_hosting(participant.rights, "rename other participants")
        target = await _member(participant, str(message.participant_id))
    renamed = target.renamed(message.name)
    if own:
        participant.member = renamed
    participant.context.events.record(
        participant.meeting_id, "renamed", renamed.participant_id, name=renamed.name
    )
    await _publish(participant, renamed, message.id)


async def cohost(participant: Participant, message: Cohost) -> None:
    check_name_cohosts(participant.rights)
    target = await _member(participant, message.participant_id)
    if target.role == "host":
        raise NotPermitted("a host has every co-host right already")
    if target.role != "participant":
        raise NotPermitted("only a participant can be made co-host")
    await _publish(participant, target.as_cohost(message.cohost), message.id)


async def _member(participant: Participant, participant_id: str) -> Member:
    for member in await participant.context.hub.members(participant.meeting_id):
        if member.participant_id == participant_id:
            return member
    raise NotFound("that participant is not in the meeting")


async def _publish(participant: Participant, member: Member, re: str | None) -> None:
    await participant.context.hub.update(participant.meeting_id, member)
    update = messages.message("participant-updated", participant=member.public())
    await participant.announce(update, re)
