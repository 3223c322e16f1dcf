"""Handlers for being in the meeting: mute, record, end, leave, ping."""

from __future__ import annotations

from ngage.errors import NotPermitted
from ngage.meetings.rights import check_end, check_record
from ngage.signaling import messages
from ngage.signaling.handlers import moderation
from ngage.signaling.handlers.security import state as security_state
from ngage.signaling.messages import End, Hand, Leave, Mute, Ping, Reaction, Record
from ngage.signaling.participant import Participant


async def mute(participant: Participant, message: Mute) -> None:
    rights = participant.rights
    audio = message.audio_muted if rights.send_audio else True
    video = message.video_muted if rights.send_video else True
    if audio is not None and not participant.member.hosting:
        await _hold_to_permission(participant, audio)
    for medium, muted in (("audio", audio), ("video", video)):
        if muted is False:  # unmuting yourself lifts a host's block, if there was one
            await moderation.set_blocked(participant, participant.participant_id, medium, False)
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
    await participant.announce(update, message.id)


async def _hold_to_permission(participant: Participant, audio_muted: bool) -> None:
    """While participants may not unmute themselves, only the host's request lets them.

    A participant who mutes then is muted in Janus too, so a client that ignores the
    rule still sends no sound.
    """
    security = await security_state(participant.context.hub, participant.meeting_id)
    if security["allow_unmute"]:
        return
    if audio_muted:
        await moderation.set_blocked(participant, participant.participant_id, "audio", True)
    elif participant.member.audio_muted and not await moderation.take_unmute_grant(participant):
        raise NotPermitted("the host does not allow participants to unmute themselves")


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
    await participant.announce(update, message.id)


async def end(participant: Participant, message: End) -> None:
    check_end(participant.rights)
    await participant.context.end_meeting(participant.meeting_id, "host-ended", participant.topic)


async def leave(participant: Participant, message: Leave) -> None:
    participant.leaving = True


async def ping(participant: Participant, message: Ping) -> None:
    participant.send(messages.message("pong", message.id))


async def hand(participant: Participant, message: Hand) -> None:
    """Raise or lower a hand: shown on the tile and in the participants list."""
    participant.member = participant.member.with_hand(message.raised)
    await participant.context.hub.update(participant.meeting_id, participant.member)
    participant.context.events.record(
        participant.meeting_id,
        "hand-raised" if message.raised else "hand-lowered",
        participant.participant_id,
    )
    update = messages.message("participant-updated", participant=participant.member.public())
    await participant.announce(update, message.id)


async def reaction(participant: Participant, message: Reaction) -> None:
    """A passing emoji reaction for everyone to see."""
    shown = messages.message(
        "reaction",
        participant_id=participant.participant_id,
        emoji=message.emoji,
        room=participant.room,  # seen by those in the same room, where their tile is
    )
    await participant.announce(shown, message.id)
