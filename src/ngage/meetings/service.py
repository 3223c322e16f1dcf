"""Creating meetings: validation, identifiers, links, idempotent storage."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson

from ngage.auth.links import MeetingLinks, Role
from ngage.errors import DuplicateTransaction, LinkRejected, NotFound, Unavailable
from ngage.meetings.identifiers import (
    AppIdAllocator,
    format_app_id,
    new_meeting_id,
    new_password,
)
from ngage.meetings.requests import CreateMeetingRequest, parse
from ngage.store import IdCollision, MeetingRecord, Store, TransactionReplay

_ATTEMPTS = 8


_SETTINGS = ("config_host", "view_host", "config_participant", "view_participant")


def fingerprint(request: dict[str, Any]) -> str:
    """Hash of the validated request: "true" and true give the same fingerprint."""
    canonical = orjson.dumps(request, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def meeting_settings(request: dict[str, Any]) -> str:
    """The role flags kept with the meeting."""
    return orjson.dumps({name: request[name] for name in _SETTINGS}).decode()


@dataclass(frozen=True)
class _Stored:
    """What is kept of the validated request: its fingerprint and the role flags."""

    fingerprint: str
    settings_json: str


class MeetingService:
    def __init__(
        self,
        store: Store,
        links: MeetingLinks,
        base_url: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._links = links
        self._base_url = base_url
        self._clock = clock
        self._app_ids = AppIdAllocator(store)

    def meeting_url(self, meeting_id: str, role: Role, name: str | None = None) -> str:
        page = "start" if role == "host" else "join"
        url = f"{self._base_url}/meetings/{page}?auth_token={self._links.mint(meeting_id, role)}"
        return url if name is None else f"{url}&fullname={quote(name)}"

    async def create(self, api_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create a meeting, or return the original answer for a repeated transaction."""
        request = parse(CreateMeetingRequest, body, api_id)
        validated = request.model_dump(mode="json")
        stored = _Stored(fingerprint(validated), meeting_settings(validated))
        for _ in range(_ATTEMPTS):
            meeting = await self._new_meeting(api_id, request, stored)
            try:
                await self._store.add_meeting(meeting)
            except IdCollision:
                continue
            except TransactionReplay as replay:
                return self._replay(replay.existing, stored.fingerprint)
            return dict(orjson.loads(meeting.response_json))
        raise Unavailable("could not allocate a unique meeting identifier")

    @staticmethod
    def _replay(existing: MeetingRecord, request_hash: str) -> dict[str, Any]:
        if existing.request_fingerprint != request_hash:
            raise DuplicateTransaction()
        return dict(orjson.loads(existing.response_json))

    async def _new_meeting(
        self, api_id: str, request: CreateMeetingRequest, stored: _Stored
    ) -> MeetingRecord:
        now_ms = int(self._clock() * 1000)
        meeting_id = new_meeting_id()
        app_id = format_app_id(api_id, await self._app_ids.next_ms(api_id, now_ms))
        password = new_password()
        response = {
            "transaction_id": request.transaction_id,
            "status_desc": "Success",
            "app_id": app_id,
            "meeting_id": meeting_id,
            "topic": request.topic,
            "start_url": self.meeting_url(meeting_id, "host", request.host_name),
            "join_url": self.meeting_url(meeting_id, "participant", request.participant_name),
            "password": password,
        }
        return MeetingRecord(
            meeting_id=meeting_id,
            app_id=app_id,
            api_id=api_id,
            transaction_id=request.transaction_id,
            request_fingerprint=stored.fingerprint,
            topic=request.topic,
            host_name=request.host_name,
            participant_name=request.participant_name,
            password=password,
            settings_json=stored.settings_json,
            response_json=orjson.dumps(response).decode(),
            status="created",
            created_at_ms=now_ms,
        )

    async def open_link(self, token: str, role: Role) -> MeetingRecord:
        """The meeting a signed start/join link leads to (LinkRejected if it is not valid)."""
        meeting_pass = self._links.check(token, role)
        meeting = await self._store.find_meeting(meeting_pass.meeting_id)
        if meeting is None:
            raise LinkRejected("link is invalid or has expired")
        return meeting

    async def admit(self, meeting_id: str, password: str) -> MeetingRecord:
        """Check a meeting ID and password typed by a person (same answer for either wrong)."""
        meeting = await self._store.find_meeting(meeting_id) if meeting_id.isdigit() else None
        expected = meeting.password if meeting else new_password()
        if not hmac.compare_digest(expected.encode(), password.encode()) or meeting is None:
            raise NotFound("meeting ID or password is incorrect")
        return meeting
