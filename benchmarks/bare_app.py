"""The bare side of the benchmark: POST /create minus the database.

Same framework and server as ngage (FastAPI on uvicorn, run with the same
worker count) and the same per-request work up to the store: read and parse
the JSON body, check the signature headers with ngage's own HMAC code,
validate with ngage's own pydantic models, reply with orjson in the shape and
size of a real Create Meeting answer. What ngage costs beyond this is its
store, its identifiers and link tokens, and its plumbing.

Run by create_load.py as
    uvicorn benchmarks.bare_app:create_app --factory --workers 2
with the one app's credentials in BENCH_API_ID / BENCH_API_KEY / BENCH_API_SECRET.
"""

from __future__ import annotations

import itertools
import os
import time
from typing import Any

import orjson
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from ngage.auth.signature import sign, signature_matches, timestamp_is_fresh
from ngage.errors import NgageError
from ngage.meetings.requests import CreateMeetingRequest, parse

WINDOW_SECONDS = 300
# As long as the itsdangerous tokens ngage puts in its links.
TOKEN = "eyJtIjoiMTQ0Mjk5MTY5MzIiLCJyIjoiaG9zdCJ9.axLt2A.TUM7-PxuWuqJiSahxPbnLYEfn7g"


def _json(content: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(content), status_code, media_type="application/json")


def _authorised(request: Request, api_id: str, api_key: str, api_secret: str) -> bool:
    headers = request.headers
    timestamp = headers.get("timestamp", "")
    return (
        headers.get("api-key") == api_key
        and timestamp_is_fresh(timestamp, WINDOW_SECONDS, time.time())
        and signature_matches(sign(api_id, api_secret, timestamp), headers.get("signature", ""))
    )


def _reply(meeting: CreateMeetingRequest, api_id: str, number: int) -> dict[str, str]:
    meeting_id = str(10**10 + number)
    base = "http://127.0.0.1:8080/meetings"
    return {
        "transaction_id": meeting.transaction_id,
        "status_desc": "Success",
        "app_id": f"APP-{api_id}{time.strftime('%Y%m%d%H%M%S')}000",
        "meeting_id": meeting_id,
        "topic": meeting.topic,
        "start_url": f"{base}/start?auth_token={TOKEN}&fullname=User%20Host",
        "join_url": f"{base}/join?auth_token={TOKEN}&fullname=User%20Partisipant",
        "password": "4u4UEK",
    }


def create_app() -> FastAPI:
    api_id = os.environ["BENCH_API_ID"]
    api_key = os.environ["BENCH_API_KEY"]
    api_secret = os.environ["BENCH_API_SECRET"]
    numbers = itertools.count()
    app = FastAPI(title="bare create endpoint")

    @app.post("/create")
    async def create(request: Request) -> Response:
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _json({"transaction_id": None, "status_desc": "Bad Request: JSON"}, 400)
        transaction_id = body.get("transaction_id") if isinstance(body, dict) else None
        if not _authorised(request, api_id, api_key, api_secret):
            return _json({"transaction_id": transaction_id, "status_desc": "Not Authorized"}, 401)
        try:
            meeting = parse(CreateMeetingRequest, body, api_id)
        except NgageError as error:
            return _json({"transaction_id": transaction_id, "status_desc": error.describe()}, 400)
        return _json(_reply(meeting, api_id, next(numbers)))

    return app
