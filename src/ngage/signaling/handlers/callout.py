"""Call-out: invite someone by phone (SIP dial-out through the configured trunk).

The caller hears how the call goes (`call-out` status messages); the callee joins
the meeting as a participant once they answer. The caller or the host hangs up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ngage.errors import NotAvailable, NotFound, NotPermitted
from ngage.meetings.rights import check_call_out
from ngage.signaling import messages
from ngage.signaling.context import PhoneLine
from ngage.signaling.messages import CallOut, ProtocolError
from ngage.signaling.participant import Participant
from ngage.signaling.phone import PhoneParticipant

NOT_CONFIGURED = "call-out is not configured on this server"
# Each call costs ngage a few peer connections and an audio decoder per participant.
MAX_CALLS_PER_MEETING = 4


def check_capacity(calls: Iterable[PhoneLine], meeting_id: str) -> None:
    if sum(call.meeting_id == meeting_id for call in calls) >= MAX_CALLS_PER_MEETING:
        raise NotAvailable(f"at most {MAX_CALLS_PER_MEETING} phone calls at once in a meeting")


def callout_state(participant: Participant) -> dict[str, Any]:
    """For `joined`: may this role call out, and can this server."""
    configured = participant.context.trunk is not None
    return {"allowed": participant.rights.call_out, "configured": configured}


async def call_out(participant: Participant, message: CallOut) -> None:
    check_call_out(participant.rights)
    if participant.context.trunk is None:
        raise NotAvailable(NOT_CONFIGURED)
    participant.require_live()
    if message.action == "hangup":
        await _hang_up(participant, message)
    else:
        await _dial(participant, message)


async def _dial(participant: Participant, message: CallOut) -> None:
    trunk = participant.context.trunk
    if message.number is None:
        raise ProtocolError("number: a number is needed to dial")
    if trunk is None:
        raise NotAvailable(NOT_CONFIGURED)
    check_capacity(participant.context.calls.values(), participant.meeting_id)
    phone = PhoneParticipant(participant, message.number)
    await phone.dial(trunk)
    participant.send(messages.replying(phone.status_message("calling"), message.id))
    phone.replied()


async def _hang_up(participant: Participant, message: CallOut) -> None:
    call = participant.context.calls.get(message.participant_id or "")
    if call is None or call.meeting_id != participant.meeting_id:
        raise NotFound("no such phone call in this meeting")
    if participant.member.role != "host" and call.caller_id != participant.participant_id:
        raise NotPermitted("only the host or the caller can hang up this call")
    await call.hangup()
    reply = messages.message(
        "call-out", message.id, status="hanging-up", participant_id=message.participant_id
    )
    participant.send(reply)
