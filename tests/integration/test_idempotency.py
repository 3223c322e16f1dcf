"""A transaction_id creates one meeting, however often and however concurrently it is sent."""

from __future__ import annotations

import copy
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support import (
    Credentials,
    Server,
    running_server,
    signed_headers,
    spec_example_body,
    unique_transaction_id,
)

CONCURRENT = 20


@pytest.fixture(scope="module")
def other_creds(server: Server) -> Credentials:
    return server.new_app("idempotency-other")


@pytest.fixture(scope="module")
def two_workers() -> Iterator[tuple[Server, Credentials]]:
    with running_server(workers="2") as process:
        deadline = time.monotonic() + 30
        while process.log().count("Application startup complete") < 2:  # both workers up
            assert time.monotonic() < deadline, process.log()
            time.sleep(0.05)
        yield process, process.new_app("two-workers")


def fresh_body(creds: Credentials) -> dict[str, Any]:
    body = spec_example_body(creds.api_id)
    body["transaction_id"] = unique_transaction_id(creds.api_id)
    return body


def create(server: Server, creds: Credentials, body: dict[str, Any]) -> dict[str, Any]:
    response = server.post(creds, "/create", body)
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()
    return payload


def meetings_stored(server: Server, api_id: str, transaction_id: str) -> int:
    """Rows in the server's own database for this (api_id, transaction_id)."""
    uri = f"file:{server.data_dir / 'ngage.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        row = db.execute(
            "SELECT COUNT(*) FROM meetings WHERE api_id = ? AND transaction_id = ?",
            (api_id, transaction_id),
        ).fetchone()
    return int(row[0])


def post_concurrently(
    server: Server, creds: Credentials, body: dict[str, Any], count: int
) -> list[httpx.Response]:
    """`count` requests, each on its own connection, released at the same moment."""
    start = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        with server.client() as client:
            headers = signed_headers(creds)
            start.wait(timeout=30)
            return client.post("/create", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_same_body_replays_the_original_response(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    first = create(server, creds, body)
    again = create(server, creds, body)
    assert again == first  # meeting_id, app_id, both urls and password: all the same
    assert meetings_stored(server, creds.api_id, body["transaction_id"]) == 1


def test_equivalent_bodies_are_the_same_request(server: Server, creds: Credentials) -> None:
    """true vs "true", and the view_partisipant spelling, do not make a new request."""
    body = fresh_body(creds)
    first = create(server, creds, body)
    literal = copy.deepcopy(body)
    literal["config_host"] = {
        key: "true" if value else "false" for key, value in body["config_host"].items()
    }
    literal["view_partisipant"] = literal.pop("view_participant")
    assert create(server, creds, literal) == first


def test_different_body_is_a_conflict(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    first = create(server, creds, body)
    changed = {**body, "topic": "Another topic"}
    response = server.post(creds, "/create", changed)
    assert response.status_code == 409, response.text
    payload = response.json()
    assert set(payload) == {"transaction_id", "status_desc"}
    assert payload["transaction_id"] == body["transaction_id"]
    assert "transaction_id" in payload["status_desc"]
    flipped = {**body, "config_participant": {**body["config_participant"], "screenShare": True}}
    assert server.post(creds, "/create", flipped).status_code == 409
    # The original is untouched by the refused attempts.
    assert create(server, creds, body) == first
    assert meetings_stored(server, creds.api_id, body["transaction_id"]) == 1


def test_other_app_is_independent(
    server: Server, creds: Credentials, other_creds: Credentials
) -> None:
    """The same timestamp from another app is another transaction, with its own meeting.

    A transaction_id starts with its app's api_id, so another app cannot send the very
    same string: it is refused as malformed and never answered with the first app's meeting.
    """
    body = fresh_body(creds)
    mine = create(server, creds, body)
    stamp = body["transaction_id"].removeprefix(creds.api_id)
    theirs_body = {**body, "transaction_id": other_creds.api_id + stamp}
    theirs = create(server, other_creds, theirs_body)
    assert theirs["meeting_id"] != mine["meeting_id"]
    assert theirs["app_id"].startswith(f"APP-{other_creds.api_id}")
    assert theirs["transaction_id"] == theirs_body["transaction_id"]

    stolen = server.post(other_creds, "/create", body)
    assert stolen.status_code == 400, stolen.text
    assert stolen.json()["status_desc"].startswith("Bad Request: transaction_id ")
    assert mine["meeting_id"] not in stolen.text
    assert create(server, creds, body) == mine


def assert_one_meeting(server: Server, creds: Credentials, responses: list[httpx.Response]) -> None:
    assert [r.status_code for r in responses] == [200] * len(responses), [
        r.text for r in responses if r.status_code != 200
    ]
    payloads = [r.json() for r in responses]
    assert len({p["meeting_id"] for p in payloads}) == 1
    assert all(p == payloads[0] for p in payloads)
    assert meetings_stored(server, creds.api_id, payloads[0]["transaction_id"]) == 1


def test_concurrent_duplicates_create_one_meeting(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    assert_one_meeting(server, creds, post_concurrently(server, creds, body, CONCURRENT))


def test_concurrent_duplicates_on_two_workers(two_workers: tuple[Server, Credentials]) -> None:
    server, creds = two_workers
    for _ in range(2):  # more than one round, so both workers take part in a race
        body = fresh_body(creds)
        assert_one_meeting(server, creds, post_concurrently(server, creds, body, CONCURRENT))


def test_concurrent_distinct_transactions_on_two_workers(
    two_workers: tuple[Server, Credentials],
) -> None:
    """Two processes minting app_ids for one app in the same millisecond still never collide."""
    server, creds = two_workers
    bodies = [fresh_body(creds) for _ in range(CONCURRENT)]
    start = threading.Barrier(CONCURRENT)

    def one(body: dict[str, Any]) -> httpx.Response:
        with server.client() as client:
            headers = signed_headers(creds)
            start.wait(timeout=30)
            return client.post("/create", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        responses = list(pool.map(one, bodies))
    assert [r.status_code for r in responses] == [200] * CONCURRENT
    payloads = [r.json() for r in responses]
    assert len({p["app_id"] for p in payloads}) == CONCURRENT
    assert len({p["meeting_id"] for p in payloads}) == CONCURRENT
