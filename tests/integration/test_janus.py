"""A real private Janus, as ngage configures and supervises it."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from ngage.errors import MediaError
from ngage.media.config import JanusLayout
from ngage.media.janus import JanusClient
from ngage.media.supervisor import JanusSupervisor
from ngage.media.videoroom import VideoRooms
from tests.support import free_port


def layout(tmp_path: Path) -> JanusLayout:
    return JanusLayout(
        config_dir=str(tmp_path / "janus"),
        http_port=free_port(),
        admin_port=free_port(),
        api_secret=secrets.token_urlsafe(16),
        admin_secret=secrets.token_urlsafe(16),
        rtp_port_range="40000-40100",
    )


@pytest.fixture
async def janus(tmp_path: Path) -> AsyncIterator[JanusSupervisor]:
    supervisor = JanusSupervisor(layout(tmp_path))
    await supervisor.start()
    try:
        yield supervisor
    finally:
        await supervisor.stop()


async def test_only_videoroom_and_http_are_loaded(janus: JanusSupervisor) -> None:
    client = JanusClient(janus.layout.http_url, janus.layout.api_secret)
    try:
        info = await client.info()
    finally:
        await client.close()
    assert list(info["plugins"]) == ["janus.plugin.videoroom"]
    assert list(info["transports"]) == ["janus.transport.http"]
    assert info["api_secret"] is True


async def test_requests_without_the_api_secret_are_refused(janus: JanusSupervisor) -> None:
    client = JanusClient(janus.layout.http_url, "wrong-secret")
    try:
        with pytest.raises(MediaError) as refused:
            await client.create_session()
    finally:
        await client.close()
    assert refused.value.code == 403


async def test_listens_on_loopback_only(janus: JanusSupervisor) -> None:
    config = (Path(janus.layout.config_dir) / "janus.transport.http.jcfg").read_text()
    assert 'ip = "127.0.0.1"' in config and 'admin_ip = "127.0.0.1"' in config
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"http://127.0.0.1:{janus.layout.http_port}/janus/info")
    assert answer.status_code == 200


async def test_rooms_are_created_idempotently_listed_and_destroyed(
    janus: JanusSupervisor,
) -> None:
    client = JanusClient(janus.layout.http_url, janus.layout.api_secret)
    rooms = VideoRooms(client, room_secret="room-secret")
    try:
        assert await rooms.ensure_room("91212048739", "Meeting Ngage") == 91212048739
        assert await rooms.ensure_room("91212048739", "Meeting Ngage") == 91212048739
        assert await rooms.exists("91212048739")
        assert await rooms.publishers("91212048739") == []
        await rooms.destroy_room("91212048739")
        await rooms.destroy_room("91212048739")  # already gone: fine
        assert not await rooms.exists("91212048739")
    finally:
        await rooms.close()
        await client.close()


async def test_a_killed_janus_is_restarted_and_rooms_work_again(
    janus: JanusSupervisor,
) -> None:
    client = JanusClient(janus.layout.http_url, janus.layout.api_secret)
    rooms = VideoRooms(client, room_secret="room-secret")
    try:
        await rooms.ensure_room("12345678901", "Before")
        first_pid = janus.pid
        assert first_pid is not None
        os.kill(first_pid, signal.SIGKILL)
        for _ in range(200):  # bounded: up to ~20 s
            if janus.restarts and janus.pid != first_pid:
                break
            await asyncio.sleep(0.1)
        assert janus.restarts == 1 and janus.pid != first_pid
        await janus.wait_ready()
        # The old admin session died with Janus: a new one is opened transparently.
        assert not await rooms.exists("12345678901")
        assert await rooms.ensure_room("12345678901", "After") == 12345678901
    finally:
        await rooms.close()
        await client.close()
