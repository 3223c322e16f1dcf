"""GET/HEAD /rec/webhook_download/<token>: recording files behind signed, expiring links."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ngage.api.docs import ErrorResponse
from ngage.api.ranges import RangeVerdict, plan_range
from ngage.api.responses import error_response
from ngage.api.services import services_of
from ngage.errors import NgageError

router = APIRouter()

_TOKEN_PARAMETER = {
    "name": "token",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The signed token from a Recording answer's download_url",
}


class RangeNotSatisfiable(NgageError):
    http_status = 416
    status_desc = "Range Not Satisfiable"


_DOCS: dict[str, Any] = {
    "summary": "Download a recording file",
    "responses": {
        200: {"description": "The file (206 for a byte range)"},
        403: {"model": ErrorResponse, "description": "Link forged, altered or expired"},
        404: {"model": ErrorResponse, "description": "No such file"},
        416: {"model": ErrorResponse, "description": "Range not satisfiable"},
    },
    "openapi_extra": {"parameters": [_TOKEN_PARAMETER]},
}
_PATH = "/rec/webhook_download/{token}"


def _set_range(request: Request, value: str | None) -> None:
    """FileResponse reads Range from the scope: leave it only the parts we serve."""
    headers = [(name, raw) for name, raw in request.scope["headers"] if name != b"range"]
    if value is not None:
        headers.append((b"range", value.encode("latin-1")))
    request.scope["headers"] = headers


@router.head(_PATH, operation_id="download_recording_head", **_DOCS)
@router.get(_PATH, operation_id="download_recording", **_DOCS)
async def download_recording(request: Request) -> Response:
    download = await services_of(request).recordings.resolve(request.path_params["token"])
    size = (await asyncio.to_thread(download.path.stat)).st_size
    plan = plan_range(request.headers.get("range"), size)
    if plan.verdict is RangeVerdict.UNSATISFIABLE:
        return error_response(RangeNotSatisfiable(), None, {"Content-Range": f"bytes */{size}"})
    _set_range(request, plan.header if plan.verdict is RangeVerdict.PARTIAL else None)
    disposition = f"attachment; filename*=UTF-8''{quote(download.filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
    return FileResponse(download.path, media_type=download.content_type, headers=headers)
