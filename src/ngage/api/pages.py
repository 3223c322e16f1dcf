"""Browser pages: the landing page, the meeting links' lobby and join-by-ID."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import orjson
from fastapi import APIRouter
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ngage.api.services import services_of
from ngage.auth.links import Role
from ngage.errors import BadRequest, MeetingEnded, NgageError, NotFound
from ngage.meetings.fields import NAME_LENGTH, check_text
from ngage.meetings.rights import rights_for

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent.parent / "web" / "templates")
_MAX_FORM_BYTES = 4096

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    return _render(request, template, context, status)


def _render(
    request: Request, template: str, context: dict[str, object], status: int = 200
) -> Response:
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


# The meeting page runs only our own scripts; media and sockets stay same-origin.
MEETING_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


def _message(request: Request, error: NgageError) -> Response:
    heading = "This link cannot be used" if error.http_status == 403 else error.status_desc
    if isinstance(error, MeetingEnded):
        heading = "This meeting has ended"
        message = "The host ended it, or everyone left. Its links no longer open it."
        return _page(request, "message.html", error.http_status, heading=heading, message=message)
    message = error.detail or error.status_desc
    return _page(request, "message.html", error.http_status, heading=heading, message=message)


@router.get("/")
async def index(request: Request) -> Response:
    return _page(request, "index.html")


async def _lobby(request: Request, role: Role) -> Response:
    token = request.query_params.get("auth_token", "")
    services = services_of(request)
    try:
        linked = await services.meetings.open_link(token, role)
        meeting = await services.lifecycle.current(linked.meeting_id)
    except NgageError as error:
        return _message(request, error)
    default = meeting.host_name if role == "host" else meeting.participant_name
    name = (request.query_params.get("fullname") or default)[:NAME_LENGTH]
    context: dict[str, object] = {
        "topic": meeting.topic,
        "role": role,
        "name": name,
        "meeting_id": meeting.meeting_id,
    }
    if services.signaling.media is None:
        return _render(request, "lobby.html", context)
    flags = rights_for(meeting.settings_json, role).flags
    context.update(token=token, flags_json=orjson.dumps(flags).decode())
    response = _render(request, "meeting.html", context)
    response.headers["Content-Security-Policy"] = MEETING_CSP
    return response


@router.get("/meetings/start")
async def start_page(request: Request) -> Response:
    return await _lobby(request, "host")


@router.get("/meetings/join")
async def join_link_page(request: Request) -> Response:
    return await _lobby(request, "participant")


@router.get("/join")
async def join_form(request: Request) -> Response:
    return _page(request, "join.html", meeting_id="", name="", error=None)


async def _read_form(request: Request) -> dict[str, str]:
    raw = await request.body()
    form = parse_qs(raw[:_MAX_FORM_BYTES].decode("utf-8", "replace"))
    return {key: values[0].strip() for key, values in form.items()}


@router.post("/join")
async def join_by_id(request: Request) -> Response:
    form = await _read_form(request)
    meeting_id = form.get("meeting_id", "").replace(" ", "").replace("-", "")
    name = form.get("name", "")
    meetings = services_of(request).meetings
    try:
        check_text(name, NAME_LENGTH)
        meeting = await meetings.admit(meeting_id, form.get("password", ""))
    except ValueError as exc:
        return _join_again(request, meeting_id, name, BadRequest([f"Your name {exc}"]))
    except NotFound as exc:
        return _join_again(request, meeting_id, name, exc)
    url = meetings.meeting_url(meeting.meeting_id, "participant", name)
    return RedirectResponse(url, status_code=303)


def _join_again(request: Request, meeting_id: str, name: str, error: NgageError) -> Response:
    message = error.detail or error.status_desc
    return _page(
        request,
        "join.html",
        error.http_status,
        meeting_id=meeting_id[:32],
        name=name[:100],
        error=message[:1].upper() + message[1:],
    )
