"""POST /recording (tenant isolation, listing) and the signed download links it hands out."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from ngage.recordings.kinds import AUDIO_ONLY, COMPOSITE_VIDEO
from tests.support import (
    Credentials,
    Server,
    running_server,
    spec_example_body,
    unique_transaction_id,
    wait_for_log,
)
from tests.support import place_recording as place_file

ERROR_FIELDS = {"transaction_id", "status_desc"}
DOWNLOAD_PREFIX = "/rec/webhook_download/"


# ---------------------------------------------------------------- helpers


def create_meeting(server: Server, creds: Credentials) -> dict[str, Any]:
    body = spec_example_body(creds.api_id)
    body["transaction_id"] = unique_transaction_id(creds.api_id)
    body["topic"] = f"Recorded {secrets.token_hex(4)}"
    response = server.post(creds, "/create", body)
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()
    return payload


def list_recordings(
    server: Server, creds: Credentials, app_ids: list[str], transaction_id: str | None = None
) -> httpx.Response:
    body = {
        "transaction_id": transaction_id or unique_transaction_id(creds.api_id),
        "app_ids": app_ids,
    }
    return server.post(creds, "/recording", body)


def recordings_of(server: Server, creds: Credentials, app_ids: list[str]) -> list[dict[str, Any]]:
    response = list_recordings(server, creds, app_ids)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert set(payload) == {"transaction_id", "status_desc", "recordings"}
    assert payload["status_desc"] == "Success"
    recordings: list[dict[str, Any]] = payload["recordings"]
    for entry in recordings:
        assert set(entry) == {"app_id", "meeting_id", "topic", "status", "recording_files"}
    return recordings


def sample_bytes(size: int) -> bytes:
    """A pattern that does not repeat within 64 KiB: a wrong range cannot pass for a right one."""
    return bytes((i * 7 + i // 256) % 256 for i in range(size))


def download_urls(server: Server, creds: Credentials, app_id: str) -> list[str]:
    (entry,) = recordings_of(server, creds, [app_id])
    return [f["download_url"] for f in entry["recording_files"]]


def fetch(url: str, method: str = "GET", **headers: str | bytes) -> httpx.Response:
    raw = [
        (name.encode(), value if isinstance(value, bytes) else value.encode())
        for name, value in headers.items()
    ]
    with httpx.Client(timeout=30) as client:
        return client.request(method, url, headers=raw)


def assert_json_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    payload = response.json()
    assert set(payload) == ERROR_FIELDS
    assert payload["transaction_id"] is None
    return str(payload["status_desc"])


@dataclass(frozen=True)
class Recorded:
    meeting: dict[str, Any]
    video: bytes
    audio: bytes
    video_url: str
    audio_url: str


@pytest.fixture(scope="module")
def other_creds(server: Server) -> Credentials:
    return server.new_app("recording-other-tenant")


@pytest.fixture(scope="module")
def recorded(server: Server, creds: Credentials) -> Recorded:
    meeting = create_meeting(server, creds)
    video, audio = sample_bytes(3000), sample_bytes(1234)[::-1]
    place_file(server, meeting["meeting_id"], COMPOSITE_VIDEO, video)
    place_file(server, meeting["meeting_id"], AUDIO_ONLY, audio)
    (entry,) = recordings_of(server, creds, [meeting["app_id"]])
    by_type = {f["file_type"]: f["download_url"] for f in entry["recording_files"]}
    return Recorded(meeting, video, audio, by_type["MP4"], by_type["M4A"])


# ---------------------------------------------------------------- listing


def test_listing_follows_the_request(server: Server, creds: Credentials) -> None:
    first, second, third = (create_meeting(server, creds) for _ in range(3))
    requested = [
        third["app_id"],
        first["app_id"],
        "APP-NVA999999920250101000000000",
        third["app_id"],
        second["app_id"],
        first["app_id"],
    ]
    recordings = recordings_of(server, creds, requested)
    assert [r["app_id"] for r in recordings] == [third["app_id"], first["app_id"], second["app_id"]]
    for entry, meeting in zip(recordings, (third, first, second), strict=True):
        assert entry["meeting_id"] == meeting["meeting_id"]
        assert entry["topic"] == meeting["topic"]
        assert entry["recording_files"] == []


def test_listing_echoes_the_transaction_id(server: Server, creds: Credentials) -> None:
    transaction_id = unique_transaction_id(creds.api_id, short=True)
    response = list_recordings(server, creds, [], transaction_id)
    assert response.status_code == 200
    assert response.json() == {
        "transaction_id": transaction_id,
        "status_desc": "Success",
        "recordings": [],
    }


def test_other_apps_meeting_is_like_an_unknown_one(
    server: Server, creds: Credentials, other_creds: Credentials, recorded: Recorded
) -> None:
    theirs = recorded.meeting["app_id"]  # belongs to `creds`, and has files
    transaction_id = unique_transaction_id(other_creds.api_id)
    unknown = list_recordings(
        server, other_creds, ["APP-NVA000000120990101000000000"], transaction_id
    )
    foreign = list_recordings(server, other_creds, [theirs], transaction_id)
    assert foreign.status_code == unknown.status_code == 200
    assert foreign.content == unknown.content
    assert foreign.json()["recordings"] == []
    mine = create_meeting(server, other_creds)
    mixed = recordings_of(server, other_creds, [theirs, mine["app_id"]])
    assert [r["app_id"] for r in mixed] == [mine["app_id"]]
    assert recorded.meeting["meeting_id"] not in str(mixed)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "app_ids"),
        ({"app_ids": "APP-1"}, "app_ids"),
        ({"app_ids": [1, 2]}, "app_ids"),
        ({"app_ids": None}, "app_ids"),
        ({"app_ids": ["APP-x"] * 101}, "app_ids"),
    ],
    ids=["missing", "string", "numbers", "null", "too-many"],
)
def test_bad_recording_request_is_400(
    server: Server, creds: Credentials, body: dict[str, Any], problem: str
) -> None:
    transaction_id = unique_transaction_id(creds.api_id)
    response = server.post(creds, "/recording", {"transaction_id": transaction_id, **body})
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["transaction_id"] == transaction_id
    assert payload["status_desc"].startswith(f"Bad Request: {problem} ")


def test_recording_transaction_id_must_be_the_callers(
    server: Server, creds: Credentials, other_creds: Credentials
) -> None:
    body = {"transaction_id": unique_transaction_id(other_creds.api_id), "app_ids": []}
    response = server.post(creds, "/recording", body)
    assert response.status_code == 400
    assert response.json()["status_desc"].startswith("Bad Request: transaction_id ")


def test_listing_describes_each_file(
    server: Server, creds: Credentials, recorded: Recorded
) -> None:
    (entry,) = recordings_of(server, creds, [recorded.meeting["app_id"]])
    assert entry["meeting_id"] == recorded.meeting["meeting_id"]
    files = sorted(entry["recording_files"], key=lambda f: f["file_type"])
    assert [set(f) for f in files] == [
        {"file_type", "file_extension", "download_url", "file_size", "recording_type"}
    ] * 2
    audio, video = files
    assert (audio["file_type"], audio["file_extension"], audio["recording_type"]) == (
        "M4A",
        "M4A",
        "audio_only",
    )
    assert (video["file_type"], video["file_extension"], video["recording_type"]) == (
        "MP4",
        "MP4",
        "shared_screen_with_speaker_view",
    )
    assert audio["file_size"] == str(len(recorded.audio))
    assert video["file_size"] == str(len(recorded.video))
    for item in files:
        assert item["download_url"].startswith(f"{server.base_url}{DOWNLOAD_PREFIX}")
        assert len(item["download_url"]) > len(server.base_url) + len(DOWNLOAD_PREFIX) + 20


# ---------------------------------------------------------------- downloads


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"),
    [("video", "video/mp4", ".mp4"), ("audio", "audio/mp4", ".m4a")],
)
def test_download_whole_file(
    recorded: Recorded, kind: str, content_type: str, extension: str
) -> None:
    url, data = getattr(recorded, f"{kind}_url"), getattr(recorded, kind)
    response = fetch(url)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"].split(";")[0] == content_type
    assert response.headers["content-length"] == str(len(data))
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert unquote(disposition).endswith(extension)
    assert recorded.meeting["meeting_id"] in disposition


def test_head_gives_headers_without_body(recorded: Recorded) -> None:
    response = fetch(recorded.video_url, "HEAD")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(recorded.video))
    assert response.headers["content-type"].split(";")[0] == "video/mp4"
    assert response.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 10),
        ("bytes=-5", -5, None),
        ("bytes=10-", 10, None),
        ("bytes=2990-5000", 2990, None),
        ("bytes=100-100", 100, 101),
    ],
)
def test_single_range_is_206(recorded: Recorded, header: str, start: int, end: int | None) -> None:
    data = recorded.video
    expected = data[start:end] if start >= 0 else data[start:]
    first = start % len(data)
    response = fetch(recorded.video_url, Range=header)
    assert response.status_code == 206, response.text
    assert response.content == expected
    assert response.headers["content-length"] == str(len(expected))
    assert response.headers["content-range"] == (
        f"bytes {first}-{first + len(expected) - 1}/{len(data)}"
    )


def test_head_with_range_is_206_without_body(recorded: Recorded) -> None:
    response = fetch(recorded.video_url, "HEAD", Range="bytes=0-9")
    assert response.status_code == 206
    assert response.content == b""
    assert response.headers["content-range"] == f"bytes 0-9/{len(recorded.video)}"


def test_multiple_ranges_are_multipart(recorded: Recorded) -> None:
    data = recorded.video
    response = fetch(recorded.video_url, Range="bytes=0-4,100-109")
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    parts = [p for p in response.content.split(b"--" + boundary) if p.strip(b"-\r\n")]
    assert len(parts) == 2
    for part, (start, end) in zip(parts, ((0, 4), (100, 109)), strict=True):
        head, _, payload = part.partition(b"\r\n\r\n")
        assert f"content-range: bytes {start}-{end}/{len(data)}".encode() in head.lower()
        assert payload.removesuffix(b"\r\n") == data[start : end + 1]


def test_ranges_with_one_satisfiable_part_are_served(recorded: Recorded) -> None:
    """RFC 9110 14.2: 206 when at least one of the ranges is satisfiable."""
    data = recorded.video
    response = fetch(recorded.video_url, Range="bytes=0-4,999999999-")
    assert response.status_code == 206, (response.status_code, response.text)
    assert data[:5] in response.content


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=3000-", "bytes=-0"])
def test_unsatisfiable_range_is_416_json(recorded: Recorded, header: str) -> None:
    response = fetch(recorded.video_url, Range=header)
    desc = assert_json_error(response, 416)
    assert "Range" in desc
    assert response.headers["content-range"] == f"bytes */{len(recorded.video)}"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=9-2",
        "pages=0-9",
        "bytes",
        "bytes=0-4,x",
        "bytes=--5",
        b"bytes=\xb2-",  # Latin-1 superscript two: str.isdigit() says yes, int() says no
        b"bytes=0-\xb9",
    ],
    ids=repr,
)
def test_malformed_range_gives_the_whole_file(recorded: Recorded, header: str | bytes) -> None:
    response = fetch(recorded.video_url, Range=header)
    assert response.status_code == 200
    assert response.content == recorded.video
    assert "content-range" not in response.headers


def tampered(url: str, part: int) -> str:
    """The URL with one character changed in the middle of one part of its token."""
    prefix, token = url.rsplit("/", 1)
    parts = token.split(".")
    middle = len(parts[part]) // 2
    parts[part] = (
        parts[part][:middle]
        + ("A" if parts[part][middle] != "A" else "B")
        + (parts[part][middle + 1 :])
    )
    return f"{prefix}/{'.'.join(parts)}"


@pytest.mark.parametrize("part", [0, 1], ids=["payload", "signature"])
def test_tampered_token_is_403_json(recorded: Recorded, part: int) -> None:
    url = tampered(recorded.video_url, part)
    assert url != recorded.video_url
    assert_json_error(fetch(url), 403)
    head = fetch(url, "HEAD")
    assert head.status_code == 403
    assert head.content == b""


def test_token_of_one_file_cannot_be_spliced_onto_another(
    server: Server, recorded: Recorded
) -> None:
    _, signature = recorded.video_url.rsplit("/", 1)[1].split(".")
    other_payload = recorded.audio_url.rsplit("/", 1)[1].split(".")[0]
    spliced = f"{server.base_url}{DOWNLOAD_PREFIX}{other_payload}.{signature}"
    assert_json_error(fetch(spliced), 403)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "x" * 3000, "%00", "%C2%B2"])
def test_garbage_token_is_403_json(server: Server, token: str) -> None:
    assert_json_error(fetch(f"{server.base_url}{DOWNLOAD_PREFIX}{token}"), 403)


def test_meeting_link_token_is_not_a_download_token(server: Server, recorded: Recorded) -> None:
    for key in ("start_url", "join_url"):
        meeting_token = recorded.meeting[key].split("auth_token=", 1)[1].split("&", 1)[0]
        assert_json_error(fetch(f"{server.base_url}{DOWNLOAD_PREFIX}{meeting_token}"), 403)


def test_download_token_is_not_a_meeting_link(server: Server, recorded: Recorded) -> None:
    token = recorded.video_url.rsplit("/", 1)[1]
    for page in ("start", "join"):
        response = fetch(f"{server.base_url}/meetings/{page}?auth_token={token}")
        assert response.status_code == 403
        assert recorded.meeting["topic"] not in response.text


def test_file_missing_on_disk_is_404_json(server: Server, creds: Credentials) -> None:
    meeting = create_meeting(server, creds)
    record = place_file(server, meeting["meeting_id"], COMPOSITE_VIDEO, b"soon gone")
    (server.data_dir / "recordings" / record.path).unlink()
    (url,) = download_urls(server, creds, meeting["app_id"])
    assert_json_error(fetch(url), 404)
    assert fetch(url, "HEAD").status_code == 404


@pytest.mark.parametrize("path", ["../secret.key", "../ngage.db", "/etc/hostname", "."])
def test_file_outside_the_recordings_directory_is_404(
    server: Server, creds: Credentials, path: str
) -> None:
    meeting = create_meeting(server, creds)
    place_file(server, meeting["meeting_id"], COMPOSITE_VIDEO, b"x" * 10, relative_path=path)
    (url,) = download_urls(server, creds, meeting["app_id"])
    assert_json_error(fetch(url), 404)


def test_download_tokens_stay_out_of_the_log(server: Server, recorded: Recorded) -> None:
    """Download links are bearer credentials: no line of the log may hold one.

    Placed after the download tests so that it covers every request they made.
    """
    line = f"GET {DOWNLOAD_PREFIX}<token> 200"
    seen = server.log().count(line)
    fetch(recorded.audio_url)
    log = wait_for_log(server, line, seen)
    for url in (recorded.video_url, recorded.audio_url):
        assert url.rsplit("/", 1)[1] not in log


# ---------------------------------------------------------------- expiry


@pytest.fixture(scope="module")
def short_lived() -> Iterator[tuple[Server, Credentials]]:
    # 2 s: tokens expire on whole seconds, so a 1 s token may have under a second to live.
    with running_server(download_ttl_seconds="2") as process:
        yield process, process.new_app("short-lived-downloads")


def test_expired_download_token_is_403(short_lived: tuple[Server, Credentials]) -> None:
    server, creds = short_lived
    meeting = create_meeting(server, creds)
    data = sample_bytes(64)
    place_file(server, meeting["meeting_id"], AUDIO_ONLY, data)
    (url,) = download_urls(server, creds, meeting["app_id"])
    fresh = fetch(url)
    assert fresh.status_code == 200
    assert fresh.content == data
    deadline = time.monotonic() + 5
    while (response := fetch(url)).status_code == 200:
        assert time.monotonic() < deadline, "the download link never expired"
        time.sleep(0.2)
    assert_json_error(response, 403)
    assert fetch(url, "HEAD").status_code == 403
    # A new listing hands out a new, working link to the same file.
    (renewed,) = download_urls(server, creds, meeting["app_id"])
    assert fetch(renewed).content == data
