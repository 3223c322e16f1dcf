"""Phone calls through Janus's SIP plugin (implements `ngage.meetings.media.PhoneCall`).

One Janus session per call: a SIP handle registered as a guest (no REGISTER is sent;
the trunk is trusted by address, or challenges the INVITE with the trunk credentials).
The plugin bridges ngage's own WebRTC peer to plain RTP towards the callee.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from ngage.errors import MediaError, MediaUnavailable
from ngage.media.janus import SIP
from ngage.media.session import JanusSession
from ngage.media.videoroom import offer
from ngage.meetings.media import CallEvents, Dial

log = logging.getLogger("ngage.media")

_RINGING = ("ringing", "proceeding", "progress")
_BUSY = (486, 600)
_NO_ANSWER = (408, 480, 487)
_DECLINED = (603,)


def register_body(dial: Dial) -> dict[str, Any]:
    return {
        "request": "register",
        "type": "guest",
        "username": dial.caller_uri,
        "display_name": dial.display_name,
    }


def call_body(dial: Dial) -> dict[str, Any]:
    body: dict[str, Any] = {"request": "call", "uri": dial.callee_uri}
    if dial.password:
        # A guest may answer the trunk's digest challenge with credentials given per call.
        body["secret"] = dial.password
        body["authuser"] = dial.auth_user or None
    return {key: value for key, value in body.items() if value is not None}


def hangup_body() -> dict[str, Any]:
    return {"request": "hangup"}


def ended_reason(code: int) -> str:
    """Why a call ended, in the protocol's words, from the SIP status of its hangup."""
    if code in _BUSY:
        return "busy"
    if code in _NO_ANSWER:
        return "no-answer"
    if code in _DECLINED:
        return "declined"
    return "hangup" if code < 300 else "failed"


def sip_event(event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(name, result) of a SIP plugin event; ("", {}) when it is not one."""
    data: dict[str, Any] = (event.get("plugindata") or {}).get("data") or {}
    result: dict[str, Any] = data.get("result") or {}
    return str(result.get("event", "")), result


class JanusPhoneCall:
    def __init__(self, session: JanusSession, events: CallEvents) -> None:
        self._session = session
        self._events = events
        self._handle = 0
        self._over = False

    async def start(self, dial: Dial) -> None:
        """Register as a guest and send the INVITE; `calling` once this returns."""
        self._handle = await self._session.attach(self._on_event, SIP)
        await self._session.request(self._handle, register_body(dial))
        await self._session.request(self._handle, call_body(dial), offer(dial.offer_sdp))
        await self._session.trickle(self._handle, None)  # the offer holds every candidate

    async def hangup(self) -> None:
        if self._over or not self._handle:
            return
        with contextlib.suppress(MediaError, MediaUnavailable):
            await self._session.request(self._handle, hangup_body())

    async def close(self) -> None:
        await self._session.close()

    def lost(self) -> None:
        self._end("failed")

    def _end(self, reason: str) -> None:
        if not self._over:
            self._over = True
            self._events.ended(reason)

    def _on_event(self, event: dict[str, Any]) -> None:
        name, result = sip_event(event)
        if name in _RINGING:
            self._events.ringing()
        elif name == "accepted":
            sdp = (event.get("jsep") or {}).get("sdp")
            if sdp:
                self._events.answered(str(sdp))
            else:
                self._end("failed")
        elif name == "hangup":
            log.info("phone call ended: %s %s", result.get("code"), result.get("reason"))
            self._end(ended_reason(int(result.get("code") or 0)))
        elif event.get("janus") == "hangup":
            self._end("failed")  # ngage's own WebRTC leg went down
