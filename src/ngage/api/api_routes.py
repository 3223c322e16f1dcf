"""POST /create and POST /recording, as sections 3 and 4 of the spec describe them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from ngage.api.body import read_json, require_json_content_type
from ngage.api.docs import CREATE_DOCS, RECORDING_DOCS
from ngage.api.responses import json_response
from ngage.api.services import Services, services_of
from ngage.auth.verifier import Caller

router = APIRouter()


async def _authenticate(request: Request, services: Services) -> Caller:
    headers = request.headers
    return await services.verifier.verify(
        headers.get("api-key"), headers.get("timestamp"), headers.get("signature")
    )


async def _signed_request(request: Request) -> tuple[Services, Caller, dict[str, Any]]:
    """Read the body, then authenticate (401 first), then check it is a JSON object."""
    services = services_of(request)
    body = await read_json(request, services.settings.max_body_bytes)
    caller = await _authenticate(request, services)
    require_json_content_type(request)
    return services, caller, body.object()


@router.post("/create", **CREATE_DOCS)
async def create_meeting(request: Request) -> Response:
    services, caller, body = await _signed_request(request)
    return json_response(await services.meetings.create(caller.api_id, body))


@router.post("/recording", **RECORDING_DOCS)
async def list_recordings(request: Request) -> Response:
    services, caller, body = await _signed_request(request)
    return json_response(await services.recordings.list_recordings(caller.api_id, body))
