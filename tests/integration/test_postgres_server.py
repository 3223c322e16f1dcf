"""A real `ngage serve` process on PostgreSQL: signed /create, idempotency, /recording."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from ngage.store.postgres import asyncpg_dsn
from tests.postgres import Cluster
from tests.support import (
    CREATE_RESPONSE_FIELDS,
    Credentials,
    Server,
    running_server,
    signed_headers,
    spec_example_body,
    transaction_id,
)


@pytest.fixture(scope="module")
def pg_url(pg_cluster: Cluster) -> str:
    return pg_cluster.new_database()


@pytest.fixture(scope="module")
def pg_server(pg_url: str) -> Iterator[Server]:
    with running_server(database_url=pg_url) as server:
        yield server


async def _meeting_rows(url: str, api_id: str) -> list[tuple[str, str, str]]:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await connection.fetch(
            "SELECT meeting_id, app_id, transaction_id FROM meetings WHERE api_id = $1", api_id
        )
    finally:
        await connection.close()
    return [(row[0], row[1], row[2]) for row in rows]


def meeting_rows(url: str, api_id: str) -> list[tuple[str, str, str]]:
    """The meetings of `api_id`, read straight from PostgreSQL."""
    return asyncio.run(_meeting_rows(url, api_id))


def distinct_transaction_ids(api_id: str, count: int) -> list[str]:
    """`count` distinct, well-formed transaction_ids (api_id + YYYYMMDDhhmmssSSS)."""
    start = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    stamps = (start + timedelta(milliseconds=index) for index in range(count))
    return [f"{api_id}{s:%Y%m%d%H%M%S}{s.microsecond // 1000:03d}" for s in stamps]


def post_concurrently(
    server: Server, creds: Credentials, body: dict[str, Any], count: int
) -> list[httpx.Response]:
    """`count` identical signed POST /create requests, each from its own thread and client."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(server.post, creds, "/create", body) for _ in range(count)]
        return [future.result() for future in futures]


def recordings(server: Server, creds: Credentials, app_ids: list[str]) -> dict[str, Any]:
    body = {"transaction_id": transaction_id(creds.api_id), "app_ids": app_ids}
    response = server.post(creds, "/recording", body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert answer["transaction_id"] == body["transaction_id"]
    assert answer["status_desc"] == "Success"
    return answer


def assert_one_meeting(
    server: Server, url: str, creds: Credentials, responses: list[httpx.Response]
) -> None:
    assert [r.status_code for r in responses] == [200] * len(responses), [
        r.text for r in responses if r.status_code != 200
    ]
    answers = [r.json() for r in responses]
    assert all(answer == answers[0] for answer in answers)
    rows = meeting_rows(url, creds.api_id)
    assert rows == [(answers[0]["meeting_id"], answers[0]["app_id"], answers[0]["transaction_id"])]
    listed = recordings(server, creds, [answers[0]["app_id"]])["recordings"]
    assert [entry["meeting_id"] for entry in listed] == [answers[0]["meeting_id"]]


def test_create_replay_conflict_and_recording(pg_server: Server, pg_url: str) -> None:
    creds = pg_server.new_app("pg-create")
    assert re.fullmatch(r"NVA\d{7}", creds.api_id)
    body = spec_example_body(creds.api_id)

    with pg_server.client() as client:
        response = client.post("/create", json=body, headers=signed_headers(creds))
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == CREATE_RESPONSE_FIELDS
    assert created["transaction_id"] == body["transaction_id"]
    assert created["status_desc"] == "Success"
    assert created["topic"] == body["topic"]
    assert re.fullmatch(rf"APP-{creds.api_id}\d{{17}}", created["app_id"])
    assert re.fullmatch(r"\d{11}", created["meeting_id"])
    assert re.fullmatch(r"[A-Za-z0-9]{6}", created["password"])
    assert created["start_url"].startswith(f"{pg_server.base_url}/meetings/start?")
    assert created["join_url"].startswith(f"{pg_server.base_url}/meetings/join?")
    assert "fullname=User%20Host" in created["start_url"]
    assert "fullname=User%20Partisipant" in created["join_url"]

    replay = pg_server.post(creds, "/create", body)
    assert replay.status_code == 200, replay.text
    assert replay.json() == created

    conflict = pg_server.post(creds, "/create", {**body, "topic": "Another topic"})
    assert conflict.status_code == 409, conflict.text
    refused = conflict.json()
    assert set(refused) == {"transaction_id", "status_desc"}
    assert refused["transaction_id"] == body["transaction_id"]
    assert "already used" in refused["status_desc"]

    assert meeting_rows(pg_url, creds.api_id) == [
        (created["meeting_id"], created["app_id"], body["transaction_id"])
    ]

    listed = recordings(pg_server, creds, [created["app_id"], "APP-NVA000000120990101000000000"])
    assert listed["recordings"] == [
        {
            "app_id": created["app_id"],
            "meeting_id": created["meeting_id"],
            "topic": created["topic"],
            "status": "none",
            "recording_files": [],
        }
    ]

    # Another app asking for this app_id learns nothing about it.
    stranger = pg_server.new_app("pg-stranger")
    assert recordings(pg_server, stranger, [created["app_id"]])["recordings"] == []


def test_concurrent_duplicates_create_one_meeting(pg_server: Server, pg_url: str) -> None:
    creds = pg_server.new_app("pg-duplicates")
    body = spec_example_body(creds.api_id)
    responses = post_concurrently(pg_server, creds, body, 20)
    assert_one_meeting(pg_server, pg_url, creds, responses)


def test_two_workers_concurrent_duplicates_create_one_meeting(pg_cluster: Cluster) -> None:
    url = pg_cluster.new_database()
    with running_server(database_url=url, workers="2") as server:
        creds = server.new_app("pg-two-workers")
        winners: dict[str, dict[str, Any]] = {}
        for tid in distinct_transaction_ids(creds.api_id, 3):
            body = {**spec_example_body(creds.api_id), "transaction_id": tid}
            responses = post_concurrently(server, creds, body, 20)
            assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]
            answers = [r.json() for r in responses]
            assert all(answer == answers[0] for answer in answers)
            winners[tid] = answers[0]

        rows = meeting_rows(url, creds.api_id)
        assert sorted(rows) == sorted(
            (answer["meeting_id"], answer["app_id"], tid) for tid, answer in winners.items()
        )
        listed = recordings(server, creds, [answer["app_id"] for answer in winners.values()])
        assert [entry["meeting_id"] for entry in listed["recordings"]] == [
            answer["meeting_id"] for answer in winners.values()
        ]
