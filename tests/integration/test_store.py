"""The store on both engines: migrations, apps, meetings, recording files, idempotency.

Every test runs once on a SQLite file and once on a fresh database of a private
PostgreSQL cluster, through the same `Store` interface the server uses.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from ngage.auth.apps import AppRegistry
from ngage.auth.credentials import SecretBox, hash_api_key
from ngage.auth.links import DownloadLinks, MeetingLinks
from ngage.errors import DuplicateTransaction, NotFound
from ngage.meetings.service import MeetingService
from ngage.recordings.catalog import RecordingCatalog
from ngage.recordings.kinds import AUDIO_ONLY, COMPOSITE_VIDEO
from ngage.recordings.storage import LocalStorage
from ngage.store import (
    AppRecord,
    IdCollision,
    MeetingRecord,
    RecordingFileRecord,
    Store,
    TransactionReplay,
    open_store,
)
from ngage.store.factory import sqlite_path
from ngage.store.migrate import MIGRATIONS, upgrade
from ngage.store.postgres import asyncpg_dsn
from tests.postgres import Cluster
from tests.support import CREATE_RESPONSE_FIELDS, spec_example_body

BASE_URL = "https://ngage.example.test"
APP_ID = re.compile(r"^APP-NVA\d{7}\d{17}$")
EXPECTED_TABLES = {
    "alembic_version",
    "apps",
    "meetings",
    "recording_files",
    "recordings",
    "meeting_events",
}


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (not migrated yet) on the engine of the parameter."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ngage.db'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated, opened store."""
    await asyncio.to_thread(upgrade, database_url)
    opened = await open_store(database_url)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(os.urandom(32))


@pytest.fixture
def registry(store: Store, box: SecretBox) -> AppRegistry:
    return AppRegistry(store, box)


@pytest.fixture
def service(store: Store) -> MeetingService:
    return MeetingService(store, MeetingLinks(os.urandom(32), 3600), BASE_URL)


# --- helpers --------------------------------------------------------------------------------


async def query(url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Run one read query straight on the database, around the store (`?` placeholders)."""
    path = sqlite_path(url)
    if path is not None:

        def read() -> list[tuple[Any, ...]]:
            connection = sqlite3.connect(path)
            try:
                return [tuple(row) for row in connection.execute(sql, args).fetchall()]
            finally:
                connection.close()

        return await asyncio.to_thread(read)
    numbered = iter(range(1, 100))
    pg_sql = re.sub(r"\?", lambda _: f"${next(numbered)}", sql)
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return [tuple(row) for row in await connection.fetch(pg_sql, *args)]
    finally:
        await connection.close()


async def table_names(url: str) -> set[str]:
    if sqlite_path(url) is not None:
        rows = await query(url, "SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = await query(
            url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    return {str(row[0]) for row in rows}


async def count_meetings(url: str, api_id: str) -> int:
    rows = await query(url, "SELECT count(*) FROM meetings WHERE api_id = ?", api_id)
    return int(rows[0][0])


async def meetings_found(store: Store, api_id: str, app_ids: list[str]) -> int:
    return len(await store.meetings_of_app(api_id, app_ids))


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def app_record(number: int) -> AppRecord:
    return AppRecord(
        api_id=f"NVA{number:07d}",
        name=f"app {number}",
        key_hash=hash_api_key(f"key-{number}"),
        sealed_secret=f"sealed-{number}",
        disabled=False,
        created_at_ms=1_700_000_000_000 + number,
    )


def meeting_record(api_id: str, n: int, **changes: Any) -> MeetingRecord:
    record = MeetingRecord(
        meeting_id=f"{10_000_000_000 + n}",
        app_id=f"APP-{api_id}20260101000000{n:03d}",
        api_id=api_id,
        transaction_id=f"{api_id}20260101000000{n:03d}",
        request_fingerprint=f"{n:064x}",
        topic=f"Topic {n} ünïcödé",
        host_name=f"Host {n}",
        participant_name=f"Guest {n}",
        password=f"Pw{n:04d}",
        settings_json='{"view_host": {"participants_list": true}}',
        response_json=f'{{"meeting_id": "{10_000_000_000 + n}"}}',
        status="created",
        created_at_ms=1_767_225_600_000 + n,
    )
    return replace(record, **changes)


def file_record(meeting_id: str, file_id: str, created_at_ms: int) -> RecordingFileRecord:
    return RecordingFileRecord(
        file_id=file_id,
        meeting_id=meeting_id,
        file_type="MP4",
        file_extension="MP4",
        recording_type="shared_screen_with_speaker_view",
        path=f"{meeting_id}/{file_id}.mp4",
        size_bytes=5_000_000_000 + created_at_ms,  # beyond 32 bits: BIGINT on both engines
        created_at_ms=created_at_ms,
    )


def link_token(url: str) -> str:
    """The `auth_token` of a start/join link."""
    return url.split("auth_token=", 1)[1].split("&", 1)[0]


def transaction_ids(api_id: str, count: int) -> list[str]:
    """`count` distinct, well-formed transaction_ids (api_id + YYYYMMDDhhmmssSSS)."""
    start = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    stamps = (start + timedelta(milliseconds=index) for index in range(count))
    return [f"{api_id}{s:%Y%m%d%H%M%S}{s.microsecond // 1000:03d}" for s in stamps]


# --- migrations -----------------------------------------------------------------------------


async def test_upgrade_creates_the_tables_and_is_idempotent(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    assert EXPECTED_TABLES <= await table_names(database_url)
    assert await query(database_url, "SELECT version_num FROM alembic_version") == [
        (head_revision(),)
    ]

    store = await open_store(database_url)
    try:
        await store.add_app(app_record(1))
    finally:
        await store.close()

    await asyncio.to_thread(upgrade, database_url)  # a second run changes nothing
    assert EXPECTED_TABLES <= await table_names(database_url)
    assert await query(database_url, "SELECT version_num FROM alembic_version") == [
        (head_revision(),)
    ]
    store = await open_store(database_url)
    try:
        assert await store.list_apps() == [app_record(1)]
        await store.ping()
    finally:
        await store.close()


# --- apps -----------------------------------------------------------------------------------


async def test_app_registry_round_trip(registry: AppRegistry, store: Store, box: SecretBox) -> None:
    assert await registry.list_apps() == []
    first = await registry.create("first")
    second = await registry.create("second")
    third = await registry.create("third")
    assert [first.api_id, second.api_id, third.api_id] == [
        "NVA0000001",
        "NVA0000002",
        "NVA0000003",
    ]
    assert await store.highest_api_number() == 3

    apps = await registry.list_apps()
    assert [(a.api_id, a.name, a.disabled) for a in apps] == [
        ("NVA0000001", "first", False),
        ("NVA0000002", "second", False),
        ("NVA0000003", "third", False),
    ]
    for app, issued in zip(apps, (first, second, third), strict=True):
        assert issued.api_key is not None
        assert issued.api_secret not in app.sealed_secret
        assert box.open(app.sealed_secret) == issued.api_secret
        assert app.key_hash != issued.api_key
        assert app.key_hash == hash_api_key(issued.api_key)
        assert await store.find_app_by_key(hash_api_key(issued.api_key)) == app
        assert await store.find_app(app.api_id) == app
    assert len({issued.api_key for issued in (first, second, third)}) == 3
    assert len({issued.api_secret for issued in (first, second, third)}) == 3
    assert await store.find_app_by_key(hash_api_key("no such key")) is None
    assert await store.find_app("NVA9999999") is None

    before = await store.find_app(second.api_id)
    assert before is not None
    rotated = await registry.rotate_secret(second.api_id)
    assert rotated.api_id == second.api_id
    assert rotated.api_key is None
    assert rotated.api_secret != second.api_secret
    after = await store.find_app(second.api_id)
    assert after is not None
    assert after.sealed_secret != before.sealed_secret
    assert rotated.api_secret not in after.sealed_secret
    assert box.open(after.sealed_secret) == rotated.api_secret
    assert after.key_hash == before.key_hash  # the key stays, only the secret changes
    untouched = await store.find_app(first.api_id)
    assert untouched is not None and box.open(untouched.sealed_secret) == first.api_secret

    await registry.disable(third.api_id)
    disabled = await store.find_app(third.api_id)
    assert disabled is not None and disabled.disabled is True
    assert first.api_key is not None
    still_enabled = await store.find_app_by_key(hash_api_key(first.api_key))
    assert still_enabled is not None and still_enabled.disabled is False
    assert [a.disabled for a in await registry.list_apps()] == [False, False, True]

    with pytest.raises(NotFound):
        await registry.rotate_secret("NVA0000099")
    with pytest.raises(NotFound):
        await registry.disable("NVA0000099")

    fourth = await registry.create("fourth")
    assert fourth.api_id == "NVA0000004"


async def test_add_app_with_a_taken_api_id_raises_id_collision(store: Store) -> None:
    await store.add_app(app_record(1))
    with pytest.raises(IdCollision):
        await store.add_app(replace(app_record(2), api_id="NVA0000001"))
    with pytest.raises(IdCollision):
        await store.add_app(replace(app_record(2), key_hash=app_record(1).key_hash))
    assert await store.list_apps() == [app_record(1)]


# --- meetings -------------------------------------------------------------------------------


async def test_add_and_find_meeting(store: Store) -> None:
    await store.add_app(app_record(1))
    meeting = meeting_record("NVA0000001", 1)
    await store.add_meeting(meeting)
    assert await store.find_meeting(meeting.meeting_id) == meeting
    assert await store.find_meeting("19999999999") is None


async def test_repeated_transaction_raises_replay_with_the_original(store: Store) -> None:
    await store.add_app(app_record(1))
    original = meeting_record("NVA0000001", 1)
    await store.add_meeting(original)
    again = meeting_record("NVA0000001", 2, transaction_id=original.transaction_id)
    with pytest.raises(TransactionReplay) as caught:
        await store.add_meeting(again)
    assert caught.value.existing == original
    assert await store.find_meeting(again.meeting_id) is None
    assert await meetings_found(store, "NVA0000001", [original.app_id, again.app_id]) == 1


async def test_same_transaction_id_under_another_api_id_is_a_new_meeting(store: Store) -> None:
    await store.add_app(app_record(1))
    await store.add_app(app_record(2))
    first = meeting_record("NVA0000001", 1, transaction_id="T-shared")
    second = meeting_record("NVA0000002", 2, transaction_id="T-shared")
    await store.add_meeting(first)
    await store.add_meeting(second)
    assert await store.find_meeting(first.meeting_id) == first
    assert await store.find_meeting(second.meeting_id) == second


async def test_identifier_collisions_raise_id_collision(store: Store) -> None:
    await store.add_app(app_record(1))
    original = meeting_record("NVA0000001", 1)
    await store.add_meeting(original)

    same_meeting_id = meeting_record("NVA0000001", 2, meeting_id=original.meeting_id)
    with pytest.raises(IdCollision):
        await store.add_meeting(same_meeting_id)

    same_app_id = meeting_record("NVA0000001", 3, app_id=original.app_id)
    with pytest.raises(IdCollision):
        await store.add_meeting(same_app_id)

    assert await store.find_meeting(original.meeting_id) == original
    assert await store.find_meeting(same_app_id.meeting_id) is None
    # Nothing was left half-done: a fresh meeting still goes in.
    fresh = meeting_record("NVA0000001", 4)
    await store.add_meeting(fresh)
    assert await store.find_meeting(fresh.meeting_id) == fresh


async def test_meetings_of_app_only_returns_the_callers_meetings(store: Store) -> None:
    await store.add_app(app_record(1))
    await store.add_app(app_record(2))
    mine = [meeting_record("NVA0000001", n) for n in (1, 2, 3)]
    theirs = meeting_record("NVA0000002", 4)
    for meeting in [*mine, theirs]:
        await store.add_meeting(meeting)

    wanted = [mine[2].app_id, theirs.app_id, "APP-NVA000000120990101000000000", mine[0].app_id]
    found = await store.meetings_of_app("NVA0000001", wanted)
    assert sorted(found, key=lambda m: m.meeting_id) == [mine[0], mine[2]]

    assert await store.meetings_of_app("NVA0000002", [m.app_id for m in mine]) == []
    assert await store.meetings_of_app("NVA0000002", [theirs.app_id]) == [theirs]
    assert await store.meetings_of_app("NVA0000003", [theirs.app_id]) == []
    assert await store.meetings_of_app("NVA0000001", []) == []
    assert await store.meetings_of_app("NVA0000001", ["unknown", "' OR '1'='1"]) == []


# --- recording files ------------------------------------------------------------------------


async def test_recording_files_are_ordered_and_filtered_by_meeting(store: Store) -> None:
    await store.add_app(app_record(1))
    first = meeting_record("NVA0000001", 1)
    second = meeting_record("NVA0000001", 2)
    third = meeting_record("NVA0000001", 3)
    for meeting in (first, second, third):
        await store.add_meeting(meeting)
    # Inserted out of order; expected order: meeting_id, then created_at_ms, then file_id.
    files = [
        file_record(second.meeting_id, "f-b", 20),
        file_record(first.meeting_id, "f-z", 30),
        file_record(first.meeting_id, "f-y", 10),
        file_record(second.meeting_id, "f-a", 20),
        file_record(first.meeting_id, "f-x", 30),
        file_record(second.meeting_id, "f-c", 5),
    ]
    for recording in files:
        await store.add_recording_file(recording)
    by_id = {recording.file_id: recording for recording in files}

    both = await store.recording_files([second.meeting_id, first.meeting_id])
    assert [f.file_id for f in both] == ["f-y", "f-x", "f-z", "f-c", "f-a", "f-b"]
    assert both == [by_id[f.file_id] for f in both]

    only_second = await store.recording_files([second.meeting_id])
    assert [f.file_id for f in only_second] == ["f-c", "f-a", "f-b"]
    assert await store.recording_files([third.meeting_id]) == []
    assert await store.recording_files(["19999999999"]) == []
    assert await store.recording_files([]) == []


async def test_find_recording_file(store: Store) -> None:
    await store.add_app(app_record(1))
    meeting = meeting_record("NVA0000001", 1)
    await store.add_meeting(meeting)
    recording = file_record(meeting.meeting_id, "a" * 32, 1_767_225_600_000)
    await store.add_recording_file(recording)
    assert await store.find_recording_file(recording.file_id) == recording
    assert await store.find_recording_file("b" * 32) is None


async def test_recording_file_of_an_unknown_meeting_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.add_recording_file(file_record("19999999999", "c" * 32, 1))


# --- MeetingService -------------------------------------------------------------------------


async def test_create_is_idempotent(
    service: MeetingService, registry: AppRegistry, database_url: str
) -> None:
    api_id = (await registry.create("meetings")).api_id
    body = spec_example_body(api_id)
    created = await service.create(api_id, body)
    assert set(created) == CREATE_RESPONSE_FIELDS
    assert created["transaction_id"] == body["transaction_id"]
    assert created["status_desc"] == "Success"
    assert APP_ID.match(created["app_id"]) and created["app_id"].startswith(f"APP-{api_id}")
    assert re.fullmatch(r"[1-9]\d{10}", created["meeting_id"])
    assert re.fullmatch(r"[A-Za-z0-9]{6}", created["password"])
    assert created["start_url"].startswith(f"{BASE_URL}/meetings/start?auth_token=")
    assert created["join_url"].startswith(f"{BASE_URL}/meetings/join?auth_token=")

    assert await service.create(api_id, body) == created
    # The literal strings "true"/"false" are the same request as JSON booleans.
    literal = {
        **body,
        "config_host": {k: ("true" if v else "false") for k, v in body["config_host"].items()},
    }
    assert await service.create(api_id, literal) == created

    with pytest.raises(DuplicateTransaction):
        await service.create(api_id, {**body, "topic": "Another topic"})

    stored = await service.open_link(link_token(created["start_url"]), "host")
    assert stored.meeting_id == created["meeting_id"]
    assert stored.app_id == created["app_id"]
    assert stored.api_id == api_id
    assert await count_meetings(database_url, api_id) == 1


async def test_concurrent_duplicate_creates_make_one_meeting(
    service: MeetingService, registry: AppRegistry, database_url: str
) -> None:
    api_id = (await registry.create("duplicates")).api_id
    body = spec_example_body(api_id)
    answers = await asyncio.gather(*(service.create(api_id, body) for _ in range(20)))
    assert all(answer == answers[0] for answer in answers)
    assert await count_meetings(database_url, api_id) == 1
    meeting = await service.open_link(link_token(answers[0]["join_url"]), "participant")
    assert meeting.transaction_id == body["transaction_id"]


async def test_concurrent_distinct_creates_all_succeed(
    service: MeetingService, registry: AppRegistry, store: Store, database_url: str
) -> None:
    api_id = (await registry.create("busy")).api_id
    other = (await registry.create("other")).api_id
    body = spec_example_body(api_id)
    ids = transaction_ids(api_id, 200)
    answers = await asyncio.gather(
        *(service.create(api_id, {**body, "transaction_id": tid}) for tid in ids)
    )
    assert [answer["transaction_id"] for answer in answers] == ids
    assert all(answer["status_desc"] == "Success" for answer in answers)
    app_ids = [answer["app_id"] for answer in answers]
    meeting_ids = [answer["meeting_id"] for answer in answers]
    assert len(set(app_ids)) == 200
    assert len(set(meeting_ids)) == 200
    assert all(APP_ID.match(app_id) for app_id in app_ids)
    assert await count_meetings(database_url, api_id) == 200
    assert len(await store.meetings_of_app(api_id, app_ids)) == 200
    assert await store.meetings_of_app(other, app_ids) == []


# --- RecordingCatalog -----------------------------------------------------------------------


async def test_recording_catalog_lists_only_the_callers_recordings(
    service: MeetingService, registry: AppRegistry, store: Store, tmp_path: Path
) -> None:
    recordings_dir = tmp_path / "recordings"
    links = DownloadLinks(os.urandom(32), 600)
    catalog = RecordingCatalog(store, links, BASE_URL, LocalStorage(recordings_dir))
    mine = (await registry.create("mine")).api_id
    theirs = (await registry.create("theirs")).api_id
    ids = transaction_ids(mine, 2)
    with_files = await service.create(mine, {**spec_example_body(mine), "transaction_id": ids[0]})
    without = await service.create(
        mine, {**spec_example_body(mine), "transaction_id": ids[1], "topic": "No files"}
    )
    foreign = await service.create(theirs, spec_example_body(theirs))

    meeting_id = with_files["meeting_id"]
    (recordings_dir / meeting_id).mkdir(parents=True)
    (recordings_dir / meeting_id / "composite.mp4").write_bytes(b"v" * 1234)
    (recordings_dir / meeting_id / "audio.m4a").write_bytes(b"a" * 56)
    video = await catalog.register(meeting_id, COMPOSITE_VIDEO, f"{meeting_id}/composite.mp4", 1234)
    audio = await catalog.register(meeting_id, AUDIO_ONLY, f"{meeting_id}/audio.m4a", 56)
    await catalog.register(foreign["meeting_id"], AUDIO_ONLY, "elsewhere.m4a", 9)

    request_id = transaction_ids(mine, 3)[2]
    wanted = [
        without["app_id"],
        foreign["app_id"],
        with_files["app_id"],
        "APP-NVA000000120990101000000000",
        without["app_id"],
    ]
    answer = await catalog.list_recordings(mine, {"transaction_id": request_id, "app_ids": wanted})
    assert answer["transaction_id"] == request_id
    assert answer["status_desc"] == "Success"
    entries = answer["recordings"]
    assert [(e["app_id"], e["meeting_id"], e["topic"]) for e in entries] == [
        (without["app_id"], without["meeting_id"], "No files"),
        (with_files["app_id"], meeting_id, with_files["topic"]),
    ]
    assert entries[0]["recording_files"] == []
    files = entries[1]["recording_files"]
    assert len(files) == 2
    shapes = sorted(
        (f["file_type"], f["file_extension"], f["file_size"], f["recording_type"]) for f in files
    )
    assert shapes == [
        ("M4A", "M4A", "56", "audio_only"),
        ("MP4", "MP4", "1234", "shared_screen_with_speaker_view"),
    ]
    prefix = f"{BASE_URL}/rec/webhook_download/"
    assert all(f["download_url"].startswith(prefix) for f in files)
    resolved = {
        f["file_type"]: await catalog.resolve(f["download_url"].removeprefix(prefix)) for f in files
    }
    assert resolved["MP4"].path == recordings_dir / video.path
    assert resolved["MP4"].content_type == "video/mp4"
    assert resolved["M4A"].path == recordings_dir / audio.path
    assert resolved["M4A"].content_type == "audio/mp4"

    # The other app sees its own meeting, and nothing of ours.
    their_request = {"transaction_id": transaction_ids(theirs, 1)[0], "app_ids": wanted}
    their_answer = await catalog.list_recordings(theirs, their_request)
    assert [e["app_id"] for e in their_answer["recordings"]] == [foreign["app_id"]]
    assert [f["file_size"] for f in their_answer["recordings"][0]["recording_files"]] == ["9"]
