"""A small client for the Janus HTTP API: sessions, plugin handles, messages.

Janus's JSON never leaves this module: callers get plain values or our errors.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from ngage.errors import MediaError, MediaUnavailable

VIDEOROOM = "janus.plugin.videoroom"
SIP = "janus.plugin.sip"


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
        # Every participant holds one long poll open: no small pool limit.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=64)
        self._http = httpx.AsyncClient(timeout=timeout, limits=limits)

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

    async def detach(self, session_id: int, handle_id: int) -> None:
        reply = await self._post(f"/{session_id}/{handle_id}", request("detach", self._secret))
        reply_data(reply)

    async def send(
        self,
        session_id: int,
        handle_id: int,
        transaction: str,
        body: dict[str, Any],
        jsep: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A plugin message under the caller's transaction id; Janus's immediate reply.

        The reply is an `ack` (the answer follows as an event) or the plugin's answer.
        """
        message = {**request("message", self._secret, body=body), "transaction": transaction}
        if jsep is not None:
            message["jsep"] = jsep
        reply = await self._post(f"/{session_id}/{handle_id}", message)
        if reply.get("janus") == "error":
            reply_data(reply)
        return reply

    async def trickle(
        self, session_id: int, handle_id: int, candidate: dict[str, Any] | None
    ) -> None:
        fields: dict[str, Any] = {"candidate": candidate or {"completed": True}}
        reply = await self._post(
            f"/{session_id}/{handle_id}", request("trickle", self._secret, **fields)
        )
        if reply.get("janus") == "error":
            reply_data(reply)

    async def poll(self, session_id: int, wait: float = 30.0) -> list[dict[str, Any]]:
        """Long-poll the session's events (an empty list on Janus's keepalive)."""
        params = {"maxev": "16", "apisecret": self._secret}
        try:
            response = await self._http.get(
                f"{self._url}/{session_id}", params=params, timeout=wait + 5
            )
            events: Any = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise MediaUnavailable("the media server is not reachable") from exc
        events = events if isinstance(events, list) else [events]
        if events and events[0].get("janus") == "error":
            reply_data(events[0])
        return [event for event in events if event.get("janus") != "keepalive"]

    async def plugin_request(
        self, session_id: int, handle_id: int, body: dict[str, Any]
    ) -> dict[str, Any]:
        """A synchronous plugin request (create, destroy, exists, listparticipants...)."""
        message = request("message", self._secret, body=body)
        return plugin_data(await self._post(f"/{session_id}/{handle_id}", message))
