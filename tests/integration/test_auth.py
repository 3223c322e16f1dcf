"""The spec's request signature: every way to fail it gets the same 401, nothing more."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

import httpx
import pytest

from ngage.auth.signature import sign
from tests.support import (
    Credentials,
    Server,
    run_cli,
    signed_headers,
    spec_example_body,
    unique_transaction_id,
    wait_for_log,
)

NOT_AUTHORIZED = "Not Authorized"
CACHE_DEADLINE_SECONDS = 10.0  # the server caches credentials for up to 2 s
Headers = dict[str, str | bytes]
Forge = Callable[[Credentials], Headers]

# Every credential used in this module, to check that none of them reaches the log.
SEEN: list[Credentials] = []


def not_authorized(transaction_id: object) -> dict[str, object]:
    return {"transaction_id": transaction_id, "status_desc": NOT_AUTHORIZED}


def headers_for(creds: Credentials, timestamp: str) -> Headers:
    return dict(signed_headers(creds, timestamp))


def now() -> str:
    return str(int(time.time()))


def raw_hmac(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def without(name: str) -> Forge:
    def forge(creds: Credentials) -> Headers:
        headers = headers_for(creds, now())
        del headers[name]
        return headers

    return forge


def emptied(name: str) -> Forge:
    def forge(creds: Credentials) -> Headers:
        return {**headers_for(creds, now()), name: ""}

    return forge


def at(timestamp: Callable[[], str]) -> Forge:
    return lambda creds: headers_for(creds, timestamp())


def with_signature(signature: Callable[[Credentials, str], str | bytes]) -> Forge:
    def forge(creds: Credentials) -> Headers:
        ts = now()
        return {**headers_for(creds, ts), "Signature": signature(creds, ts)}

    return forge


FAILURES: dict[str, Forge] = {
    "unknown-api-key": lambda c: headers_for(replace(c, api_key=c.api_key[::-1]), now()),
    "wrong-secret": lambda c: headers_for(replace(c, api_secret=c.api_secret + "x"), now()),
    "other-api-id": lambda c: headers_for(replace(c, api_id="NVA9999999"), now()),
    "payload-without-colon": with_signature(
        lambda c, ts: raw_hmac(c.api_secret, f"{c.api_id}{ts}")
    ),
    "stale-timestamp": at(lambda: str(int(time.time()) - 301)),
    "future-timestamp": at(lambda: str(math.ceil(time.time()) + 301)),
    "stale-ms-timestamp": at(lambda: str(int(time.time() * 1000) - 301_000)),
    "non-numeric-timestamp": at(lambda: "yesterday"),
    "negative-timestamp": at(lambda: f"-{now()}"),
    "decimal-timestamp": at(lambda: f"{now()}.0"),
    "missing-api-key": without("api-key"),
    "missing-timestamp": without("Timestamp"),
    "missing-signature": without("Signature"),
    "empty-api-key": emptied("api-key"),
    "empty-timestamp": emptied("Timestamp"),
    "empty-signature": emptied("Signature"),
    "garbage-signature": with_signature(lambda c, ts: "not/base64/at-all=="),
    "signature-of-other-timestamp": with_signature(
        lambda c, ts: sign(c.api_id, c.api_secret, str(int(ts) - 1))
    ),
    "non-ascii-signature": with_signature(lambda c, ts: "é∑ñ".encode()),
    "hex-signature": with_signature(
        lambda c, ts: base64.b64decode(sign(c.api_id, c.api_secret, ts)).hex()
    ),
}


def as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def post(
    server: Server, path: str, body: dict[str, object], headers: Mapping[str, str | bytes]
) -> httpx.Response:
    raw = [(as_bytes(name), as_bytes(value)) for name, value in headers.items()]
    with server.client() as client:
        return client.post(path, content=json.dumps(body).encode(), headers=raw)


def recording_body(creds: Credentials) -> dict[str, object]:
    return {"transaction_id": unique_transaction_id(creds.api_id), "app_ids": []}


def authorized(server: Server, creds: Credentials) -> bool:
    """One side-effect-free signed call (/recording with no app_ids): accepted or not."""
    body = recording_body(creds)
    response = post(server, "/recording", body, headers_for(creds, now()))
    if response.status_code == 200:
        return True
    assert response.status_code == 401, response.text
    assert response.json() == not_authorized(body["transaction_id"])
    return False


def eventually(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + CACHE_DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "the change never took effect"
        time.sleep(0.1)


@pytest.fixture(scope="module", autouse=True)
def _remember_session_creds(creds: Credentials) -> None:
    SEEN.append(creds)


@pytest.mark.parametrize("cause", list(FAILURES))
@pytest.mark.parametrize("path", ["/create", "/recording"])
def test_each_failure_is_a_plain_401(
    server: Server, creds: Credentials, path: str, cause: str
) -> None:
    body = spec_example_body(creds.api_id) if path == "/create" else recording_body(creds)
    response = post(server, path, body, FAILURES[cause](creds))
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == not_authorized(body["transaction_id"])


def test_all_failures_look_identical(server: Server, creds: Credentials) -> None:
    """Same status, same bytes, same headers: nothing tells which part failed."""
    body = spec_example_body(creds.api_id)
    seen: dict[str, tuple[int, bytes, tuple[tuple[str, str], ...]]] = {}
    for cause, forge in FAILURES.items():
        response = post(server, "/create", body, forge(creds))
        headers = tuple(sorted((k, v) for k, v in response.headers.items() if k != "date"))
        seen[cause] = (response.status_code, response.content, headers)
    assert len(set(seen.values())) == 1, seen
    status, content, _ = next(iter(seen.values()))
    assert status == 401
    assert json.loads(content) == not_authorized(body["transaction_id"])


@pytest.mark.parametrize(
    ("content", "content_type", "echoed"),
    [
        (b"{not json", "application/json", False),
        (b"[]", "application/json", False),
        (b'{"transaction_id": "TX"}', "application/json", True),  # invalid for /create
        (b'{"transaction_id": "TX"}', "text/plain", True),
    ],
    ids=["malformed", "not-object", "invalid-body", "wrong-content-type"],
)
def test_authentication_comes_before_any_other_answer(
    server: Server, creds: Credentials, content: bytes, content_type: str, echoed: bool
) -> None:
    """An unauthenticated caller learns nothing about its body: 401, not 400 or 415."""
    headers = {**signed_headers(replace(creds, api_secret="wrong")), "Content-Type": content_type}
    with server.client() as client:
        response = client.post("/create", content=content, headers=headers)
    assert response.status_code == 401
    assert response.json() == not_authorized("TX" if echoed else None)


@pytest.mark.parametrize(
    "timestamp",
    [
        lambda: str(int(time.time()) - 290),
        lambda: str(int(time.time()) + 290),
        lambda: str(int(time.time() * 1000)),  # milliseconds, as Date.now() gives
        lambda: str(int(time.time() * 1000) + 290_000),
    ],
    ids=["past-290", "future-290", "milliseconds", "milliseconds-future-290"],
)
def test_timestamps_inside_the_window_accepted(
    server: Server, creds: Credentials, timestamp: Callable[[], str]
) -> None:
    ts = timestamp()
    body = spec_example_body(creds.api_id)
    body["transaction_id"] = unique_transaction_id(creds.api_id)
    response = post(server, "/create", body, headers_for(creds, ts))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lowercase", "uppercase"])
def test_header_names_are_case_insensitive(
    server: Server, creds: Credentials, case: Callable[[str], str]
) -> None:
    ts = now()
    headers = {
        case("Content-Type"): "application/json",
        case("API-Key"): creds.api_key,
        case("Timestamp"): ts,
        case("Signature"): sign(creds.api_id, creds.api_secret, ts),
    }
    body = recording_body(creds)
    response = post(server, "/recording", body, headers)
    assert response.status_code == 200, response.text
    assert response.json()["transaction_id"] == body["transaction_id"]


def test_disabled_app_is_refused(server: Server) -> None:
    app = server.new_app("to-be-disabled")
    SEEN.append(app)
    assert authorized(server, app)
    result = run_cli(server.env, "apps", "disable", app.api_id)
    assert result.returncode == 0, result.stderr
    eventually(lambda: not authorized(server, app))
    # Refused for good, on /create too.
    body = spec_example_body(app.api_id)
    response = post(server, "/create", body, headers_for(app, now()))
    assert response.status_code == 401
    assert response.json() == not_authorized(body["transaction_id"])


def test_rotated_secret_replaces_the_old_one(server: Server) -> None:
    old = server.new_app("to-be-rotated")
    SEEN.append(old)
    assert authorized(server, old)
    result = run_cli(server.env, "apps", "rotate-secret", old.api_id, "--json")
    assert result.returncode == 0, result.stderr
    issued = json.loads(result.stdout)
    assert issued["api_id"] == old.api_id
    new = replace(old, api_secret=issued["api_secret"])
    SEEN.append(new)
    assert new.api_secret != old.api_secret
    eventually(lambda: not authorized(server, old))
    assert authorized(server, new)
    assert not authorized(server, old)


def test_log_never_holds_a_key_or_secret(server: Server) -> None:
    log = wait_for_log(server, "POST /create 401")  # the log the requests above went to
    for creds in SEEN:
        assert creds.api_key not in log
        assert creds.api_secret not in log
