"""Every Python example in docs/sdk.md runs as written against a real server."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ngage.recordings.kinds import AUDIO_ONLY
from tests.support import Credentials, Server, place_recording

DOC = Path(__file__).parents[2] / "docs" / "sdk.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


def example_env(server: Server, creds: Credentials) -> dict[str, str]:
    return {
        **server.env,
        "NGAGE_BASE_URL": server.base_url,
        "NGAGE_API_ID": creds.api_id,
        "NGAGE_API_KEY": creds.api_key,
        "NGAGE_API_SECRET": creds.api_secret,
    }


def run_example(code: str, env: dict[str, str], cwd: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_document_has_the_four_examples() -> None:
    assert len(EXAMPLES) == 4


@pytest.mark.parametrize("index", [0, 1, 3])
def test_example_runs(index: int, server: Server, creds: Credentials, tmp_path: Path) -> None:
    output = run_example(EXAMPLES[index], example_env(server, creds), tmp_path)
    assert output.strip()
    assert "Traceback" not in output


def test_download_example_saves_the_file(
    server: Server, creds: Credentials, tmp_path: Path
) -> None:
    from ngage.client import Client

    env = example_env(server, creds)
    with Client(server.base_url, creds.api_id, creds.api_key, creds.api_secret) as client:
        meeting = client.create_meeting(topic="Docs", host_name="A", participant_name="B")
    payload = bytes(range(256)) * 300
    place_recording(server, meeting.meeting_id, AUDIO_ONLY, payload)
    output = run_example(EXAMPLES[2], env, tmp_path, meeting.app_id)
    assert "1 file(s)" in output
    (saved,) = (tmp_path / "downloads").iterdir()
    assert saved.read_bytes() == payload
