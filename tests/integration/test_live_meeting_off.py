"""A server without live meetings says so, on the page and over the WebSocket."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from ngage.client import Client
from tests.support import running_server

NOTICE = "Live meetings are not enabled on this server"


@pytest.mark.parametrize(
    "settings", [{"media": "false"}, {"workers": "2"}], ids=["media-off", "two-workers"]
)
async def test_links_explain_that_live_meetings_are_off(settings: dict[str, str]) -> None:
    with running_server(**settings) as server:
        creds = server.new_app("off")
        with Client(
            base_url=server.base_url,
            api_id=creds.api_id,
            api_key=creds.api_key,
            api_secret=creds.api_secret,
        ) as client:
            meeting = client.create_meeting(topic="Off", host_name="H", participant_name="P")
        page = httpx.get(meeting.start_url)
        assert page.status_code == 200
        assert NOTICE in page.text
        assert "meeting.js" not in page.text
        token = parse_qs(urlsplit(meeting.start_url).query)["auth_token"][0]
        ws_url = server.base_url.replace("http", "ws") + "/meetings/ws"
        async with connect(ws_url) as socket:
            join = {"v": 1, "type": "join", "token": token, "role": "host", "name": "H"}
            await socket.send(json.dumps(join))
            reply = json.loads(await socket.recv())
            assert (reply["type"], reply["code"]) == ("error", "media-unavailable")
            with pytest.raises(ConnectionClosed) as closed:
                await socket.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
        if settings.get("workers"):
            assert "need NGAGE_WORKERS=1" in server.log()
