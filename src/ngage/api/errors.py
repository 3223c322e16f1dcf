"""The one place HTTP maps errors: every failure becomes `{transaction_id, status_desc}`."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ngage.api.access_log import redact_path
from ngage.api.responses import error_body, error_response, json_response
from ngage.errors import BadRequest, NgageError

log = logging.getLogger("ngage.api")

_HTTP_DESCRIPTIONS = {404: "Not Found", 405: "Method Not Allowed"}


def request_transaction_id(request: Request) -> str | None:
    value = getattr(request.state, "transaction_id", None)
    return value if isinstance(value, str) else None


async def _ngage_error(request: Request, exc: Exception) -> Response:
    error = exc if isinstance(exc, NgageError) else NgageError()
    if error.http_status >= 500:
        log.error("%s on %s %s", error.describe(), request.method, redact_path(request.url.path))
    return error_response(error, request_transaction_id(request))


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else None
    desc = _HTTP_DESCRIPTIONS.get(status, "Error")
    return json_response(error_body(None, desc), status, headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    return error_response(BadRequest(["request is malformed"]), request_transaction_id(request))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Logged with its type only: request data may hold secrets.
    log.error(
        "unexpected %s on %s %s", type(exc).__name__, request.method, redact_path(request.url.path)
    )
    return error_response(NgageError(), request_transaction_id(request))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NgageError, _ngage_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
