"""OpenAPI description of the two endpoints: headers, bodies and error shapes.

The handlers read their bodies themselves (to report every problem in the
spec's error shape), so the request schemas are added to the document here.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from ngage.meetings.requests import CreateMeetingRequest, RecordingRequest


class ErrorResponse(BaseModel):
    transaction_id: str | None = Field(description="The request's, when it could be read")
    status_desc: str = Field(examples=["Not Authorized", "Bad Request: topic is required"])


class CreateMeetingResponse(BaseModel):
    transaction_id: str
    status_desc: str = Field(examples=["Success"])
    app_id: str = Field(examples=["APP-NVA000001220220513063516089"])
    meeting_id: str = Field(examples=["91212048739"])
    topic: str
    start_url: str
    join_url: str
    password: str = Field(examples=["4u4UEK"])


class RecordingFile(BaseModel):
    file_type: str = Field(examples=["MP4", "M4A"])
    file_extension: str = Field(examples=["MP4", "M4A"])
    download_url: str
    file_size: str = Field(description="Size in bytes, as a decimal string")
    recording_type: str = Field(examples=["shared_screen_with_speaker_view", "audio_only"])


class RecordingEntry(BaseModel):
    app_id: str
    meeting_id: str
    topic: str
    recording_files: list[RecordingFile]


class RecordingResponse(BaseModel):
    transaction_id: str
    status_desc: str
    recordings: list[RecordingEntry]


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


AUTH_HEADERS = [
    _header("api-key", "Your API key"),
    _header("timestamp", "Unix timestamp in seconds; must be within the server's window"),
    _header("Signature", 'base64(HMAC-SHA256(api_secret, api_id + ":" + timestamp))'),
]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body breaks the spec: every problem listed"},
    401: {"model": ErrorResponse, "description": "Not Authorized"},
    413: {"model": ErrorResponse, "description": "Body over 64 KiB"},
    415: {"model": ErrorResponse, "description": "Content-Type is not application/json"},
    503: {"model": ErrorResponse, "description": "The store is unavailable"},
}


def _operation(summary: str, request_model: str, response: type[BaseModel]) -> dict[str, Any]:
    return {
        "summary": summary,
        "responses": {200: {"model": response, "description": "Success"}, **_ERRORS},
        "openapi_extra": {
            "parameters": AUTH_HEADERS,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{request_model}"}
                    }
                },
            },
        },
    }


CREATE_DOCS = _operation("Create Meeting", "CreateMeetingRequest", CreateMeetingResponse)
CREATE_DOCS["responses"][409] = {
    "model": ErrorResponse,
    "description": "transaction_id already used with a different body",
}
RECORDING_DOCS = _operation("Recording", "RecordingRequest", RecordingResponse)


def _request_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (CreateMeetingRequest, RecordingRequest):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def install_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            document.setdefault("components", {}).setdefault("schemas", {}).update(
                _request_schemas()
            )
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


def install_swagger_ui(app: FastAPI) -> None:
    """Interactive docs at /docs, with Swagger UI served locally (no CDN needed)."""
    # fastapi-offline ships a current Swagger UI (OpenAPI 3.1); only its files are used.
    assets = str(files("fastapi_offline") / "static")
    app.mount("/static/swagger", StaticFiles(directory=assets), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} - docs",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon.png",
        )
