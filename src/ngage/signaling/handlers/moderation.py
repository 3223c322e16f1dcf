"""The host's controls over others: mute all, mute one, stop a video, ask to unmute.

Muting is enforced by Janus (`moderate` blocks the stream whatever the sender does);
the participant is told, and unblocks their own stream when they unmute themselves.
"""

from __future__ import annotations

from ngage.errors import MediaUnavailable, NotFound
from ngage.meetings.breakout import media_room
from ngage.meetings.rights import check_moderate
from ngage.signaling import messages
from ngage.signaling.hub import Member
from ngage.signaling.messages import Moderate
from ngage.signaling.participant import Participant

UNMUTE_GRANTED = "unmute_granted"


async def moderate(participant: Participant, message: Moderate) -> None:
    check_moderate(participant.rights)
    if message.action == "ask-unmute":
        targets = await _targets(participant, message.participant_id)
        await _grant_unmute(participant, [t.participant_id for t in targets])
        ask = messages.message("unmute-request", by=participant.member.name)
        for target in targets:
            await participant.context.hub.send_to(
                participant.meeting_id, target.participant_id, ask
            )
    else:
        one = message.participant_id if message.action != "mute-all" else None
        targets = await _targets(participant, one)
        medium = "video" if message.action == "stop-video" else "audio"
        for target in targets:
            await block(participant, target, medium)
    done = messages.message(
        "moderated",
        message.id,
        action=message.action,
        participants=[t.participant_id for t in targets],
    )
    participant.send(done)


async def _grant_unmute(participant: Participant, participant_ids: list[str]) -> None:
    """Asked to unmute, they may, even where participants may not unmute themselves."""
    hub, meeting_id = participant.context.hub, participant.meeting_id
    granted: set[str] = await hub.setting(meeting_id, UNMUTE_GRANTED) or set()
    await hub.set_setting(meeting_id, UNMUTE_GRANTED, granted | set(participant_ids))


async def take_unmute_grant(participant: Participant) -> bool:
    """Whether the host asked this participant to unmute (the grant is used up)."""
    hub, meeting_id = participant.context.hub, participant.meeting_id
    granted: set[str] = await hub.setting(meeting_id, UNMUTE_GRANTED) or set()
    if participant.participant_id not in granted:
        return False
    await hub.set_setting(meeting_id, UNMUTE_GRANTED, granted - {participant.participant_id})
    return True


async def _targets(participant: Participant, participant_id: str | None) -> list[Member]:
    """Everyone else (None), or the one participant named (NotFound when absent)."""
    others = [
        member
        for member in await participant.context.hub.members(participant.meeting_id)
        if member.participant_id != participant.participant_id
    ]
    if participant_id is None:
        return others
    chosen = [member for member in others if member.participant_id == participant_id]
    if not chosen:
        raise NotFound("that participant is not in the meeting")
    return chosen


async def _current(participant: Participant, participant_id: str) -> Member | None:
    """The hub's record of a member now (not a copy read before some await)."""
    for member in await participant.context.hub.members(participant.meeting_id):
        if member.participant_id == participant_id:
            return member
    return None


async def block(participant: Participant, target: Member, medium: str) -> None:
    """Block the target's microphone or camera in Janus, and tell everyone."""
    context, meeting_id = participant.context, participant.meeting_id
    await set_blocked(participant, target.participant_id, medium, True)
    now = await _current(participant, target.participant_id)
    if now is None:
        return  # they left meanwhile
    audio, video = (True, None) if medium == "audio" else (None, True)
    muted = now.muted(audio, video)
    await context.hub.update(meeting_id, muted)
    update = messages.message("participant-updated", participant=muted.public())
    await context.hub.broadcast(meeting_id, update)
    notice = messages.message("muted-by-host", medium=medium, by=participant.member.name)
    await context.hub.send_to(meeting_id, target.participant_id, notice)


async def set_blocked(participant: Participant, owner: str, medium: str, mute: bool) -> None:
    """(Un)block `medium` of `owner`'s camera feed in Janus, when it is being published."""
    media = participant.context.media
    if media is None:
        raise MediaUnavailable("live meetings are not enabled on this server")
    for feed in await participant.context.hub.feeds(participant.meeting_id):
        if feed.participant_id == owner and feed.kind == "camera" and medium in feed.mids:
            try:
                room = media_room(participant.meeting_id, feed.room)  # a breakout room's feed too
                await media.moderate(room, feed.feed, feed.mids[medium], mute)
            except NotFound:
                pass  # the feed stopped meanwhile: nothing left to block


async def keep_muted(participant: Participant, feed_id: int, mids: dict[str, str]) -> None:
    """A new camera feed starts as muted as its owner is in the roster: publishing again
    (a new Janus publisher) must not lift a host's mute or a mute held by the security
    settings. Unmuting (`mute`) unblocks it, as for any mute."""
    media = participant.context.media
    member = await _current(participant, participant.participant_id) or participant.member
    for medium, muted in (("audio", member.audio_muted), ("video", member.video_muted)):
        if muted and medium in mids and media is not None:
            await media.moderate(participant.media_room, feed_id, mids[medium], True)
