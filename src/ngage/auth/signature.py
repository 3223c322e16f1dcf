"""The nGage request signature, shared by the server and the SDK.

Signature = base64(HMAC-SHA256(api_secret, api_id + ":" + timestamp)), exactly
as the spec's Postman pre-request script computes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

# Timestamps above this are read as milliseconds: some clients send Date.now().
_MILLISECONDS_THRESHOLD = 100_000_000_000


def sign(api_id: str, api_secret: str, timestamp: str) -> str:
    """Return the `Signature` header value for one request."""
    payload = f"{api_id}:{timestamp}".encode()
    digest = hmac.new(api_secret.encode(), payload, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(expected: str, given: str) -> bool:
    """Constant-time comparison of two signatures."""
    return hmac.compare_digest(expected.encode(), given.encode())


def current_timestamp() -> str:
    """A Unix timestamp in seconds, as the spec's `moment().format("X")` gives."""
    return str(int(time.time()))


def timestamp_seconds(timestamp: str) -> float | None:
    """Read a `timestamp` header as seconds since the epoch, or None if it is not one."""
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 16:
        return None
    value = int(timestamp)
    return value / 1000 if value >= _MILLISECONDS_THRESHOLD else float(value)


def timestamp_is_fresh(timestamp: str, window_seconds: int, now: float) -> bool:
    """True when the timestamp lies within `window_seconds` of `now`."""
    seconds = timestamp_seconds(timestamp)
    return seconds is not None and abs(now - seconds) <= window_seconds
