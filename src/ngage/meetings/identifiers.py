"""Identifiers handed out with a meeting: meeting_id, password and app_id."""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime

_ALPHANUMERIC = string.ascii_letters + string.digits


def new_meeting_id() -> str:
    """Eleven digits, never starting with 0 (a leading zero gets lost in spreadsheets)."""
    return str(secrets.randbelow(9 * 10**10) + 10**10)


def new_password() -> str:
    """Six alphanumeric characters, as in the spec's sample ("4u4UEK")."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(6))


def format_app_id(api_id: str, at_ms: int) -> str:
    """ "APP-" + api_id + YYYYMMDDhhmmssSSS (UTC)."""
    moment = datetime.fromtimestamp(at_ms / 1000, tz=UTC)
    return f"APP-{api_id}{moment:%Y%m%d%H%M%S}{at_ms % 1000:03d}"


class AppIdClock:
    """Gives each api_id strictly increasing milliseconds in this process.

    Two meetings of one app in the same millisecond would share an app_id; the
    clock moves the second one on by a millisecond. Another process may still
    pick the same value: the store's unique index catches that and we retry.
    """

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def next_ms(self, api_id: str, now_ms: int) -> int:
        issued = max(now_ms, self._last.get(api_id, 0) + 1)
        self._last[api_id] = issued
        return issued
