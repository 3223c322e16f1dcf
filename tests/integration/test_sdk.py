"""The SDK (Client and AsyncClient alike) against a real `ngage serve` process.

Faults are injected only at the network boundary: a TCP proxy (tests/proxy.py)
in front of the server, and an httpx transport that records what went over the
wire without changing it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from ngage.client import (
    AsyncClient,
    BadRequest,
    Client,
    DuplicateTransaction,
    Meeting,
    MeetingConfig,
    NgageClientError,
    NotAuthorized,
    Recording,
    RecordingFile,
    ServerError,
    TransportError,
    ViewConfig,
)
from ngage.errors import DuplicateTransaction as ServerDuplicateTransaction
from ngage.recordings.kinds import AUDIO_ONLY, COMPOSITE_VIDEO
from tests.proxy import PROXY_503_DESC, Action, always, first, running_proxy
from tests.support import Credentials, Server, free_port, unique_transaction_id
from tests.support import register_recording as place_file

Flavor = Literal["sync", "async"]
DOWNLOAD_SIZE = 200_000  # several 64 KiB chunks
FAST = 0.01  # backoff for tests that retry


# ---------------------------------------------------------------- wire recorder


@dataclass(frozen=True)
class Seen:
    method: str
    url: str
    range: str | None
    status: int


class RecordingTransport(httpx.HTTPTransport):
    """The real httpx transport, noting each request's Range and the answer's status."""

    def __init__(self, seen: list[Seen]) -> None:
        super().__init__()
        self.seen = seen

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.seen.append(
            Seen(
                request.method, str(request.url), request.headers.get("range"), response.status_code
            )
        )
        return response


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, seen: list[Seen]) -> None:
        super().__init__()
        self.seen = seen

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        self.seen.append(
            Seen(
                request.method, str(request.url), request.headers.get("range"), response.status_code
            )
        )
        return response


# ---------------------------------------------------------------- one face for both clients


class Sdk:
    """The same calls, awaited, on a real Client (blocking) or AsyncClient."""

    def __init__(self, flavor: Flavor, record_wire: bool = False, **options: Any) -> None:
        self.flavor = flavor
        self.seen: list[Seen] = []
        self._sync: Client | None = None
        self._async: AsyncClient | None = None
        if flavor == "sync":
            transport = RecordingTransport(self.seen) if record_wire else None
            self._sync = Client(transport=transport, **options)
        else:
            atransport = AsyncRecordingTransport(self.seen) if record_wire else None
            self._async = AsyncClient(transport=atransport, **options)

    async def create_meeting(self, **kwargs: Any) -> Meeting:
        if self._sync is not None:
            return self._sync.create_meeting(**kwargs)
        assert self._async is not None
        return await self._async.create_meeting(**kwargs)

    async def recordings(self, app_ids: list[str], **kwargs: Any) -> list[Recording]:
        if self._sync is not None:
            return self._sync.recordings(app_ids, **kwargs)
        assert self._async is not None
        return await self._async.recordings(app_ids, **kwargs)

    async def download(self, file: RecordingFile, path: Path, **kwargs: Any) -> Path:
        if self._sync is not None:
            return self._sync.download(file, path, **kwargs)
        assert self._async is not None
        return await self._async.download(file, path, **kwargs)

    async def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
        if self._async is not None:
            await self._async.aclose()


MakeSdk = Callable[..., Sdk]


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> Flavor:
    value: Flavor = request.param
    return value


@pytest.fixture
async def make_sdk(flavor: Flavor, server: Server, creds: Credentials) -> AsyncIterator[MakeSdk]:
    """Builds clients of the flavour under test (pointed at `server` unless told otherwise)."""
    made: list[Sdk] = []

    def build(record_wire: bool = False, **options: Any) -> Sdk:
        defaults: dict[str, Any] = {
            "base_url": server.base_url,
            "api_id": creds.api_id,
            "api_key": creds.api_key,
            "api_secret": creds.api_secret,
            "timeout": 15.0,
            "retries": 0,
            "backoff": FAST,
        }
        sdk = Sdk(flavor, record_wire, **{**defaults, **options})
        made.append(sdk)
        return sdk

    yield build
    for sdk in made:
        await sdk.close()


# ---------------------------------------------------------------- server-side helpers


@dataclass(frozen=True)
class StoredMeeting:
    response: dict[str, Any]
    settings: dict[str, Any]


def stored_meetings(server: Server, api_id: str, transaction_id: str) -> list[StoredMeeting]:
    """The rows of the server's own database for (api_id, transaction_id)."""
    uri = f"file:{server.data_dir / 'ngage.db'}?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        rows = db.execute(
            "SELECT response_json, settings_json FROM meetings"
            " WHERE api_id = ? AND transaction_id = ?",
            (api_id, transaction_id),
        ).fetchall()
    finally:
        db.close()
    return [StoredMeeting(json.loads(answer), json.loads(flags)) for answer, flags in rows]


def sample_bytes(size: int, seed: int = 0) -> bytes:
    """A pattern that does not repeat within 64 KiB: a misplaced range cannot pass."""
    return bytes((i * 7 + i // 256 + seed) % 256 for i in range(size))


def meeting_args(topic: str | None = None) -> dict[str, Any]:
    return {
        "topic": topic or f"SDK {secrets.token_hex(4)}",
        "host_name": "Ana Host",
        "participant_name": "Guest Person",
    }


def raw_create(server: Server, creds: Credentials) -> dict[str, Any]:
    """A meeting made without the SDK (for tests about something else)."""
    with Client(server.base_url, creds.api_id, creds.api_key, creds.api_secret) as client:
        return asdict(client.create_meeting(**meeting_args()))


@dataclass(frozen=True)
class Recorded:
    meeting: dict[str, Any]
    data: bytes
    file: RecordingFile


@pytest.fixture(scope="module")
def recorded(server: Server, creds: Credentials) -> Recorded:
    """A meeting with one 200 kB MP4, and the SDK's view of that file."""
    meeting = raw_create(server, creds)
    data = sample_bytes(DOWNLOAD_SIZE)
    asyncio.run(place_file(server, meeting["meeting_id"], COMPOSITE_VIDEO, data))
    with Client(server.base_url, creds.api_id, creds.api_key, creds.api_secret) as client:
        (recording,) = client.recordings([meeting["app_id"]])
    (file,) = recording.files
    return Recorded(meeting, data, file)


# ---------------------------------------------------------------- create


async def test_create_meeting_returns_the_servers_meeting(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    sdk = make_sdk()
    args = meeting_args()
    meeting = await sdk.create_meeting(
        **args,
        participant=MeetingConfig(screenShare=False),
        view_host=ViewConfig(security_option=False),
    )
    assert isinstance(meeting, Meeting)
    assert meeting.topic == args["topic"]
    stamp = meeting.transaction_id[len(creds.api_id) :]
    assert meeting.transaction_id.startswith(creds.api_id)
    assert len(stamp) == 17 and stamp.isdigit()
    assert meeting.app_id.startswith(f"APP-{creds.api_id}")
    assert len(meeting.meeting_id) == 11 and meeting.meeting_id.isdigit()
    assert meeting.start_url.startswith(f"{server.base_url}/meetings/start?")
    assert meeting.join_url.startswith(f"{server.base_url}/meetings/join?")
    (stored,) = stored_meetings(server, creds.api_id, meeting.transaction_id)
    answer = stored.response
    assert asdict(meeting) == {name: answer[name] for name in asdict(meeting)}
    # Every flag went over the wire: the defaults, and the one flag changed per role.
    assert stored.settings["config_host"] == MeetingConfig().to_wire()
    assert stored.settings["config_participant"] == {
        **MeetingConfig().to_wire(),
        "screenShare": False,
    }
    assert stored.settings["view_host"] == {**ViewConfig().to_wire(), "security_option": False}
    assert stored.settings["view_participant"] == ViewConfig().to_wire()


async def test_credentials_from_the_environment(
    make_sdk: MakeSdk, server: Server, creds: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NGAGE_BASE_URL", server.base_url)
    monkeypatch.setenv("NGAGE_API_ID", creds.api_id)
    monkeypatch.setenv("NGAGE_API_KEY", creds.api_key)
    monkeypatch.setenv("NGAGE_API_SECRET", creds.api_secret)
    sdk = make_sdk(base_url=None, api_id=None, api_key=None, api_secret=None)
    meeting = await sdk.create_meeting(**meeting_args())
    assert len(stored_meetings(server, creds.api_id, meeting.transaction_id)) == 1


async def test_repeated_transaction_id_returns_the_same_meeting(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    sdk = make_sdk()
    tx = unique_transaction_id(creds.api_id)
    args = meeting_args()
    first_meeting = await sdk.create_meeting(**args, transaction_id=tx)
    again = await sdk.create_meeting(**args, transaction_id=tx)
    assert first_meeting.transaction_id == tx
    assert again == first_meeting
    assert len(stored_meetings(server, creds.api_id, tx)) == 1


async def test_reused_transaction_id_with_another_body_is_duplicate(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    sdk = make_sdk()
    tx = unique_transaction_id(creds.api_id)
    await sdk.create_meeting(**meeting_args("First"), transaction_id=tx)
    with pytest.raises(DuplicateTransaction) as caught:
        await sdk.create_meeting(**meeting_args("Second"), transaction_id=tx)
    assert caught.value.status_code == 409
    assert caught.value.status_desc == ServerDuplicateTransaction().describe()
    assert caught.value.transaction_id == tx
    (stored,) = stored_meetings(server, creds.api_id, tx)
    assert stored.response["topic"] == "First"


async def test_bad_request_names_the_problems_and_is_not_retried(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    tx = unique_transaction_id(creds.api_id)
    with running_proxy(server.base_url, always(Action.FORWARD)) as proxy:
        sdk = make_sdk(base_url=proxy.url, retries=3)
        with pytest.raises(BadRequest) as caught:
            await sdk.create_meeting(
                topic="", host_name=" ", participant_name="Guest", transaction_id=tx
            )
    assert caught.value.status_code == 400
    assert "topic must not be empty" in caught.value.status_desc
    assert "host_name must not be empty" in caught.value.status_desc
    assert caught.value.transaction_id == tx
    assert proxy.requests == 1
    assert stored_meetings(server, creds.api_id, tx) == []


async def test_recordings_bad_request(make_sdk: MakeSdk, creds: Credentials) -> None:
    sdk = make_sdk()
    with pytest.raises(BadRequest) as caught:
        await sdk.recordings(["APP-x"], transaction_id="not-mine-20240101000000000")
    assert caught.value.status_code == 400
    assert "transaction_id must start with your api_id" in caught.value.status_desc


async def test_wrong_secret_is_not_authorized_and_is_not_retried(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    with running_proxy(server.base_url, always(Action.FORWARD)) as proxy:
        sdk = make_sdk(base_url=proxy.url, api_secret=creds.api_secret + "x", retries=3)
        with pytest.raises(NotAuthorized) as caught:
            await sdk.create_meeting(**meeting_args())
        with pytest.raises(NotAuthorized):
            await sdk.recordings([])
    assert caught.value.status_code == 401
    assert caught.value.status_desc == "Not Authorized"
    assert proxy.requests == 2


# ---------------------------------------------------------------- recordings


async def test_recordings_are_typed(make_sdk: MakeSdk, server: Server, creds: Credentials) -> None:
    sdk = make_sdk()
    meeting = await sdk.create_meeting(**meeting_args())
    unknown = f"APP-{creds.api_id}20990101000000000"
    (empty,) = await sdk.recordings([unknown, meeting.app_id])
    assert empty == Recording(meeting.app_id, meeting.meeting_id, meeting.topic, [])

    video, audio = sample_bytes(3000), sample_bytes(1234, seed=3)
    await place_file(server, meeting.meeting_id, COMPOSITE_VIDEO, video)
    await place_file(server, meeting.meeting_id, AUDIO_ONLY, audio)
    (recording,) = await sdk.recordings([meeting.app_id])
    assert isinstance(recording, Recording)
    assert (recording.app_id, recording.meeting_id, recording.topic) == (
        meeting.app_id,
        meeting.meeting_id,
        meeting.topic,
    )
    by_type = {f.file_type: f for f in recording.files}
    assert set(by_type) == {"MP4", "M4A"}
    for file, kind, data in (
        (by_type["MP4"], COMPOSITE_VIDEO, video),
        (by_type["M4A"], AUDIO_ONLY, audio),
    ):
        assert isinstance(file, RecordingFile)
        assert file.file_size == len(data)
        assert isinstance(file.file_size, int)
        assert file.file_extension == kind.file_extension
        assert file.recording_type == kind.recording_type
        assert file.download_url.startswith(f"{server.base_url}/rec/webhook_download/")


# ---------------------------------------------------------------- download


async def test_download_whole_file_with_progress(
    make_sdk: MakeSdk, recorded: Recorded, tmp_path: Path
) -> None:
    sdk = make_sdk(record_wire=True)
    calls: list[tuple[int, int]] = []
    target = tmp_path / "whole.mp4"
    saved = await sdk.download(
        recorded.file, target, progress=lambda done, total: calls.append((done, total))
    )
    assert saved == target
    assert target.read_bytes() == recorded.data
    done = [d for d, _ in calls]
    assert len(done) > 1
    assert all(a < b for a, b in zip(done, done[1:], strict=False))
    assert done[-1] == DOWNLOAD_SIZE
    assert {total for _, total in calls} == {DOWNLOAD_SIZE}
    assert [(s.method, s.range, s.status) for s in sdk.seen] == [("GET", None, 200)]


async def test_download_resumes_a_partial_file(
    make_sdk: MakeSdk, recorded: Recorded, tmp_path: Path
) -> None:
    kept = 70_000
    target = tmp_path / "partial.mp4"
    target.write_bytes(recorded.data[:kept])
    sdk = make_sdk(record_wire=True)
    calls: list[int] = []
    await sdk.download(recorded.file, target, progress=lambda done, total: calls.append(done))
    assert target.read_bytes() == recorded.data
    # Only the rest was asked for, and the server answered with the part.
    assert [(s.method, s.range, s.status) for s in sdk.seen] == [("GET", f"bytes={kept}-", 206)]
    # Progress starts at the bytes already kept, then only grows from there.
    assert calls[0] == kept and calls[1] > kept and calls[-1] == len(recorded.data)
    assert calls[-1] == DOWNLOAD_SIZE
    assert all(a < b for a, b in zip(calls, calls[1:], strict=False))


async def test_download_restarts_when_the_partial_file_is_too_long(
    make_sdk: MakeSdk, recorded: Recorded, tmp_path: Path
) -> None:
    target = tmp_path / "long.mp4"
    target.write_bytes(b"\xff" * (DOWNLOAD_SIZE + 50))
    sdk = make_sdk(record_wire=True)
    await sdk.download(recorded.file, target)
    assert target.read_bytes() == recorded.data
    assert [(s.method, s.range, s.status) for s in sdk.seen] == [("GET", None, 200)]


@pytest.mark.parametrize("wrong_by", [10, -10])
async def test_download_with_the_wrong_size_fails(
    make_sdk: MakeSdk, server: Server, creds: Credentials, tmp_path: Path, wrong_by: int
) -> None:
    sdk = make_sdk(retries=1)
    meeting = await sdk.create_meeting(**meeting_args())
    data = sample_bytes(5000)
    await place_file(
        server, meeting.meeting_id, COMPOSITE_VIDEO, data, size_bytes=len(data) + wrong_by
    )
    (recording,) = await sdk.recordings([meeting.app_id])
    (file,) = recording.files
    assert file.file_size == len(data) + wrong_by
    with pytest.raises(TransportError):
        await sdk.download(file, tmp_path / "wrong.mp4")


async def test_download_of_an_empty_file_creates_it(
    make_sdk: MakeSdk, server: Server, tmp_path: Path
) -> None:
    sdk = make_sdk()
    meeting = await sdk.create_meeting(**meeting_args())
    await place_file(server, meeting.meeting_id, AUDIO_ONLY, b"")
    (recording,) = await sdk.recordings([meeting.app_id])
    (file,) = recording.files
    assert file.file_size == 0
    target = tmp_path / "empty.m4a"
    saved = await sdk.download(file, target)
    assert saved == target
    assert target.is_file()
    assert target.read_bytes() == b""


async def test_download_refused_link_is_an_api_error(
    make_sdk: MakeSdk, server: Server, recorded: Recorded, tmp_path: Path
) -> None:
    sdk = make_sdk(retries=2)
    forged = replace(recorded.file, download_url=f"{server.base_url}/rec/webhook_download/garbage")
    target = tmp_path / "forged.mp4"
    with pytest.raises(BadRequest) as caught:
        await sdk.download(forged, target)
    assert caught.value.status_code == 403
    assert caught.value.status_desc.startswith("Forbidden")
    assert not target.exists()


# ---------------------------------------------------------------- transport and retries


async def test_nothing_listening_is_a_transport_error(make_sdk: MakeSdk) -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    sdk = make_sdk(base_url=base_url, retries=1)
    with pytest.raises(TransportError) as caught:
        await sdk.create_meeting(**meeting_args())
    assert base_url in str(caught.value)


async def test_dropped_answer_is_retried_into_one_meeting(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    with running_proxy(server.base_url, first(Action.DROP)) as proxy:
        sdk = make_sdk(base_url=proxy.url, retries=2)
        meeting = await sdk.create_meeting(**meeting_args())
    dropped, retried = proxy.exchanges
    assert (dropped.action, retried.action) == (Action.DROP, Action.FORWARD)
    # The server did create the meeting the first time; the client never heard.
    assert dropped.response_status == 200
    assert dropped.request_json == retried.request_json  # same body, same transaction_id
    assert retried.request_json["transaction_id"] == meeting.transaction_id
    (stored,) = stored_meetings(server, creds.api_id, meeting.transaction_id)
    assert Meeting.from_wire(stored.response) == meeting
    assert dropped.response is not None
    assert Meeting.from_wire(json.loads(dropped.response.partition(b"\r\n\r\n")[2])) == meeting


async def test_503_is_retried(make_sdk: MakeSdk, server: Server, creds: Credentials) -> None:
    with running_proxy(server.base_url, first(Action.FAIL_503)) as proxy:
        sdk = make_sdk(base_url=proxy.url, retries=2)
        meeting = await sdk.create_meeting(**meeting_args())
    assert [e.action for e in proxy.exchanges] == [Action.FAIL_503, Action.FORWARD]
    assert proxy.exchanges[0].request_json == proxy.exchanges[1].request_json
    (stored,) = stored_meetings(server, creds.api_id, meeting.transaction_id)
    assert Meeting.from_wire(stored.response) == meeting


async def test_503_every_time_is_a_server_error(
    make_sdk: MakeSdk, server: Server, creds: Credentials
) -> None:
    tx = unique_transaction_id(creds.api_id)
    with running_proxy(server.base_url, always(Action.FAIL_503)) as proxy:
        sdk = make_sdk(base_url=proxy.url, retries=2)
        with pytest.raises(ServerError) as caught:
            await sdk.create_meeting(**meeting_args(), transaction_id=tx)
    assert proxy.requests == 3  # retries + 1
    assert {e.request_json["transaction_id"] for e in proxy.exchanges} == {tx}
    assert caught.value.status_code == 503
    assert caught.value.status_desc == PROXY_503_DESC
    assert stored_meetings(server, creds.api_id, tx) == []


async def test_answer_that_is_not_json_is_a_typed_error(make_sdk: MakeSdk, server: Server) -> None:
    with running_proxy(server.base_url, always(Action.NOT_JSON_200)) as proxy:
        sdk = make_sdk(base_url=proxy.url)
        with pytest.raises(NgageClientError):
            await sdk.create_meeting(**meeting_args())
    assert proxy.requests == 1


async def test_silent_server_times_out(make_sdk: MakeSdk, server: Server) -> None:
    with running_proxy(server.base_url, always(Action.SILENT)) as proxy:
        sdk = make_sdk(base_url=proxy.url, timeout=0.5, retries=0)
        with pytest.raises(TransportError):
            await sdk.create_meeting(**meeting_args())
        await sdk.close()  # hang up, so the proxy's handler ends at once
    assert proxy.requests == 1
