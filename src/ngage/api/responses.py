"""JSON responses in the spec's shape."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from ngage.errors import NgageError


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(content), status_code, headers=headers, media_type="application/json"
    )


def error_body(transaction_id: str | None, status_desc: str) -> dict[str, str | None]:
    return {"transaction_id": transaction_id, "status_desc": status_desc}


def error_response(
    error: NgageError, transaction_id: str | None, headers: dict[str, str] | None = None
) -> Response:
    body = error_body(transaction_id, error.describe())
    return json_response(body, error.http_status, headers)
