"""The one place the WebSocket transport maps errors: a protocol code, and a close code."""

from __future__ import annotations

from ngage.errors import (
    AdmissionDenied,
    BadRequest,
    LinkRejected,
    MediaError,
    MeetingEnded,
    MeetingLocked,
    NgageError,
    NotAvailable,
    NotFound,
    NotPermitted,
    Unavailable,
    WaitingForHost,
)
from ngage.signaling.messages import ProtocolError

CLOSE_NORMAL = 1000
CLOSE_SERVER_ERROR = 1011
CLOSE_BAD_MESSAGE = 4400
CLOSE_LINK_REJECTED = 4403
CLOSE_MEETING_ENDED = 4410
CLOSE_REMOVED = 4409
CLOSE_LOCKED = 4423
CLOSE_DENIED = 4406

# Most specific first: MediaUnavailable is an Unavailable.
_CODES: list[tuple[type[NgageError], str, int | None]] = [
    (ProtocolError, "bad-message", None),
    (BadRequest, "bad-message", None),
    (LinkRejected, "link-rejected", CLOSE_LINK_REJECTED),
    (MeetingEnded, "meeting-ended", CLOSE_MEETING_ENDED),
    (MeetingLocked, "meeting-locked", CLOSE_LOCKED),
    (AdmissionDenied, "denied", CLOSE_DENIED),
    (NotPermitted, "forbidden", None),
    (WaitingForHost, "waiting", None),
    (NotAvailable, "not-available", None),
    (NotFound, "not-found", None),
    (MediaError, "media-error", None),
    (Unavailable, "media-unavailable", None),
]


def error_code(error: NgageError) -> tuple[str, int | None]:
    """(protocol error code, close code or None to keep the socket open)."""
    for kind, code, close in _CODES:
        if isinstance(error, kind):
            return code, close
    return "server-error", None


def close_code_before_join(code: str) -> int:
    """Every refused `join` closes the socket; this says with which code."""
    return {
        "link-rejected": CLOSE_LINK_REJECTED,
        "meeting-ended": CLOSE_MEETING_ENDED,
        "meeting-locked": CLOSE_LOCKED,
        "denied": CLOSE_DENIED,
        "bad-message": CLOSE_BAD_MESSAGE,
        "not-joined": CLOSE_BAD_MESSAGE,
        "not-found": CLOSE_LINK_REJECTED,
    }.get(code, CLOSE_SERVER_ERROR)
