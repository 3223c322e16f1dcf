"""What the sync and async clients share: settings, request bodies, answers, retries.

Everything here is pure (no I/O), so both clients stay thin loops around httpx.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ngage.auth.signature import current_timestamp, sign
from ngage.client.errors import (
    ApiError,
    BadRequest,
    DuplicateTransaction,
    InvalidSettings,
    MissingCredentials,
    NotAuthorized,
    ServerError,
)
from ngage.client.models import MeetingConfig, ViewConfig

T = TypeVar("T")
Progress = Callable[[int, int], None]
"""Called with (bytes on disk, total bytes) as a download advances."""

_ENVIRONMENT = {
    "base_url": "NGAGE_BASE_URL",
    "api_id": "NGAGE_API_ID",
    "api_key": "NGAGE_API_KEY",
    "api_secret": "NGAGE_API_SECRET",
}


@dataclass(frozen=True)
class ClientSettings:
    """Where the server is, who we are, and how patient to be."""

    base_url: str
    api_id: str
    api_key: str
    api_secret: str
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    def __repr__(self) -> str:
        # Never show the secret in logs or tracebacks.
        return f"ClientSettings(base_url={self.base_url!r}, api_id={self.api_id!r})"


def resolve_settings(
    given: Mapping[str, str | None],
    environ: Mapping[str, str] = os.environ,
    *,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 0.5,
) -> ClientSettings:
    """Fill each credential from `given` or the environment; name every missing one."""
    values = {name: given.get(name) or environ.get(var, "") for name, var in _ENVIRONMENT.items()}
    missing = [_ENVIRONMENT[name] for name, value in values.items() if not value]
    if missing:
        them = "it" if len(missing) == 1 else "them"
        names = ", ".join(missing)
        raise MissingCredentials(f"missing {names}: pass {them} as arguments or set {them}")
    return ClientSettings(
        base_url=checked_base_url(values["base_url"]),
        api_id=values["api_id"],
        api_key=values["api_key"],
        api_secret=values["api_secret"],
        timeout=timeout,
        retries=retries,
        backoff=backoff,
    )


def checked_base_url(value: str) -> str:
    """The base URL without a trailing slash; InvalidSettings unless it is http(s)://host."""
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError) as exc:
        raise InvalidSettings(f"base URL {value!r} is not a valid URL") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidSettings(f"base URL {value!r} must look like http://host:port")
    return value.rstrip("/")


class TransactionIds:
    """api_id + YYYYMMDDhhmmssSSS (UTC), never the same twice from one client."""

    def __init__(self) -> None:
        self._last_ms = 0
        self._lock = threading.Lock()

    def next(self, api_id: str, now: datetime | None = None) -> str:
        moment = now or datetime.now(UTC)
        with self._lock:
            ms = max(int(moment.timestamp() * 1000), self._last_ms + 1)
            self._last_ms = ms
        stamp = datetime.fromtimestamp(ms / 1000, UTC)
        return f"{api_id}{stamp:%Y%m%d%H%M%S}{ms % 1000:03d}"


# One generator per process, shared by every client in it: two clients of one app
# must never send the same transaction_id. Separate processes can still meet in
# the same millisecond; give them their own transaction_ids if that matters.
PROCESS_TRANSACTION_IDS = TransactionIds()


def signed_headers(settings: ClientSettings, timestamp: str | None = None) -> dict[str, str]:
    """The spec's headers: api-key, timestamp and Signature (fresh for every try)."""
    stamp = timestamp or current_timestamp()
    return {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "api-key": settings.api_key,
        "timestamp": stamp,
        "Signature": sign(settings.api_id, settings.api_secret, stamp),
    }


def create_body(
    transaction_id: str,
    topic: str,
    host_name: str,
    participant_name: str,
    configs: tuple[MeetingConfig, MeetingConfig, ViewConfig, ViewConfig],
) -> dict[str, Any]:
    """The Create Meeting body: every mandatory field, always."""
    host, participant, view_host, view_participant = configs
    return {
        "transaction_id": transaction_id,
        "host_name": host_name,
        "participant_name": participant_name,
        "topic": topic,
        "config_host": host.to_wire(),
        "view_host": view_host.to_wire(),
        "config_participant": participant.to_wire(),
        "view_participant": view_participant.to_wire(),
    }


def recording_body(transaction_id: str, app_ids: Sequence[str]) -> dict[str, Any]:
    """The Recording body."""
    return {"transaction_id": transaction_id, "app_ids": list(app_ids)}


def _error_class(status: int) -> type[ApiError]:
    if status == 401:
        return NotAuthorized
    if status == 409:
        return DuplicateTransaction
    return ServerError if status >= 500 else BadRequest


def api_error(response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx answer, keeping the server's own words."""
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    desc = str(payload.get("status_desc") or response.reason_phrase or "error")
    transaction_id = payload.get("transaction_id")
    tx = transaction_id if isinstance(transaction_id, str) else None
    return _error_class(response.status_code)(response.status_code, desc, tx)


def answer(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of a successful answer, or the typed error."""
    if response.status_code != 200:
        raise api_error(response)
    try:
        payload = response.json()
    except ValueError:
        raise ServerError(response.status_code, "answer is not JSON", None) from None
    if not isinstance(payload, dict):
        raise ServerError(response.status_code, "answer is not a JSON object", None)
    return payload


def should_retry(response: httpx.Response) -> bool:
    """5xx answers are worth another try; 4xx ones would only fail again."""
    return response.status_code >= 500


def backoff_delay(settings: ClientSettings, attempt: int) -> float:
    """0.5 s, 1 s, 2 s, ... (attempt counts from 0)."""
    return float(settings.backoff * (2**attempt))


def resume_offset(path: Path, expected: int) -> int | None:
    """Bytes already on disk worth keeping: None when the file is absent, 0 if too long."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    return size if size <= expected else 0


def parsed(build: Callable[[dict[str, Any]], T], payload: dict[str, Any]) -> T:
    """A typed answer, or ServerError when the server's answer lacks a field."""
    try:
        return build(payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise ServerError(200, f"unexpected answer: {exc!r}", None) from None


def resumes_at(response: httpx.Response, offset: int) -> bool:
    """A 206 must continue exactly where our file ends, or the file would be corrupt."""
    content_range: str = response.headers.get("content-range", "")
    return content_range.startswith(f"bytes {offset}-")


def range_headers(offset: int) -> dict[str, str]:
    """Ask for the rest of a file from `offset` on (nothing when starting afresh)."""
    return {"Range": f"bytes={offset}-"} if offset else {}
