"""The client commands (`ngage meeting`, `ngage recordings`, `ngage sign`) against a real server.

Each command runs in-process through Typer's CliRunner and, for create, list, sign
and download, also as a real `python -m ngage.cli` process.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from ngage.auth.signature import sign
from ngage.cli.main import app
from ngage.client import MeetingConfig, ViewConfig
from ngage.recordings.kinds import AUDIO_ONLY, COMPOSITE_VIDEO
from tests.support import (
    CREATE_RESPONSE_FIELDS,
    Credentials,
    Server,
    free_port,
    run_cli,
    unique_transaction_id,
    wait_for_log,
)
from tests.support import place_recording as place_file

EXIT_USAGE, EXIT_NOT_AUTHORIZED, EXIT_REFUSED, EXIT_UNREACHABLE = 2, 3, 4, 5
DEFAULT_SETTINGS = {
    "config_host": MeetingConfig().to_wire(),
    "view_host": ViewConfig().to_wire(),
    "config_participant": MeetingConfig().to_wire(),
    "view_participant": ViewConfig().to_wire(),
}
NAMES = ("--host-name", "Ana Host", "--participant-name", "Guest")


# ---------------------------------------------------------------- helpers


def client_env(server: Server, creds: Credentials, **overrides: str) -> dict[str, str]:
    """The environment of a user of the CLI: only the four NGAGE_* client settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGAGE_")}
    env.update(
        NGAGE_BASE_URL=server.base_url,
        NGAGE_API_ID=creds.api_id,
        NGAGE_API_KEY=creds.api_key,
        NGAGE_API_SECRET=creds.api_secret,
    )
    env.update(overrides)
    return env


def invoke(env: dict[str, str], *args: str) -> Result:
    """The command run in-process by Typer's runner (stdout and stderr kept apart)."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("NGAGE_")}
    return CliRunner().invoke(app, list(args), env={**unset, **env})


def create_args(topic: str | None = None) -> list[str]:
    chosen = f"CLI {secrets.token_hex(3)}" if topic is None else topic
    return ["meeting", "create", "--topic", chosen, *NAMES]


def created(result: Result | subprocess.CompletedProcess[str]) -> dict[str, Any]:
    exit_code = result.exit_code if isinstance(result, Result) else result.returncode
    assert exit_code == 0, result.stderr
    meeting: dict[str, Any] = json.loads(result.stdout)
    return meeting


def new_meeting(env: dict[str, str]) -> dict[str, Any]:
    return created(invoke(env, *create_args(), "--json"))


def stored_settings(server: Server, meeting_id: str) -> dict[str, Any]:
    """The role flags the server kept for the meeting (its `settings_json`)."""
    with sqlite3.connect(server.data_dir / "ngage.db") as connection:
        query = "SELECT settings_json FROM meetings WHERE meeting_id = ?"
        (settings_json,) = connection.execute(query, (meeting_id,)).fetchone()
    settings: dict[str, Any] = json.loads(settings_json)
    return settings


def sample_bytes(size: int, seed: int = 0) -> bytes:
    """A pattern that does not repeat within 64 KiB, so a misplaced range shows."""
    return bytes((i * 7 + i // 256 + seed) % 256 for i in range(size))


def header_lines(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines())


@pytest.fixture(scope="module")
def env(server: Server, creds: Credentials) -> dict[str, str]:
    return client_env(server, creds)


@pytest.fixture(scope="module")
def recorded(server: Server, env: dict[str, str]) -> dict[str, Any]:
    """A meeting with a video and two audio files (a repeated recording_type)."""
    meeting = new_meeting(env)
    files = {"video": sample_bytes(150_000), "audio": sample_bytes(3000, 1)}
    files["audio2"] = sample_bytes(1234, 2)
    place_file(server, meeting["meeting_id"], COMPOSITE_VIDEO, files["video"])
    place_file(server, meeting["meeting_id"], AUDIO_ONLY, files["audio"])
    place_file(server, meeting["meeting_id"], AUDIO_ONLY, files["audio2"])
    return {**meeting, "files": files}


# ---------------------------------------------------------------- meeting create


def test_create_prints_a_table_with_the_links(server: Server, env: dict[str, str]) -> None:
    result = invoke(env, *create_args("Weekly [sync]"))
    assert result.exit_code == 0, result.stderr
    rows = dict(line.split(None, 1) for line in result.stdout.splitlines() if line.strip())
    assert rows["topic"] == "Weekly [sync]"
    assert rows["meeting_id"].isdigit() and rows["app_id"].startswith("APP-")
    assert rows["start_url"].startswith(f"{server.base_url}/meetings/start?auth_token=")
    assert rows["join_url"].startswith(f"{server.base_url}/meetings/join?auth_token=")
    assert httpx.get(rows["join_url"]).status_code == 200  # the link is whole
    assert stored_settings(server, rows["meeting_id"]) == DEFAULT_SETTINGS


def test_create_json_as_a_process(server: Server, env: dict[str, str]) -> None:
    meeting = created(run_cli(env, *create_args("Process"), "--json"))
    assert set(meeting) == CREATE_RESPONSE_FIELDS - {"status_desc"}
    assert meeting["topic"] == "Process" and len(meeting["password"]) == 6
    assert stored_settings(server, meeting["meeting_id"]) == DEFAULT_SETTINGS


def test_create_with_a_json_config(server: Server, env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "meeting.json"
    flags = {"config_host": {"isSupportChat": False}, "view_host": {"participants_list": False}}
    config.write_text(json.dumps(flags))
    meeting = created(invoke(env, *create_args(), "--config", str(config), "--json"))
    settings = stored_settings(server, meeting["meeting_id"])
    assert settings["config_host"] == {**MeetingConfig().to_wire(), "isSupportChat": False}
    assert settings["view_host"] == {**ViewConfig().to_wire(), "participants_list": False}
    assert settings["config_participant"] == DEFAULT_SETTINGS["config_participant"]
    assert settings["view_participant"] == DEFAULT_SETTINGS["view_participant"]


def test_create_with_a_toml_config_as_a_process(
    server: Server, env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "meeting.toml"
    config.write_text(
        "[config_host]\ndisableRecord = true\n\n"
        "[config_participant]\nscreenShare = false\nisSupportQA = false\n\n"
        "[view_partisipant]\nsecurity_option = false\n"
    )
    meeting = created(run_cli(env, *create_args(), "--config", str(config), "--json"))
    settings = stored_settings(server, meeting["meeting_id"])
    defaults = MeetingConfig().to_wire()
    assert settings["config_host"] == {**defaults, "disableRecord": True}
    assert settings["config_participant"] == {
        **defaults,
        "screenShare": False,
        "isSupportQA": False,
    }
    assert settings["view_participant"] == {**ViewConfig().to_wire(), "security_option": False}
    assert settings["view_host"] == DEFAULT_SETTINGS["view_host"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.json", '{"config_guest": {}}', "unknown key 'config_guest'"),
        (
            "a.json",
            '{"config_host": {"screenshare": false}}',
            "unknown flag config_host.screenshare",
        ),
        (
            "a.json",
            '{"config_host": {"screenShare": "no"}}',
            "config_host.screenShare must be true",
        ),
        ("a.toml", "[view_host]\nsecurity_option = 1\n", "view_host.security_option must be true"),
        ("a.json", '{"view_host": true}', "view_host must be an object"),
        ("a.json", '{"view_participant": {}, "view_partisipant": {}}', "keep one"),
        ("a.json", "[]", "must hold one object"),
        ("a.json", "{not json", "Expecting property name"),
        ("a.yaml", "config_host: {}", "must end in .json or .toml"),
    ],
)
def test_bad_config_file_is_a_usage_error(
    env: dict[str, str], tmp_path: Path, name: str, text: str, message: str
) -> None:
    config = tmp_path / name
    config.write_text(text)
    result = invoke(env, *create_args(), "--config", str(config))
    assert result.exit_code == EXIT_USAGE
    assert message in result.stderr and str(config) in result.stderr
    assert result.stdout == ""


def test_a_given_transaction_id_makes_create_repeatable(
    env: dict[str, str], creds: Credentials
) -> None:
    tx = unique_transaction_id(creds.api_id)
    args = [*create_args("Repeatable"), "--transaction-id", tx, "--json"]
    first, again = created(invoke(env, *args)), created(invoke(env, *args))
    assert first == again and first["transaction_id"] == tx

    changed = invoke(env, *create_args("Another topic"), "--transaction-id", tx)
    assert changed.exit_code == EXIT_REFUSED
    assert changed.stderr.startswith("error: refused: ")


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "args",
    [
        create_args(),
        ["recordings", "list", "APP-X"],
        ["recordings", "download", "APP-X", "--out", "."],
    ],
)
def test_missing_credentials_are_named(server: Server, creds: Credentials, args: list[str]) -> None:
    env = client_env(server, creds)
    del env["NGAGE_API_KEY"], env["NGAGE_API_SECRET"]
    result = invoke(env, *args)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.startswith("error: missing NGAGE_API_KEY, NGAGE_API_SECRET")


def test_missing_credentials_as_a_process(server: Server, creds: Credentials) -> None:
    env = client_env(server, creds)
    del env["NGAGE_API_KEY"]
    result = run_cli(env, *create_args())
    assert result.returncode == EXIT_USAGE
    assert "missing NGAGE_API_KEY" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [create_args(), ["recordings", "list", "APP-X"]])
def test_wrong_secret_is_not_authorized(
    server: Server, creds: Credentials, args: list[str]
) -> None:
    wrong = secrets.token_urlsafe(32)
    result = invoke(client_env(server, creds, NGAGE_API_SECRET=wrong), *args)
    assert result.exit_code == EXIT_NOT_AUTHORIZED
    assert result.stderr.startswith("error: not authorized: ")
    assert wrong not in result.stderr + result.stdout


def test_bad_input_shows_the_servers_status_desc(env: dict[str, str]) -> None:
    result = invoke(env, *create_args(""))
    assert result.exit_code == EXIT_REFUSED
    assert result.stderr.strip() == "error: refused: Bad Request: topic must not be empty"


@pytest.mark.parametrize(
    "args",
    [
        create_args(),
        ["recordings", "list", "APP-X"],
        ["recordings", "download", "APP-X", "--out", "x"],
    ],
)
def test_unreachable_server(server: Server, creds: Credentials, args: list[str]) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    result = invoke(client_env(server, creds), *args, "--base-url", closed, "--retries", "0")
    assert result.exit_code == EXIT_UNREACHABLE
    assert result.stderr.startswith(f"error: cannot reach {closed}")


@pytest.mark.parametrize("url", ["localhost:8000", "http://", "http://[::1", "http://h:99999"])
def test_a_base_url_that_is_not_one_is_a_usage_error(env: dict[str, str], url: str) -> None:
    result = invoke(env, "recordings", "list", "APP-X", "--base-url", url)
    assert result.exit_code == EXIT_USAGE
    assert "Invalid value for '--base-url'" in result.stderr


def test_unreachable_server_as_a_process(server: Server, creds: Credentials) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    env = client_env(server, creds, NGAGE_BASE_URL=closed)
    result = run_cli(env, *create_args(), "--retries", "0", "--timeout", "5")
    assert result.returncode == EXIT_UNREACHABLE
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command", [["meeting", "create"], ["recordings", "list"], ["recordings", "download"], ["sign"]]
)
def test_help_never_shows_the_secret(env: dict[str, str], command: list[str]) -> None:
    result = invoke(env, *command, "--help")
    assert result.exit_code == 0 and "NGAGE_API_SECRET" in result.stdout
    assert env["NGAGE_API_SECRET"] not in result.stdout


# ---------------------------------------------------------------- recordings list


def test_list_a_meeting_without_files(env: dict[str, str]) -> None:
    meeting = new_meeting(env)
    result = invoke(env, "recordings", "list", meeting["app_id"], "APP-NOSUCHMEETING")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{meeting['app_id']} (meeting {meeting['meeting_id']}): no recording files yet",
        "APP-NOSUCHMEETING: no such meeting",
    ]
    listed = json.loads(invoke(env, "recordings", "list", meeting["app_id"], "--json").stdout)
    expected = {k: meeting[k] for k in ("app_id", "meeting_id", "topic")}
    assert listed == [expected | {"files": [], "status": "none"}]


def test_list_a_meeting_with_files(env: dict[str, str], recorded: dict[str, Any]) -> None:
    result = invoke(env, "recordings", "list", recorded["app_id"])
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if recorded["app_id"] in line]
    meeting_id = recorded["meeting_id"]
    assert sorted(row[1:6] for row in rows) == [
        [meeting_id, "M4A", "audio_only", "1.2", "kB"],
        [meeting_id, "M4A", "audio_only", "3.0", "kB"],
        [meeting_id, "MP4", "shared_screen_with_speaker_view", "150.0", "kB"],
    ]
    urls = [row[-1] for row in rows]
    assert all(httpx.get(url).status_code == 200 for url in urls)  # whole, working links


def test_list_json_as_a_process(env: dict[str, str], recorded: dict[str, Any]) -> None:
    result = run_cli(env, "recordings", "list", recorded["app_id"], "--json")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["meeting_id"] == recorded["meeting_id"]
    sizes = sorted(f["file_size"] for f in entry["files"])
    assert sizes == sorted(len(data) for data in recorded["files"].values())
    for file in entry["files"]:
        assert set(file) == {
            "file_type",
            "file_extension",
            "download_url",
            "file_size",
            "recording_type",
        }


# ---------------------------------------------------------------- recordings download


def expected_files(recorded: dict[str, Any]) -> dict[str, bytes]:
    prefix, files = recorded["meeting_id"], recorded["files"]
    return {
        f"{prefix}-shared_screen_with_speaker_view.mp4": files["video"],
        f"{prefix}-audio_only.m4a": files["audio"],
        f"{prefix}-audio_only-2.m4a": files["audio2"],
    }


def assert_saved(out: Path, recorded: dict[str, Any]) -> None:
    """Byte-identical files under unique names (the two audio files in either order)."""
    expected = expected_files(recorded)
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    audio = {(out / name).read_bytes() for name in expected if "audio_only" in name}
    assert audio == {recorded["files"]["audio"], recorded["files"]["audio2"]}
    video = next(name for name in expected if "speaker_view" in name)
    assert (out / video).read_bytes() == recorded["files"]["video"]


def test_download_saves_byte_identical_files(
    env: dict[str, str], recorded: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "new" / "dir"
    result = invoke(env, "recordings", "download", recorded["app_id"], "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert_saved(out, recorded)
    for name in expected_files(recorded):
        assert f"saved {out / name} (" in result.stdout
        assert name in result.stderr  # its progress bar


def test_download_resumes_a_partial_file_as_a_process(
    server: Server, env: dict[str, str], recorded: dict[str, Any], tmp_path: Path
) -> None:
    video_name = f"{recorded['meeting_id']}-shared_screen_with_speaker_view.mp4"
    (tmp_path / video_name).write_bytes(recorded["files"]["video"][:70_000])
    ranged = " 206 "
    seen = server.log().count(ranged)
    result = run_cli(env, "recordings", "download", recorded["app_id"], "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert_saved(tmp_path, recorded)
    assert "saved" in result.stdout and video_name in result.stdout
    assert "GET /rec/webhook_download/<token> 206" in wait_for_log(server, ranged, seen)


def test_download_with_nothing_to_download(env: dict[str, str], tmp_path: Path) -> None:
    meeting = new_meeting(env)
    result = invoke(env, "recordings", "download", meeting["app_id"], "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("nothing to download")
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------- sign


def test_sign_prints_verifiable_headers(env: dict[str, str], creds: Credentials) -> None:
    result = invoke(env, "sign", "--timestamp", "1700000000")
    assert result.exit_code == 0, result.stderr
    lines = header_lines(result.stdout)
    assert list(lines) == ["api-key", "timestamp", "Signature", "transaction_id"]
    assert lines["api-key"] == creds.api_key and lines["timestamp"] == "1700000000"
    assert lines["Signature"] == sign(creds.api_id, creds.api_secret, "1700000000")
    assert re.fullmatch(re.escape(creds.api_id) + r"\d{17}", lines["transaction_id"])
    assert creds.api_secret not in result.stdout


def test_signed_headers_are_accepted_as_a_process(
    server: Server, env: dict[str, str], creds: Credentials
) -> None:
    result = run_cli(env, "sign")
    assert result.returncode == 0, result.stderr
    lines = header_lines(result.stdout)
    assert abs(int(lines["timestamp"]) - time.time()) < 60
    assert lines["Signature"] == sign(creds.api_id, creds.api_secret, lines["timestamp"])
    headers = {name: lines[name] for name in ("api-key", "timestamp", "Signature")}
    body = {"transaction_id": lines["transaction_id"], "app_ids": []}
    response = httpx.post(f"{server.base_url}/recording", json=body, headers=headers)
    assert response.status_code == 200, response.text


def test_sign_needs_no_base_url(server: Server, creds: Credentials) -> None:
    env = client_env(server, creds)
    del env["NGAGE_BASE_URL"]
    assert invoke(env, "sign").exit_code == 0
    curl = invoke(env, "sign", "--curl")
    assert curl.exit_code == EXIT_USAGE
    assert curl.stderr.startswith("error: missing NGAGE_BASE_URL")


def test_sign_rejects_a_timestamp_that_is_not_one(env: dict[str, str]) -> None:
    result = invoke(env, "sign", "--timestamp", "yesterday")
    assert result.exit_code == EXIT_USAGE
    assert "--timestamp must be a Unix timestamp" in result.stderr


def test_curl_command_works_in_bash(env: dict[str, str], creds: Credentials) -> None:
    result = run_cli(env, "sign", "--curl")
    assert result.returncode == 0, result.stderr
    assert creds.api_secret not in result.stdout
    ran = subprocess.run(
        ["bash", "-c", result.stdout], capture_output=True, text=True, timeout=30, check=False
    )
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert answer["status_desc"] == "Success" and answer["recordings"] == []
    assert answer["transaction_id"].startswith(creds.api_id)
