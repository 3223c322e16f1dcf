"""Joining and leaving a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ngage.errors import MediaUnavailable
from ngage.meetings.lifecycle import CREATED
from ngage.meetings.rights import Rights, rights_for
from ngage.signaling import messages
from ngage.signaling.chatlog import history
from ngage.signaling.context import Context
from ngage.signaling.handlers.callout import callout_state
from ngage.signaling.handlers.captions import current_captioner
from ngage.signaling.handlers.lobby import guests as lobby_guests
from ngage.signaling.handlers.polls import listing as poll_list
from ngage.signaling.handlers.questions import listing as question_list
from ngage.signaling.handlers.security import check_admission
from ngage.signaling.handlers.security import state as security_state
from ngage.signaling.hub import Member
from ngage.signaling.messages import Join
from ngage.signaling.participant import Participant, new_participant_id
from ngage.signaling.rooms import load as breakout_state
from ngage.signaling.rooms import restore as restore_room
from ngage.store import MeetingRecord

WAITING_TEXT = "Waiting for the host to start this meeting"


def _invite(context: Context, meeting: MeetingRecord, rights: Rights) -> dict[str, Any] | None:
    if not rights.invite:
        return None
    return {
        "join_url": context.meetings.meeting_url(meeting.meeting_id, "participant"),
        "meeting_id": meeting.meeting_id,
        "password": meeting.password,
    }


def _member(message: Join, rights: Rights) -> Member:
    return Member(
        participant_id=new_participant_id(),
        name=message.name,
        role=message.role,
        audio_muted=message.audio_muted or not rights.send_audio,
        video_muted=message.video_muted or not rights.send_video,
    )


@dataclass(frozen=True)
class Arrival:
    """Someone whose link is good and who may come in (perhaps after the waiting room)."""

    meeting: MeetingRecord
    member: Member
    rights: Rights


async def arrive(context: Context, message: Join) -> Arrival:
    """Check the link, and that the meeting is running and open to this person."""
    linked = await context.meetings.open_link(message.token, message.role)
    meeting = await context.lifecycle.current(linked.meeting_id)
    if context.media is None:
        raise MediaUnavailable("live meetings are not enabled on this server")
    await check_admission(context.hub, meeting.meeting_id, message)
    rights = rights_for(meeting.settings_json, message.role)
    return Arrival(meeting, _member(message, rights), rights)


async def admit(context: Context, message: Join, arrival: Arrival) -> Participant:
    """Enter the meeting, and queue `joined` (and `waiting`)."""
    meeting, rights = arrival.meeting, arrival.rights
    participant = Participant(context, meeting.meeting_id, meeting.topic, arrival.member, rights)
    participant.settings_json = meeting.settings_json
    participant.inbox = await context.hub.enter(meeting.meeting_id, participant.member)
    if message.client_id is not None:
        participant.person = f"client:{message.client_id}"
        await _remember_client(context, meeting.meeting_id, participant.participant_id, message)
    member = participant.member
    context.events.record(
        meeting.meeting_id, "joined", member.participant_id, name=member.name, role=member.role
    )
    context.keep_open(meeting.meeting_id)
    await _start_if_host(participant)
    # Read after entering: a host who starts the meeting now reaches this inbox.
    meeting = await context.lifecycle.current(meeting.meeting_id)
    participant.waiting = meeting.status == CREATED
    participant.send(await _joined(participant, meeting, message.id))
    if participant.waiting:
        participant.send(messages.message("waiting", message=WAITING_TEXT))
    joined = messages.message("participant-joined", participant=participant.member.public())
    await participant.broadcast(joined)
    await restore_room(participant, message.client_id)  # a reconnect into an open breakout room
    return participant


async def _remember_client(
    context: Context, meeting_id: str, participant_id: str, message: Join
) -> None:
    client_ids = dict(await context.hub.setting(meeting_id, "client_ids") or {})
    client_ids[participant_id] = message.client_id
    await context.hub.set_setting(meeting_id, "client_ids", client_ids)


async def _start_if_host(participant: Participant) -> None:
    context = participant.context
    if participant.member.role == "host" and await context.lifecycle.host_arrived(
        participant.meeting_id
    ):
        started = messages.message(
            "meeting-started", meeting={"id": participant.meeting_id, "status": "live"}
        )
        await participant.broadcast(started)


async def _joined(
    participant: Participant, meeting: MeetingRecord, re: str | None
) -> dict[str, Any]:
    hub = participant.context.hub
    others = [
        member.public()
        for member in await hub.members(meeting.meeting_id)
        if member.participant_id != participant.participant_id
    ]
    feeds = [f.public() for f in await hub.feeds(meeting.meeting_id) if f.room == participant.room]
    return messages.message(
        "joined",
        re,
        participant_id=participant.participant_id,
        role=participant.member.role,
        name=participant.member.name,
        meeting={"id": meeting.meeting_id, "topic": meeting.topic, "status": meeting.status},
        flags=participant.rights.flags,
        invite=_invite(participant.context, meeting, participant.rights),
        ice_servers=participant.context.ice_servers,
        participants=others,
        feeds=feeds,
        self=participant.member.public(),
        waiting=participant.waiting,
        recording=await participant.context.recordings.state(meeting.meeting_id),
        chat=await history(participant) if participant.rights.chat else [],
        security=await security_state(participant.context.hub, meeting.meeting_id),
        lobby=await lobby_guests(hub, meeting.meeting_id) if participant.rights.secure else [],
        questions=await question_list(participant) if participant.rights.questions else [],
        polls=await poll_list(participant) if participant.rights.polls else [],
        captioner=await current_captioner(participant) if participant.rights.captions else None,
        callout=callout_state(participant),
        breakout=(await breakout_state(hub, meeting.meeting_id)).public(),
    )
