"""Handlers for being in the meeting: mute, record, end, leave, ping."""

from __future__ import annotations

from ngage.meetings.rights import check_end, check_record
from ngage.signaling import messages
from ngage.signaling.messages import End, Leave, Mute, Ping, Record
from ngage.signaling.participant import Participant


async def mute(participant: Participant, message: Mute) -> None:
    rights = participant.rights
    audio = message.audio_muted if rights.send_audio else True
    video = message.video_muted if rights.send_video else True
    participant.member = participant.member.muted(audio, video)
    await participant.context.hub.update(participant.meeting_id, participant.member)
    member = participant.member
    participant.context.events.record(
        participant.meeting_id,
        "muted",
        participant.participant_id,
        audio_muted=member.audio_muted,
        video_muted=member.video_muted,
    )
    update = messages.message("participant-updated", participant=participant.member.public())
    participant.send({**update, "re": message.id} if message.id else update)
    await participant.broadcast(update)


async def record(participant: Participant, message: Record) -> None:
    check_record(participant.rights)
    participant.require_live()
    control = participant.context.recordings
    meeting, topic, by = participant.meeting_id, participant.topic, participant.participant_id
    if message.action in ("start", "resume"):
        state = await control.start(meeting, topic, by)
    elif message.action == "pause":
        state = await control.pause(meeting, by)
    else:
        await control.stop(meeting, topic, by)
        state = "stopped"
    update = messages.message("recording", state=state, by=participant.member.name)
    participant.send({**update, "re": message.id} if message.id else update)
    await participant.broadcast(update)


async def end(participant: Participant, message: End) -> None:
    check_end(participant.rights)
    await participant.context.end_meeting(participant.meeting_id, "host-ended", participant.topic)


async def leave(participant: Participant, message: Leave) -> None:
    participant.leaving = True


async def ping(participant: Participant, message: Ping) -> None:
    participant.send(messages.message("pong", message.id))
