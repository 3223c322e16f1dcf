"""Signed tokens for meeting links and recording downloads.

Each purpose has its own key and salt, so a download token is never a meeting
token, and the role is inside the signed payload, so a participant link cannot
become a host link.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from ngage.errors import LinkRejected

Role = Literal["host", "participant"]


@dataclass(frozen=True)
class MeetingPass:
    meeting_id: str
    role: Role


Clock = Callable[[], float]


def _clocked_signer(clock: Clock) -> type[TimestampSigner]:
    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return ClockedSigner


class LinkSigner:
    """Mints and checks one kind of signed token."""

    def __init__(
        self, key: bytes, purpose: str, ttl_seconds: int, clock: Clock = time.time
    ) -> None:
        signer: Any = _clocked_signer(clock)
        self._serializer = URLSafeTimedSerializer(key, salt=purpose, signer=signer)
        self._ttl = ttl_seconds

    def mint(self, payload: dict[str, str]) -> str:
        token = self._serializer.dumps(payload)
        return token if isinstance(token, str) else token.decode("ascii")

    def check(self, token: str) -> dict[str, str]:
        try:
            payload = self._serializer.loads(token, max_age=self._ttl)
        except BadData as exc:
            raise LinkRejected("link is invalid or has expired") from exc
        if not isinstance(payload, dict):
            raise LinkRejected("link is invalid or has expired")
        return payload


class MeetingLinks:
    """Tokens for `start_url` (host) and `join_url` (participant)."""

    def __init__(self, key: bytes, ttl_seconds: int, clock: Clock = time.time) -> None:
        self._signer = LinkSigner(key, "meeting-link", ttl_seconds, clock)

    def mint(self, meeting_id: str, role: Role) -> str:
        return self._signer.mint({"m": meeting_id, "r": role})

    def check(self, token: str, role: Role) -> MeetingPass:
        payload = self._signer.check(token)
        if payload.get("r") != role or not isinstance(payload.get("m"), str):
            raise LinkRejected("link is invalid or has expired")
        return MeetingPass(meeting_id=payload["m"], role=role)


class DownloadLinks:
    """Tokens for `download_url`: bound to one recording file, short-lived."""

    def __init__(self, key: bytes, ttl_seconds: int, clock: Clock = time.time) -> None:
        self._signer = LinkSigner(key, "recording-download", ttl_seconds, clock)

    def mint(self, file_id: str) -> str:
        return self._signer.mint({"f": file_id})

    def check(self, token: str) -> str:
        file_id = self._signer.check(token).get("f")
        if not isinstance(file_id, str):
            raise LinkRejected("link is invalid or has expired")
        return file_id
