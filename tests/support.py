"""Test helpers shared by the suites: signing, bodies, a server process, PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from ngage.auth.signature import sign
from ngage.recordings.kinds import FileKind
from ngage.store import RecordingFileRecord, open_store

NGAGE = [sys.executable, "-m", "ngage.cli"]
FLAG_NAMES = (
    "disableInvite disableCallOut disableRecord disableJoinAudio audioPanelAlwaysOpen "
    "showPureSharingContent isSupportAV isSupportChat isSupportQA isSupportPolling "
    "isSupportBreakout isSupportCC screenShare"
).split()
VIEW_NAMES = ("participants_list", "security_option", "more_meeting_control")
# The top-level fields of the spec's Create Meeting request (3.2.2), in its order.
CREATE_REQUEST_FIELDS = (
    "transaction_id",
    "host_name",
    "participant_name",
    "topic",
    "config_host",
    "view_host",
    "config_participant",
    "view_participant",
)
# Exactly the fields of the spec's Create Meeting response (3.3.2).
CREATE_RESPONSE_FIELDS = frozenset(
    (
        "transaction_id",
        "status_desc",
        "app_id",
        "meeting_id",
        "topic",
        "start_url",
        "join_url",
        "password",
    )
)


@dataclass(frozen=True)
class Credentials:
    api_id: str
    api_key: str
    api_secret: str


async def register_recording(
    server: Server,
    meeting_id: str,
    kind: FileKind,
    data: bytes,
    *,
    relative_path: str | None = None,
    size_bytes: int | None = None,
) -> RecordingFileRecord:
    """A recording file for a meeting of a running server, placed through the store layer.

    The bytes are written under the server's recordings directory, unless
    `relative_path` is given: then only the row is added (for paths that must not exist).
    """
    relative = relative_path or f"{meeting_id}/{secrets.token_hex(4)}.{kind.file_extension.lower()}"
    if relative_path is None:
        target = server.data_dir / "recordings" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    record = RecordingFileRecord(
        file_id=secrets.token_hex(16),
        meeting_id=meeting_id,
        file_type=kind.file_type,
        file_extension=kind.file_extension,
        recording_type=kind.recording_type,
        path=relative,
        size_bytes=len(data) if size_bytes is None else size_bytes,
        created_at_ms=int(time.time() * 1000),
    )
    store = await open_store(f"sqlite:///{server.data_dir / 'ngage.db'}")
    try:
        await store.add_recording_file(record)
    finally:
        await store.close()
    return record


def place_recording(
    server: Server, meeting_id: str, kind: FileKind, data: bytes, **options: Any
) -> RecordingFileRecord:
    """`register_recording` for synchronous tests."""
    return asyncio.run(register_recording(server, meeting_id, kind, data, **options))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def transaction_id(api_id: str, short: bool = False) -> str:
    """api_id + YYYYMMDDhhmmssSSS (or the spec script's YYMMDDhhmmssSSS)."""
    now = datetime.now(UTC)
    stamp = now.strftime("%y%m%d%H%M%S" if short else "%Y%m%d%H%M%S")
    return f"{api_id}{stamp}{now.microsecond // 1000:03d}"


_YEAR_2000_MS = 946_684_800_000
_NINETY_NINE_YEARS_MS = 99 * 365 * 24 * 3600 * 1000


def unique_transaction_id(api_id: str, short: bool = False) -> str:
    """api_id + a random but real timestamp (2000-2099): unique without waiting a millisecond.

    `transaction_id()` repeats itself within one millisecond, which turns a second
    create into a replay of the first; tests that need distinct meetings use this.
    """
    at_ms = _YEAR_2000_MS + secrets.randbelow(_NINETY_NINE_YEARS_MS)
    moment = datetime.fromtimestamp(at_ms / 1000, tz=UTC)
    stamp = moment.strftime("%y%m%d%H%M%S" if short else "%Y%m%d%H%M%S")
    return f"{api_id}{stamp}{at_ms % 1000:03d}"


def spec_example_body(api_id: str) -> dict[str, Any]:
    """The request body example of section 3.2.2, as one well-formed JSON object."""
    config = {
        "disableInvite": True,
        "disableCallOut": False,
        "disableRecord": True,
        "disableJoinAudio": False,
        "audioPanelAlwaysOpen": True,
        "showPureSharingContent": False,
        "isSupportAV": True,
        "isSupportChat": False,
        "isSupportQA": False,
        "isSupportPolling": False,
        "isSupportBreakout": False,
        "isSupportCC": False,
        "screenShare": False,
    }
    view = {"participants_list": False, "security_option": False, "more_meeting_control": False}
    return {
        "transaction_id": transaction_id(api_id, short=True),
        "host_name": "User Host",
        "participant_name": "User Partisipant",
        "topic": "Meeting Ngage",
        "config_host": dict(config),
        "view_host": dict(view),
        "config_participant": dict(config),
        "view_participant": dict(view),
    }


def signed_headers(creds: Credentials, timestamp: str | None = None) -> dict[str, str]:
    """Headers exactly as the spec's Postman pre-request script builds them."""
    ts = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "api-key": creds.api_key,
        "Timestamp": ts,
        "Signature": sign(creds.api_id, creds.api_secret, ts),
    }


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NGAGE, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@dataclass
class Server:
    base_url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log_path: Path
    apps: dict[str, Credentials] = field(default_factory=dict)

    def new_app(self, name: str = "tests") -> Credentials:
        result = run_cli(self.env, "apps", "create", "--name", name, "--json")
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return Credentials(**json.loads(result.stdout))

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def post(self, creds: Credentials, path: str, body: Any, **headers: str) -> httpx.Response:
        with self.client() as client:
            return client.post(path, json=body, headers={**signed_headers(creds), **headers})

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_for_log(server: Server, text: str, seen: int = 0, timeout: float = 5.0) -> str:
    """The server's log once `text` occurs in it more than `seen` times.

    Access-log lines are written just after the response goes out, so a test that
    reads the log right after a request polls for the line instead of sleeping.
    """
    deadline = time.monotonic() + timeout
    while (log := server.log()).count(text) <= seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never reached the log:\n{log[-2000:]}")
        time.sleep(0.05)
    return log


def server_env(data_dir: Path, port: int, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGAGE_")}
    env.update(
        NGAGE_HOST="127.0.0.1",
        NGAGE_PORT=str(port),
        NGAGE_DATA_DIR=str(data_dir),
        NGAGE_LOG_LEVEL="info",
    )
    env.update({f"NGAGE_{key.upper()}": value for key, value in settings.items()})
    return env


def _wait_until_ready(server: Server, deadline_seconds: float = 30) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"ngage serve exited:\n{server.log()}")
        try:
            httpx.get(f"{server.base_url}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"ngage serve did not start:\n{server.log()}")


@contextmanager
def running_server(data_dir: Path | None = None, **settings: str) -> Iterator[Server]:
    """`ngage serve` as a real process on a free port, with its own data directory.

    `host` and `port` among the settings choose where it listens (and `base_url`).
    A `data_dir` given by the caller is kept afterwards (to start a server on it again).
    """
    owned = data_dir is None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="ngage-test-"))
    port = int(settings.pop("port", 0)) or free_port()
    env = server_env(data_dir, port, **settings)
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*NGAGE, "serve", "--no-first-app"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(f"http://{env['NGAGE_HOST']}:{port}", data_dir, env, process, log_path)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        if owned:
            shutil.rmtree(data_dir, ignore_errors=True)
