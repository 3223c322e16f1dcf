"""A small client for the Janus HTTP API: sessions, plugin handles, messages.

Janus's JSON never leaves this module: callers get plain values or our errors.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from ngage.errors import MediaError, MediaUnavailable

VIDEOROOM = "janus.plugin.videoroom"


def request(kind: str, api_secret: str, **fields: Any) -> dict[str, Any]:
    """A Janus API request with a fresh transaction id."""
    return {"janus": kind, "transaction": secrets.token_hex(8), "apisecret": api_secret, **fields}


def reply_data(reply: dict[str, Any]) -> dict[str, Any]:
    """`data` of a success reply; MediaError for a Janus error."""
    if reply.get("janus") == "error":
        error = reply.get("error") or {}
        raise MediaError(int(error.get("code", 0)), str(error.get("reason", "unknown")))
    if reply.get("janus") != "success":
        raise MediaError(0, f"unexpected reply {reply.get('janus')!r}")
    data: dict[str, Any] = reply.get("data") or {}
    return data


def plugin_data(reply: dict[str, Any]) -> dict[str, Any]:
    """The plugin's answer to a synchronous request; MediaError for a plugin error."""
    if reply.get("janus") == "error":
        reply_data(reply)  # raises the Janus error
    data: dict[str, Any] = (reply.get("plugindata") or {}).get("data") or {}
    if "error_code" in data:
        raise MediaError(int(data["error_code"]), str(data.get("error", "unknown")))
    return data


class JanusClient:
    """Talks to one Janus instance over its HTTP API (127.0.0.1 only)."""

    def __init__(self, http_url: str, api_secret: str, timeout: float = 10.0) -> None:
        self._url = http_url.rstrip("/")
        self._secret = api_secret
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.post(self._url + path, json=body)
            reply: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise MediaUnavailable("the media server is not reachable") from exc
        return reply

    async def info(self) -> dict[str, Any]:
        try:
            response = await self._http.get(f"{self._url}/info")
            info: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise MediaUnavailable("the media server is not reachable") from exc
        return info

    async def create_session(self) -> int:
        data = reply_data(await self._post("", request("create", self._secret)))
        return int(data["id"])

    async def attach(self, session_id: int, plugin: str = VIDEOROOM) -> int:
        body = request("attach", self._secret, plugin=plugin)
        return int(reply_data(await self._post(f"/{session_id}", body))["id"])

    async def keepalive(self, session_id: int) -> None:
        reply = await self._post(f"/{session_id}", request("keepalive", self._secret))
        if reply.get("janus") == "error":
            reply_data(reply)

    async def destroy_session(self, session_id: int) -> None:
        reply = await self._post(f"/{session_id}", request("destroy", self._secret))
        reply_data(reply)

    async def plugin_request(
        self, session_id: int, handle_id: int, body: dict[str, Any]
    ) -> dict[str, Any]:
        """A synchronous plugin request (create, destroy, exists, listparticipants...)."""
        message = request("message", self._secret, body=body)
        return plugin_data(await self._post(f"/{session_id}/{handle_id}", message))
