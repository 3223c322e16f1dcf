"""Closed captions: the host types them, or names a participant who does.

Every caption goes to everyone whose role has captions, and into the meeting log,
from which a recording's CC (WebVTT) file is made.
"""

from __future__ import annotations

from typing import Any

from ngage.errors import NotFound, NotPermitted
from ngage.meetings.rights import check_captions, rights_for
from ngage.signaling import messages
from ngage.signaling.messages import Caption, Captioner
from ngage.signaling.participant import Participant

CAPTIONER = "captioner"


async def captioner(participant: Participant, message: Captioner) -> None:
    """The host names who types captions (None: the host alone)."""
    check_captions(participant.rights)
    if not participant.member.hosting:
        raise NotPermitted("only a host or co-host assigns who types captions")
    hub, meeting_id = participant.context.hub, participant.meeting_id
    members = {m.participant_id: m for m in await hub.members(meeting_id)}
    if message.participant_id is not None:
        if message.participant_id not in members:
            raise NotFound("that participant is not in the meeting")
        role = members[message.participant_id].role
        if role == "phone":
            raise NotPermitted("a phone participant cannot type captions")
        if not rights_for(participant.settings_json, role).captions:  # type: ignore[arg-type]
            raise NotPermitted("captions are not enabled for that participant's role")
    await hub.set_setting(meeting_id, CAPTIONER, message.participant_id)
    name = members[message.participant_id].name if message.participant_id else None
    notice = messages.message("captioner", participant_id=message.participant_id, name=name)
    await participant.announce(notice, message.id)


async def caption(participant: Participant, message: Caption) -> None:
    check_captions(participant.rights)
    assigned = await participant.context.hub.setting(participant.meeting_id, CAPTIONER)
    if not participant.member.hosting and participant.participant_id != assigned:
        raise NotPermitted("only a host, co-host or the assigned captioner types captions")
    room = participant.room  # captions, like chat, stay in the room they are typed in
    at_us = participant.context.events.record(
        participant.meeting_id, "caption", participant.participant_id, text=message.text, room=room
    )
    shown = messages.message(
        "caption",
        participant_id=participant.participant_id,
        name=participant.member.name,
        text=message.text,
        room=room,
        at=at_us // 1000,
    )
    await participant.announce(shown, message.id)


async def current_captioner(participant: Participant) -> dict[str, Any] | None:
    """Who types captions now (for `joined`); None when it is the host."""
    hub = participant.context.hub
    captioner_id = await hub.setting(participant.meeting_id, CAPTIONER)
    for member in await hub.members(participant.meeting_id):
        if member.participant_id == captioner_id:
            return {"participant_id": member.participant_id, "name": member.name}
    return None
