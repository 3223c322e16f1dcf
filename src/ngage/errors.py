"""The error tree. Each error knows its `status_desc` and its HTTP status.

    NgageError
    ├── NotAuthorized          401  credentials, signature or timestamp rejected
    ├── BadRequest             400  the request breaks the spec (lists every problem)
    │   └── MalformedBody      400  not JSON, not UTF-8, not an object
    ├── LinkRejected           403  a signed link that is forged, expired or for another use
    ├── NotPermitted           403  the role's flags do not allow this action
    ├── WaitingForHost         409  the host has not opened the meeting yet
    ├── MeetingLocked          423  the host locked the meeting (or removed you)
    ├── AdmissionDenied        403  the host did not let you in from the waiting room
    ├── MeetingEnded           410  the meeting is over
    ├── NotAvailable           501  the feature is not built yet
    ├── NotFound               404  no such thing (or not yours: the same answer)
    ├── DuplicateTransaction   409  transaction_id reused with a different body
    ├── PayloadTooLarge        413
    ├── UnsupportedMediaType   415
    ├── MediaError             502  Janus refused a request (its error code kept)
    └── Unavailable            503  the store cannot be reached
        └── MediaUnavailable   503  Janus cannot be reached (not started, restarting, gone)

Transports map these once (`ngage.api.errors`, `ngage.signaling.errors`); the domain
never speaks HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence


class NgageError(Exception):
    http_status = 500
    status_desc = "Internal Server Error"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.status_desc)
        self.detail = detail

    def describe(self) -> str:
        return f"{self.status_desc}: {self.detail}" if self.detail else self.status_desc


class NotAuthorized(NgageError):
    http_status = 401
    status_desc = "Not Authorized"

    def describe(self) -> str:
        # Never say which part of the credentials failed.
        return self.status_desc


class BadRequest(NgageError):
    http_status = 400
    status_desc = "Bad Request"

    def __init__(self, problems: str | Sequence[str]) -> None:
        # One problem or several; a lone string is one problem, not a list of characters.
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class MalformedBody(BadRequest):
    def __init__(self, problem: str) -> None:
        super().__init__([problem])


class LinkRejected(NgageError):
    http_status = 403
    status_desc = "Forbidden"


class NotPermitted(NgageError):
    http_status = 403
    status_desc = "Forbidden"


class WaitingForHost(NgageError):
    http_status = 409
    status_desc = "Conflict"

    def __init__(self) -> None:
        super().__init__("the host has not started the meeting yet")


class MeetingLocked(NgageError):
    http_status = 423
    status_desc = "Locked"


class AdmissionDenied(NgageError):
    http_status = 403
    status_desc = "Forbidden"


class MeetingEnded(NgageError):
    http_status = 410
    status_desc = "Gone"

    def __init__(self) -> None:
        super().__init__("this meeting has ended")


class NotAvailable(NgageError):
    http_status = 501
    status_desc = "Not Implemented"


class NotFound(NgageError):
    http_status = 404
    status_desc = "Not Found"


class DuplicateTransaction(NgageError):
    http_status = 409
    status_desc = "Conflict"

    def __init__(self) -> None:
        super().__init__("transaction_id was already used for a different request")


class PayloadTooLarge(NgageError):
    http_status = 413
    status_desc = "Payload Too Large"


class UnsupportedMediaType(NgageError):
    http_status = 415
    status_desc = "Unsupported Media Type"


class Unavailable(NgageError):
    http_status = 503
    status_desc = "Service Unavailable"


class MediaError(NgageError):
    """Janus refused a request; `code` is its error code (Janus's or the plugin's)."""

    http_status = 502
    status_desc = "Bad Gateway"

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"media server error {code}: {reason}")
        self.code = code


class MediaUnavailable(Unavailable):
    """Janus cannot be reached (not started, restarting, or gone)."""
