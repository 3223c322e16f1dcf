"""`ngage apps ...` and the first-start example, run as real processes."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from ngage.auth.apps import IssuedCredentials
from ngage.cli.example import example_request
from tests.support import Credentials, Server, run_cli, server_env, signed_headers


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return server_env(tmp_path, port=1)  # the CLI commands here never listen


def test_apps_lifecycle(env: dict[str, str]) -> None:
    created = run_cli(env, "apps", "create", "--name", "Acme", "--json")
    assert created.returncode == 0, created.stderr
    creds = json.loads(created.stdout)
    assert creds["api_id"] == "NVA0000001" and len(creds["api_secret"]) >= 40

    listed = json.loads(run_cli(env, "apps", "list", "--json").stdout)
    assert [(a["api_id"], a["name"], a["status"]) for a in listed] == [
        ("NVA0000001", "Acme", "active")
    ]
    table = run_cli(env, "apps", "list").stdout
    assert "NVA0000001" in table and creds["api_secret"] not in table

    rotated = json.loads(run_cli(env, "apps", "rotate-secret", "NVA0000001", "--json").stdout)
    assert set(rotated) == {"api_id", "api_secret"}
    assert rotated["api_secret"] != creds["api_secret"]

    assert run_cli(env, "apps", "disable", "NVA0000001").returncode == 0
    listed = json.loads(run_cli(env, "apps", "list", "--json").stdout)
    assert listed[0]["status"] == "disabled"


def test_unknown_app_is_a_clear_error(env: dict[str, str]) -> None:
    result = run_cli(env, "apps", "disable", "NVA0000099")
    assert result.returncode == 1
    assert "no app NVA0000099" in result.stderr


def test_secrets_are_encrypted_at_rest(env: dict[str, str]) -> None:
    creds = json.loads(run_cli(env, "apps", "create", "--name", "x", "--json").stdout)
    database = f"{env['NGAGE_DATA_DIR']}/ngage.db"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT * FROM apps").fetchall()
    stored = repr(rows)
    assert creds["api_secret"] not in stored and creds["api_key"] not in stored
    key_file = f"{env['NGAGE_DATA_DIR']}/secret.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_printed_example_request_works(server: Server) -> None:
    creds = server.new_app("example")
    issued = IssuedCredentials(creds.api_id, creds.api_key, creds.api_secret)
    script = example_request(issued, server.base_url)
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    answer = json.loads(result.stdout)
    assert answer["status_desc"] == "Success", answer
    assert answer["transaction_id"].startswith(creds.api_id)


def test_signed_headers_helper_matches_the_cli_openssl_recipe(server: Server) -> None:
    creds: Credentials = server.new_app("openssl")
    headers = signed_headers(creds, "1700000000")
    recipe = subprocess.run(
        [
            "bash",
            "-c",
            f"printf '%s' '{creds.api_id}:1700000000' | openssl dgst -sha256 "
            f"-hmac '{creds.api_secret}' -binary | base64",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert recipe.stdout.strip() == headers["Signature"]
