"""The SDK's pure parts (ngage.client.core and .models), checked against the server's own code."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from ngage.api.ranges import RangeVerdict, plan_range
from ngage.auth.credentials import SecretBox, hash_api_key
from ngage.auth.signature import sign
from ngage.auth.verifier import RequestVerifier
from ngage.client import (
    ApiError,
    BadRequest,
    Client,
    DuplicateTransaction,
    Meeting,
    MeetingConfig,
    MissingCredentials,
    NotAuthorized,
    Recording,
    RecordingFile,
    ServerError,
    ViewConfig,
    core,
)
from ngage.meetings import requests as server_requests
from ngage.meetings.requests import CreateMeetingRequest, RecordingRequest, parse
from ngage.meetings.transaction import transaction_problem
from ngage.store import AppRecord
from tests.support import CREATE_REQUEST_FIELDS, FLAG_NAMES, VIEW_NAMES

API_ID = "NVA0000042"
ENV = {
    "NGAGE_BASE_URL": "http://env.example:9000/",
    "NGAGE_API_ID": "NVAENV0001",
    "NGAGE_API_KEY": "env-key",
    "NGAGE_API_SECRET": "env-secret-value",
}
NOTHING: dict[str, str | None] = {
    "base_url": None,
    "api_id": None,
    "api_key": None,
    "api_secret": None,
}
MANDATORY = set(CREATE_REQUEST_FIELDS)


def settings(**overrides: object) -> core.ClientSettings:
    base = core.ClientSettings("http://127.0.0.1:1", API_ID, "the-key", "the-secret-123")
    return replace(base, **overrides)  # type: ignore[arg-type]


def default_configs() -> tuple[MeetingConfig, MeetingConfig, ViewConfig, ViewConfig]:
    return (MeetingConfig(), MeetingConfig(), ViewConfig(), ViewConfig())


# ---------------------------------------------------------------- settings


def test_settings_from_arguments() -> None:
    given = {
        "base_url": "http://api.example:8080/",
        "api_id": API_ID,
        "api_key": "k",
        "api_secret": "s",
    }
    resolved = core.resolve_settings(given, {}, timeout=2.5, retries=5, backoff=0.25)
    assert resolved.base_url == "http://api.example:8080"  # trailing slash dropped
    assert (resolved.api_id, resolved.api_key, resolved.api_secret) == (API_ID, "k", "s")
    assert (resolved.timeout, resolved.retries, resolved.backoff) == (2.5, 5, 0.25)


def test_settings_from_environment_mapping() -> None:
    resolved = core.resolve_settings(NOTHING, ENV)
    assert resolved.base_url == "http://env.example:9000"
    assert resolved.api_id == "NVAENV0001"
    assert resolved.api_key == "env-key"
    assert resolved.api_secret == "env-secret-value"
    assert (resolved.timeout, resolved.retries, resolved.backoff) == (30.0, 3, 0.5)


def test_arguments_win_over_environment() -> None:
    resolved = core.resolve_settings({**NOTHING, "api_key": "arg-key"}, ENV)
    assert resolved.api_key == "arg-key"
    assert resolved.api_secret == "env-secret-value"


def test_missing_credentials_names_every_variable() -> None:
    with pytest.raises(MissingCredentials) as caught:
        core.resolve_settings(NOTHING, {})
    for name in ENV:
        assert name in str(caught.value)


@pytest.mark.parametrize("absent", sorted(ENV))
def test_missing_credential_named_alone(absent: str) -> None:
    environ = {name: value for name, value in ENV.items() if name != absent}
    environ[absent] = ""  # empty counts as missing
    with pytest.raises(MissingCredentials) as caught:
        core.resolve_settings(NOTHING, environ)
    message = str(caught.value)
    assert absent in message
    assert [name for name in ENV if name in message] == [absent]


def test_client_without_credentials_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(MissingCredentials) as caught:
        Client()
    for name in ENV:
        assert name in str(caught.value)


def test_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    with Client() as client:
        assert client.settings == core.resolve_settings(NOTHING, ENV)


def test_settings_repr_hides_the_secret() -> None:
    secret = "s3cr3t-never-shown"
    resolved = core.resolve_settings(
        {"base_url": "http://h", "api_id": API_ID, "api_key": "k", "api_secret": secret}, {}
    )
    for text in (repr(resolved), str(resolved), f"{resolved!r}", f"{resolved}"):
        assert secret not in text
        assert API_ID in text


# ---------------------------------------------------------------- transaction ids


def test_transaction_id_format() -> None:
    moment = datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=UTC)
    assert core.TransactionIds().next(API_ID, moment) == f"{API_ID}20240229235958123"


def test_transaction_ids_never_repeat_at_the_same_instant() -> None:
    ids = core.TransactionIds()
    moment = datetime(2024, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    first, second = ids.next(API_ID, moment), ids.next(API_ID, moment)
    assert first == f"{API_ID}20241231235959999"
    assert second == f"{API_ID}20250101000000000"  # carried into the next second, and year


def test_ten_thousand_transaction_ids_strictly_increase() -> None:
    ids = core.TransactionIds()
    before = datetime.now(UTC)
    made = [ids.next(API_ID) for _ in range(10_000)]
    after = datetime.now(UTC)
    assert len(set(made)) == len(made)
    stamps = []
    for tx in made:
        assert tx.startswith(API_ID)
        suffix = tx[len(API_ID) :]
        assert len(suffix) == 17 and suffix.isdigit(), tx
        assert transaction_problem(tx, API_ID) is None  # the server accepts it
        stamps.append(int(suffix))
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    # The timestamp is a real UTC date: never before the first call; it may run
    # ahead of the clock by at most one millisecond per id handed out.
    first = datetime.strptime(made[0][len(API_ID) :][:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    last = datetime.strptime(made[-1][len(API_ID) :][:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    assert before - timedelta(seconds=1) <= first
    assert last <= after + timedelta(milliseconds=len(made)) + timedelta(seconds=1)


def test_transaction_ids_unique_across_threads() -> None:
    ids = core.TransactionIds()
    made: list[list[str]] = [[] for _ in range(4)]

    def work(slot: list[str]) -> None:
        slot.extend(ids.next(API_ID) for _ in range(2_500))

    threads = [threading.Thread(target=work, args=(slot,)) for slot in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [tx for slot in made for tx in slot]
    assert len(everything) == len(set(everything)) == 10_000


def test_two_clients_of_one_app_never_share_a_transaction_id() -> None:
    """A shared id would turn the second client's create into a replay of the first's."""
    with (
        Client("http://127.0.0.1:1", API_ID, "k", "s") as one,
        Client("http://127.0.0.1:1", API_ID, "k", "s") as other,
    ):
        made = [client.new_transaction_id() for _ in range(1_000) for client in (one, other)]
    assert len(set(made)) == len(made)


def test_client_transaction_ids_belong_to_its_api_id() -> None:
    with Client("http://127.0.0.1:1", API_ID, "k", "s") as client:
        first, second = client.new_transaction_id(), client.new_transaction_id()
    assert first != second
    assert transaction_problem(first, API_ID) is None
    assert transaction_problem(second, API_ID) is None


# ---------------------------------------------------------------- signing


def test_signed_headers_carry_a_valid_signature() -> None:
    headers = core.signed_headers(settings(), "1700000000")
    assert headers["api-key"] == "the-key"
    assert headers["timestamp"] == "1700000000"
    assert headers["Signature"] == sign(API_ID, "the-secret-123", "1700000000")
    assert headers["Content-Type"] == "application/json"


def test_signed_headers_default_to_now() -> None:
    headers = core.signed_headers(settings())
    assert headers["timestamp"].isdigit()
    assert headers["Signature"] == sign(API_ID, "the-secret-123", headers["timestamp"])


class _OneApp:
    """The store boundary of the server's verifier: a single app."""

    def __init__(self, app: AppRecord) -> None:
        self.app = app

    async def find_app_by_key(self, key_hash: str) -> AppRecord | None:
        return self.app if key_hash == self.app.key_hash else None


async def test_server_verifier_accepts_sdk_headers() -> None:
    box = SecretBox(os.urandom(32))
    app = AppRecord(API_ID, "sdk", hash_api_key("the-key"), box.seal("the-secret-123"), False, 0)
    verifier = RequestVerifier(_OneApp(app), box, 300, 0)  # type: ignore[arg-type]
    headers = httpx.Headers(core.signed_headers(settings()))
    caller = await verifier.verify(
        headers.get("api-key"), headers.get("timestamp"), headers.get("signature")
    )
    assert caller.api_id == API_ID


# ---------------------------------------------------------------- bodies and configs


def test_config_fields_match_the_servers() -> None:
    sdk_meeting = [f.name for f in fields(MeetingConfig)]
    sdk_view = [f.name for f in fields(ViewConfig)]
    assert sdk_meeting == list(server_requests.MeetingConfig.model_fields)
    assert sdk_view == list(server_requests.ViewConfig.model_fields)
    assert sdk_meeting == FLAG_NAMES
    assert tuple(sdk_view) == VIEW_NAMES


def test_defaults_follow_zoom() -> None:
    config = MeetingConfig()
    for name, value in config.to_wire().items():
        assert isinstance(value, bool), name
        if name.startswith("disable"):
            assert value is False, name
        if name.startswith("isSupport"):
            assert value is True, name
    assert ViewConfig().to_wire() == dict.fromkeys(VIEW_NAMES, True)


def test_create_body_sends_every_mandatory_field() -> None:
    body = core.create_body(f"{API_ID}20240101000000000", "T", "H", "P", default_configs())
    assert set(body) == MANDATORY
    assert (body["topic"], body["host_name"], body["participant_name"]) == ("T", "H", "P")
    for role in ("config_host", "config_participant"):
        assert list(body[role]) == FLAG_NAMES
        assert all(isinstance(v, bool) for v in body[role].values())
    for role in ("view_host", "view_participant"):
        assert list(body[role]) == list(VIEW_NAMES)
        assert all(isinstance(v, bool) for v in body[role].values())
    assert json.loads(json.dumps(body)) == body  # plain JSON


def test_create_body_carries_one_changed_flag_per_role() -> None:
    configs = (
        MeetingConfig(screenShare=False),
        MeetingConfig(disableInvite=True),
        ViewConfig(security_option=False),
        ViewConfig(participants_list=False),
    )
    body = core.create_body(f"{API_ID}20240101000000000", "T", "H", "P", configs)
    assert body["config_host"] == {**MeetingConfig().to_wire(), "screenShare": False}
    assert body["config_participant"] == {**MeetingConfig().to_wire(), "disableInvite": True}
    assert body["view_host"] == {**ViewConfig().to_wire(), "security_option": False}
    assert body["view_participant"] == {**ViewConfig().to_wire(), "participants_list": False}


def test_default_body_validates_on_the_server() -> None:
    tx = core.TransactionIds().next(API_ID)
    body = core.create_body(tx, "Weekly sync", "Ana", "Guest", default_configs())
    parsed = parse(CreateMeetingRequest, body, API_ID)
    assert parsed.transaction_id == tx
    assert parsed.config_host.model_dump() == MeetingConfig().to_wire()
    assert parsed.config_participant.model_dump() == MeetingConfig().to_wire()
    assert parsed.view_host.model_dump() == ViewConfig().to_wire()
    assert parsed.view_participant.model_dump() == ViewConfig().to_wire()


def test_flipped_body_validates_on_the_server() -> None:
    flipped = MeetingConfig(
        **{name: not value for name, value in MeetingConfig().to_wire().items()}
    )
    view = ViewConfig(**dict.fromkeys(VIEW_NAMES, False))
    tx = core.TransactionIds().next(API_ID)
    body = core.create_body(tx, "T", "H", "P", (flipped, flipped, view, view))
    parsed = parse(CreateMeetingRequest, body, API_ID)
    assert parsed.config_host.model_dump() == flipped.to_wire()
    assert parsed.view_participant.model_dump() == view.to_wire()


def test_recording_body_validates_on_the_server() -> None:
    tx = core.TransactionIds().next(API_ID)
    body = core.recording_body(tx, ("APP-a", "APP-b"))
    assert body == {"transaction_id": tx, "app_ids": ["APP-a", "APP-b"]}
    assert parse(RecordingRequest, body, API_ID).app_ids == ["APP-a", "APP-b"]


# ---------------------------------------------------------------- errors


def error_response(status: int, **payload: object) -> httpx.Response:
    return httpx.Response(status, json=payload)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequest),
        (413, BadRequest),
        (415, BadRequest),
        (403, BadRequest),
        (404, BadRequest),
        (401, NotAuthorized),
        (409, DuplicateTransaction),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_api_error_maps_status(status: int, kind: type[ApiError]) -> None:
    tx = f"{API_ID}20240101000000000"
    error = core.api_error(error_response(status, transaction_id=tx, status_desc="Why: because"))
    assert type(error) is kind
    assert error.status_code == status
    assert error.status_desc == "Why: because"
    assert error.transaction_id == tx
    assert "Why: because" in str(error)


@pytest.mark.parametrize(
    ("response", "desc"),
    [
        (httpx.Response(502, content=b"<html>bad gateway</html>"), "Bad Gateway"),
        (httpx.Response(500, content=b""), "Internal Server Error"),
        (httpx.Response(503, json=["not", "an", "object"]), "Service Unavailable"),
        (httpx.Response(400, json={"transaction_id": 7}), "Bad Request"),
    ],
)
def test_api_error_copes_with_other_bodies(response: httpx.Response, desc: str) -> None:
    error = core.api_error(response)
    assert error.status_code == response.status_code
    assert error.status_desc == desc
    assert error.transaction_id is None


def test_answer_returns_the_object_or_raises() -> None:
    ok = {"transaction_id": "x", "status_desc": "Success"}
    assert core.answer(httpx.Response(200, json=ok)) == ok
    with pytest.raises(NotAuthorized):
        core.answer(error_response(401, transaction_id=None, status_desc="Not Authorized"))
    with pytest.raises(ServerError):
        core.answer(httpx.Response(200, json=[1, 2]))


def test_answer_that_is_not_json_is_a_server_error() -> None:
    with pytest.raises(ServerError) as caught:
        core.answer(httpx.Response(200, content=b"<html>Please log in</html>"))
    assert caught.value.status_code == 200


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_client_errors_are_not_retried(status: int) -> None:
    assert core.should_retry(httpx.Response(status)) is False


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(status: int) -> None:
    assert core.should_retry(httpx.Response(status)) is True


# ---------------------------------------------------------------- retries and downloads


def test_backoff_doubles() -> None:
    assert [core.backoff_delay(settings(backoff=0.5), n) for n in range(4)] == [0.5, 1, 2, 4]
    delays = [core.backoff_delay(settings(backoff=0.01), n) for n in range(5)]
    assert all(later == 2 * earlier for earlier, later in zip(delays, delays[1:], strict=False))


def test_resume_offset(tmp_path: Path) -> None:
    target = tmp_path / "file.mp4"
    assert core.resume_offset(target, 100) is None  # absent: nothing to keep, nothing done
    target.write_bytes(b"")
    assert core.resume_offset(target, 100) == 0
    target.write_bytes(b"x" * 40)
    assert core.resume_offset(target, 100) == 40  # partial: keep it
    target.write_bytes(b"x" * 100)
    assert core.resume_offset(target, 100) == 100  # complete
    target.write_bytes(b"x" * 101)
    assert core.resume_offset(target, 100) == 0  # longer than the file: start over


def test_range_headers() -> None:
    assert core.range_headers(0) == {}
    assert core.range_headers(70_000) == {"Range": "bytes=70000-"}
    plan = plan_range(core.range_headers(70_000)["Range"], 200_000)
    assert plan.verdict is RangeVerdict.PARTIAL  # the server serves the rest


# ---------------------------------------------------------------- answers


def test_recording_file_from_wire() -> None:
    wire = {
        "file_type": "MP4",
        "file_extension": "MP4",
        "download_url": "http://h/rec/webhook_download/abc.def-ghi",
        "file_size": "123456",
        "recording_type": "shared_screen_with_speaker_view",
    }
    parsed = RecordingFile.from_wire(wire)
    assert parsed.file_size == 123456
    assert isinstance(parsed.file_size, int)
    assert parsed.download_url == wire["download_url"]
    assert parsed.suggested_name.endswith(".mp4")
    assert "/" not in parsed.suggested_name


def test_recording_from_wire() -> None:
    wire = {
        "app_id": "APP-x",
        "meeting_id": "12345678901",
        "topic": "T",
        "recording_files": [
            {
                "file_type": "M4A",
                "file_extension": "M4A",
                "download_url": "http://h/rec/webhook_download/t",
                "file_size": "10",
                "recording_type": "audio_only",
            }
        ],
    }
    recording = Recording.from_wire(wire)
    assert (recording.app_id, recording.meeting_id, recording.topic) == (
        "APP-x",
        "12345678901",
        "T",
    )
    assert [f.file_size for f in recording.files] == [10]
    assert Recording.from_wire({**wire, "recording_files": []}).files == []


def test_meeting_from_wire_ignores_status_desc() -> None:
    wire = {
        "transaction_id": "tx",
        "status_desc": "Success",
        "app_id": "APP-x",
        "meeting_id": "12345678901",
        "topic": "T",
        "start_url": "http://h/start",
        "join_url": "http://h/join",
        "password": "abc123",
    }
    meeting = Meeting.from_wire(wire)
    assert meeting.password == "abc123"
    assert meeting.meeting_id == "12345678901"


@pytest.mark.parametrize("base_url", ["localhost:8000", "ftp://host", "http://[::1", "http://"])
def test_unusable_base_urls_are_refused(base_url: str) -> None:
    from ngage.client.errors import InvalidSettings

    given = {"base_url": base_url, "api_id": "NVA0000001", "api_key": "k", "api_secret": "s"}
    with pytest.raises(InvalidSettings):
        core.resolve_settings(given, environ={})


def test_resumes_at_checks_content_range() -> None:
    import httpx

    answer = httpx.Response(206, headers={"Content-Range": "bytes 100-199/200"})
    assert core.resumes_at(answer, 100)
    assert not core.resumes_at(answer, 50)
    assert not core.resumes_at(httpx.Response(206), 100)
