"""Media-plane errors, translated from Janus inside the adapter."""

from __future__ import annotations

from ngage.errors import NgageError


class MediaUnavailable(NgageError):
    """Janus cannot be reached (not started, restarting, or gone)."""

    http_status = 503
    status_desc = "Service Unavailable"


class MediaError(NgageError):
    """Janus refused a request; `code` is its error code (Janus's or the plugin's)."""

    http_status = 502
    status_desc = "Bad Gateway"

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"media server error {code}: {reason}")
        self.code = code
