"""The `breakout` message: the host runs breakout rooms, participants return or go back.

Managing (create, assign, auto-assign, open, broadcast, close) is for a host whose role
has `isSupportBreakout`; `join` and `return` for anyone whose role has it. A role without
it is never put in a breakout room: it stays in the main room, as in Zoom.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ngage.errors import BadRequest, NotFound, NotPermitted
from ngage.meetings import breakout as plan
from ngage.meetings.breakout import MAIN_ROOM
from ngage.meetings.rights import check_breakout, check_run_breakout, rights_for
from ngage.signaling import messages
from ngage.signaling.hub import Member
from ngage.signaling.messages import Breakout as BreakoutMessage
from ngage.signaling.participant import Participant
from ngage.signaling.rooms import finish_closing, load, move, save, send_moves

Action = Callable[[Participant, BreakoutMessage], Awaitable[None]]


async def breakout(participant: Participant, message: BreakoutMessage) -> None:
    check_breakout(participant.rights)
    participant.require_live()
    if message.action in ("join", "return"):
        await _go(participant, message)
        return
    check_run_breakout(participant.rights)
    await _HOST_ACTIONS[message.action](participant, message)


async def _members(participant: Participant) -> dict[str, Member]:
    return {
        m.participant_id: m for m in await participant.context.hub.members(participant.meeting_id)
    }


def _may_go(participant: Participant, member: Member) -> bool:
    """Whether that member's role has breakout rooms (hosts run them, they are not sent).

    A phone stays in the main room: its call is bridged to the main room's audio.
    """
    if member.role != "participant":
        return False
    return rights_for(participant.settings_json, "participant").breakout


async def _publish(
    participant: Participant, before: plan.Breakout, after: plan.Breakout, re: str | None
) -> None:
    """Store the new plan, tell everyone, and move whoever must change room."""
    hub, meeting_id = participant.context.hub, participant.meeting_id
    await participant.announce(await save(hub, meeting_id, after), re)
    present = list(await _members(participant))
    await send_moves(hub, meeting_id, plan.moves(before, after, present))


async def _create(participant: Participant, message: BreakoutMessage) -> None:
    before = await load(participant.context.hub, participant.meeting_id)
    after = plan.create(before, message.count, message.names)
    await _publish(participant, before, after, message.id)


async def _assign(participant: Participant, message: BreakoutMessage) -> None:
    if message.participant_id is None or message.room is None:
        raise BadRequest("assign takes participant_id and room")
    target = (await _members(participant)).get(message.participant_id)
    if target is None:
        raise NotFound("that participant is not in the meeting")
    if message.room != MAIN_ROOM and not _may_go(participant, target):
        raise NotPermitted("that participant's role cannot go into breakout rooms")
    before = await load(participant.context.hub, participant.meeting_id)
    after = plan.assign(before, target.participant_id, message.room)
    await _publish(participant, before, after, message.id)


async def _auto_assign(participant: Participant, message: BreakoutMessage) -> None:
    going = [
        m.participant_id for m in (await _members(participant)).values() if _may_go(participant, m)
    ]
    before = await load(participant.context.hub, participant.meeting_id)
    after = plan.auto_assign(before, going, None)
    await _publish(participant, before, after, message.id)


async def _open(participant: Participant, message: BreakoutMessage) -> None:
    before = await load(participant.context.hub, participant.meeting_id)
    after = plan.open_rooms(before)
    media = participant.context.media
    if media is not None:  # created now, so that nobody waits for them when moving
        for room in after.rooms:
            name = f"{participant.topic} - {room.name}"
            await media.open_room(plan.media_room(participant.meeting_id, room.room), name)
    await _publish(participant, before, after, message.id)


async def _broadcast(participant: Participant, message: BreakoutMessage) -> None:
    if message.text is None:
        raise BadRequest("broadcast takes text")
    state = await load(participant.context.hub, participant.meeting_id)
    if not state.is_open:
        raise BadRequest("the breakout rooms are not open")
    notice = messages.message("breakout-broadcast", text=message.text, name=participant.member.name)
    await participant.announce(notice, message.id)


async def _close(participant: Participant, message: BreakoutMessage) -> None:
    context, meeting_id = participant.context, participant.meeting_id
    after = plan.start_closing(await load(context.hub, meeting_id))
    await participant.announce(await save(context.hub, meeting_id, after), message.id)
    await participant.announce(messages.message("breakout-closing", seconds=message.seconds), None)
    context.after(meeting_id, message.seconds, lambda: finish_closing(context, meeting_id))


async def _go(participant: Participant, message: BreakoutMessage) -> None:
    """`return`: to the main room. `join`: the host visits any room; others go back to theirs."""
    room = MAIN_ROOM if message.action == "return" else message.room
    if room is None:
        raise BadRequest("join takes room")
    state = await load(participant.context.hub, participant.meeting_id)
    if room != MAIN_ROOM and not (state.is_open and state.has_room(room)):
        raise NotFound(f"breakout room {room} is not open")
    mine = state.room_of(participant.participant_id)
    if room not in (MAIN_ROOM, mine) and not participant.rights.run_breakout:
        raise NotPermitted("you can only go to the breakout room you were assigned to")
    await move(participant, room, message.id)


_HOST_ACTIONS: dict[str, Action] = {
    "create": _create,
    "assign": _assign,
    "auto-assign": _auto_assign,
    "open": _open,
    "broadcast": _broadcast,
    "close": _close,
}
