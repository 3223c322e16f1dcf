"""Reading a JSON request body within limits, keeping its transaction_id for errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from ngage.errors import MalformedBody, PayloadTooLarge, UnsupportedMediaType


@dataclass(frozen=True)
class JsonBody:
    raw: bytes
    value: Any
    problem: str | None

    def object(self) -> dict[str, Any]:
        """The body as a JSON object, or the reason it is not one."""
        if self.problem:
            raise MalformedBody(self.problem)
        if not isinstance(self.value, dict):
            raise MalformedBody("body must be a JSON object")
        return self.value


async def read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body must be at most {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"body must be at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_json(raw: bytes) -> JsonBody:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return JsonBody(raw, None, f"body is not valid UTF-8 (byte {exc.start})")
    try:
        return JsonBody(raw, orjson.loads(raw), None)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        return JsonBody(raw, None, f"body is not valid JSON ({exc.msg} at {where})")


def transaction_id_of(body: JsonBody) -> str | None:
    if isinstance(body.value, dict):
        value = body.value.get("transaction_id")
        if isinstance(value, str):
            return value[:128]
    return None


def require_json_content_type(request: Request) -> None:
    media_type, *params = request.headers.get("content-type", "").lower().split(";")
    media_type = media_type.strip()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType("Content-Type must be application/json")
    for param in params:
        name, _, value = param.strip().partition("=")
        if name == "charset" and value.strip('"') not in ("utf-8", "utf8"):
            raise UnsupportedMediaType("body must be UTF-8 JSON")


async def read_json(request: Request, limit: int) -> JsonBody:
    """Read and decode the body; remember its transaction_id for any error reply."""
    body = decode_json(await read_limited(request, limit))
    request.state.transaction_id = transaction_id_of(body)
    return body
