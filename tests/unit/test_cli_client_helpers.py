"""The pure parts of the client commands: role config files, file names, errors, tables."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from ngage.cli.client_options import ClientOptions, describe_error
from ngage.cli.downloads import plan_downloads
from ngage.cli.output import print_unwrapped
from ngage.cli.role_configs import ConfigFileError, RoleConfigs, role_configs
from ngage.client import (
    BadRequest,
    DuplicateTransaction,
    MeetingConfig,
    MissingCredentials,
    NotAuthorized,
    Recording,
    RecordingFile,
    ServerError,
    TransportError,
    ViewConfig,
)


def test_empty_config_keeps_the_defaults() -> None:
    assert role_configs({}) == RoleConfigs()


def test_config_sections_merge_over_the_defaults() -> None:
    configs = role_configs(
        {
            "config_participant": {"screenShare": False},
            "view_partisipant": {"security_option": False},
        }
    )
    assert configs.participant == MeetingConfig(screenShare=False)
    assert configs.view_participant == ViewConfig(security_option=False)
    assert configs.host == MeetingConfig() and configs.view_host == ViewConfig()


def test_config_problems_are_named_together() -> None:
    with pytest.raises(ConfigFileError) as caught:
        role_configs({"config_host": {"screenShare": 0, "mute": True}, "extra": {}})
    message = str(caught.value)
    assert "config_host.screenShare must be true or false, not 0" in message
    assert "unknown flag config_host.mute" in message and "unknown key 'extra'" in message


def _file(recording_type: str, extension: str = "M4A") -> RecordingFile:
    return RecordingFile("M4A", extension, "http://x/rec/webhook_download/t", 10, recording_type)


def test_download_names_are_unique_and_stay_in_the_directory(tmp_path: Path) -> None:
    files = [_file("audio_only"), _file("audio_only"), _file("../../etc/passwd", "/SH")]
    plan = plan_downloads([Recording("APP-1", "123", "t", files)], tmp_path)
    names = [item.path.name for item in plan]
    assert names == ["123-audio_only.m4a", "123-audio_only-2.m4a", "123-______etc_passwd._sh"]
    assert all(item.path.parent == tmp_path for item in plan)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (MissingCredentials("missing NGAGE_API_KEY"), 2),
        (NotAuthorized(401, "Not Authorized", None), 3),
        (BadRequest(400, "Bad Request: topic must not be empty", "tx"), 4),
        (DuplicateTransaction(409, "Duplicate transaction_id", "tx"), 4),
        (ServerError(503, "Service Unavailable", None), 5),
        (TransportError("cannot reach http://x"), 5),
        (OSError("disk full"), 1),
    ],
)
def test_each_error_has_its_exit_code(error: Exception, code: int) -> None:
    message, exit_code = describe_error(error)
    assert exit_code == code
    status_desc = getattr(error, "status_desc", None)
    assert status_desc is None or status_desc in message


def test_options_never_show_the_secret() -> None:
    options = ClientOptions("http://x", "NVA0000001", "key", "very-secret")
    assert "very-secret" not in repr(options)


def test_tables_keep_long_urls_whole_and_drop_trailing_padding() -> None:
    url = "http://127.0.0.1/meetings/join?auth_token=" + "x" * 100
    table = Table.grid(padding=(0, 2))
    table.add_row("meeting_id", "123")
    table.add_row("join_url", url)
    out = io.StringIO()
    print_unwrapped(table, Console(file=out, width=40))
    assert out.getvalue().splitlines() == ["meeting_id  123", f"join_url    {url}"]
