"""start_url / join_url lobbies, the join-by-ID page and the API documentation."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.support import (
    CREATE_REQUEST_FIELDS,
    Credentials,
    Server,
    spec_example_body,
    unique_transaction_id,
    wait_for_log,
)

MEETING_SCRIPT = '<script type="module" src="/static/meeting/meeting.js">'
FORBIDDEN_HEADING = "This link cannot be used"
WRONG_ID_OR_PASSWORD = "Meeting ID or password is incorrect"


def create_meeting(server: Server, creds: Credentials, **fields: str) -> dict[str, Any]:
    body = spec_example_body(creds.api_id)
    body["transaction_id"] = unique_transaction_id(creds.api_id)
    body["topic"] = f"Topic {uuid.uuid4().hex[:10]}"
    body.update(fields)
    response = server.post(creds, "/create", body)
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()
    return payload


@pytest.fixture(scope="module")
def meeting(server: Server, creds: Credentials) -> dict[str, Any]:
    return create_meeting(server, creds, host_name="Hana Host", participant_name="Pita Guest")


def get(server: Server, url: str) -> httpx.Response:
    with server.client() as client:
        return client.get(url)


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["auth_token"][0]


def with_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    query["auth_token"] = [token]
    return parts._replace(query=urlencode(query, doseq=True)).geturl()


def flip(token: str, index: int) -> str:
    """Change one character of a token to another of the same alphabet."""
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]


def field(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</', page, re.S)
    assert match, f"no {testid} in page"
    return html.unescape(match.group(1)).strip()


def attribute(page: str, name: str) -> str:
    """A data-* attribute of the meeting page's root element."""
    match = re.search(rf'data-{name}="([^"]*)"', page)
    assert match, f"no data-{name} in page"
    return html.unescape(match.group(1))


def assert_lobby(response: httpx.Response, meeting: dict[str, Any], role: str, name: str) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert attribute(page, "topic") == meeting["topic"]
    assert attribute(page, "role") == role
    assert attribute(page, "name") == name
    assert attribute(page, "meeting-id") == meeting["meeting_id"]
    assert MEETING_SCRIPT in page


def assert_refused(response: httpx.Response, *absent: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert FORBIDDEN_HEADING in response.text
    for text in absent:
        assert text not in response.text


# ---------------------------------------------------------------- lobbies


def test_start_url_opens_the_host_lobby(server: Server, meeting: dict[str, Any]) -> None:
    assert_lobby(get(server, meeting["start_url"]), meeting, "host", "Hana Host")


def test_join_url_opens_the_participant_lobby(server: Server, meeting: dict[str, Any]) -> None:
    assert_lobby(get(server, meeting["join_url"]), meeting, "participant", "Pita Guest")


def test_lobby_without_fullname_uses_the_meeting_names(
    server: Server, meeting: dict[str, Any]
) -> None:
    start = f"{server.base_url}/meetings/start?auth_token={token_of(meeting['start_url'])}"
    join = f"{server.base_url}/meetings/join?auth_token={token_of(meeting['join_url'])}"
    assert_lobby(get(server, start), meeting, "host", "Hana Host")
    assert_lobby(get(server, join), meeting, "participant", "Pita Guest")


def test_join_token_cannot_start_the_meeting(server: Server, meeting: dict[str, Any]) -> None:
    join_token = token_of(meeting["join_url"])
    response = get(server, f"{server.base_url}/meetings/start?auth_token={join_token}")
    assert_refused(response, meeting["topic"], meeting["meeting_id"])


def test_host_token_is_not_a_participant_link(server: Server, meeting: dict[str, Any]) -> None:
    host_token = token_of(meeting["start_url"])
    response = get(server, f"{server.base_url}/meetings/join?auth_token={host_token}")
    assert_refused(response, meeting["topic"], meeting["meeting_id"])


@pytest.mark.parametrize("which", ["start_url", "join_url"])
@pytest.mark.parametrize("where", ["payload", "signature"])
def test_tampered_token_is_refused(
    server: Server, meeting: dict[str, Any], which: str, where: str
) -> None:
    token = token_of(meeting[which])
    payload, signature = token.split(".")
    index = {"payload": 2, "signature": len(payload) + 1 + len(signature) // 2}[where]
    response = get(server, with_token(meeting[which], flip(token, index)))
    assert_refused(response, meeting["topic"], meeting["meeting_id"])


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "x" * 5000])
def test_garbage_token_is_refused(server: Server, token: str) -> None:
    response = get(server, f"{server.base_url}/meetings/join?{urlencode({'auth_token': token})}")
    assert_refused(response)


def test_missing_token_is_refused(server: Server) -> None:
    assert_refused(get(server, f"{server.base_url}/meetings/start"))


def test_token_belongs_to_its_own_meeting(server: Server, creds: Credentials) -> None:
    first = create_meeting(server, creds)
    second = create_meeting(server, creds)
    for role, key in (("host", "start_url"), ("participant", "join_url")):
        # The first meeting's URL carrying the second meeting's token (and its meeting_id).
        url = with_token(first[key], token_of(second[key])) + f"&meeting_id={first['meeting_id']}"
        response = get(server, url)
        assert response.status_code == 200, response.text
        assert attribute(response.text, "topic") == second["topic"]
        assert attribute(response.text, "meeting-id") == second["meeting_id"]
        assert first["topic"] not in response.text
        assert first["meeting_id"] not in response.text
        assert attribute(response.text, "role") == role


def test_page_escapes_html(server: Server, creds: Credentials) -> None:
    evil = "<script>alert('x')</script>"
    meeting = create_meeting(server, creds, topic=f"Topic {evil}", host_name=f"Host {evil}")
    host_page = get(server, meeting["start_url"]).text
    assert attribute(host_page, "topic") == f"Topic {evil}"
    assert attribute(host_page, "name") == f"Host {evil}"
    evil_name = "<img src=x onerror=alert(1)>"
    guest_url = with_token(meeting["join_url"], token_of(meeting["join_url"]))
    guest_page = get(server, guest_url + "&" + urlencode({"fullname": evil_name})).text
    assert attribute(guest_page, "name") == evil_name
    for page in (host_page, guest_page):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_link_tokens_stay_out_of_the_log(server: Server, meeting: dict[str, Any]) -> None:
    line = "GET /meetings/start 200"
    seen = server.log().count(line)
    get(server, meeting["start_url"])
    get(server, meeting["join_url"])
    log = wait_for_log(server, line, seen)
    assert token_of(meeting["start_url"]) not in log
    assert token_of(meeting["join_url"]) not in log


# ---------------------------------------------------------------- join by meeting ID


def post_join(server: Server, **form: str) -> httpx.Response:
    with server.client() as client:
        return client.post("/join", data=form, follow_redirects=False)


def test_join_form_is_shown(server: Server) -> None:
    response = get(server, f"{server.base_url}/join")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for name in ("meeting_id", "password", "name"):
        assert f'name="{name}"' in response.text
    assert 'method="post"' in response.text


@pytest.mark.parametrize(
    "typed_id",
    [lambda m: m, lambda m: f"{m[:3]} {m[3:7]} {m[7:]}", lambda m: f"{m[:3]}-{m[3:]}"],
    ids=["plain", "spaced", "dashed"],
)
def test_join_by_id_redirects_to_the_lobby(
    server: Server, meeting: dict[str, Any], typed_id: Callable[[str], str]
) -> None:
    response = post_join(
        server,
        meeting_id=typed_id(meeting["meeting_id"]),
        password=meeting["password"],
        name="Walk-in Guest",
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(f"{server.base_url}/meetings/join?")
    assert parse_qs(urlsplit(location).query)["auth_token"][0]
    assert_lobby(get(server, location), meeting, "participant", "Walk-in Guest")


def error_message(response: httpx.Response) -> str:
    return field(response.text, "error")


def test_wrong_password_and_unknown_meeting_look_the_same(
    server: Server, meeting: dict[str, Any]
) -> None:
    password = meeting["password"]
    wrong = password[:-1] + ("a" if password[-1] != "a" else "b")
    unknown_id = "0" + meeting["meeting_id"][1:]  # meeting IDs never start with 0
    attempts = [
        post_join(server, meeting_id=meeting["meeting_id"], password=wrong, name="Guest"),
        post_join(
            server,
            meeting_id=meeting["meeting_id"],
            password=password.swapcase() + "x",
            name="Guest",
        ),
        post_join(server, meeting_id=meeting["meeting_id"], password="", name="Guest"),
        post_join(server, meeting_id=unknown_id, password=password, name="Guest"),
        post_join(server, meeting_id="not-a-number", password=password, name="Guest"),
    ]
    for response in attempts:
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("text/html")
        assert error_message(response) == WRONG_ID_OR_PASSWORD
        assert meeting["topic"] not in response.text


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\tname"], ids=repr)
def test_join_by_id_needs_a_proper_name(server: Server, meeting: dict[str, Any], name: str) -> None:
    response = post_join(
        server, meeting_id=meeting["meeting_id"], password=meeting["password"], name=name
    )
    assert response.status_code == 400, response.text
    assert "name" in error_message(response).lower()
    assert "location" not in response.headers


def test_join_form_escapes_what_it_shows_again(server: Server) -> None:
    evil = '"><script>alert(1)</script>'
    response = post_join(server, meeting_id="12345678901", password="nope00", name=evil)
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text


# ---------------------------------------------------------------- API documentation


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    target: Any = document
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    assert isinstance(target, dict)
    return target


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/create", set(CREATE_REQUEST_FIELDS)),
        ("/recording", {"transaction_id", "app_ids"}),
    ],
)
def test_openapi_describes_the_endpoints(server: Server, path: str, fields: set[str]) -> None:
    response = get(server, f"{server.base_url}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operation = document["paths"][path]["post"]
    headers = {p["name"].lower() for p in operation["parameters"] if p["in"] == "header"}
    assert {"api-key", "timestamp", "signature"} <= headers
    assert all(p["required"] for p in operation["parameters"] if p["in"] == "header")
    schema = resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])
    assert fields <= set(schema["properties"])
    assert fields <= set(schema["required"])
    for status in ("200", "400", "401"):
        assert status in operation["responses"]
    error = resolve(
        document, operation["responses"]["401"]["content"]["application/json"]["schema"]
    )
    assert set(error["properties"]) == {"transaction_id", "status_desc"}


def test_openapi_describes_the_meeting_config(server: Server) -> None:
    document = get(server, f"{server.base_url}/openapi.json").json()
    create = resolve(
        document,
        document["paths"]["/create"]["post"]["requestBody"]["content"]["application/json"][
            "schema"
        ],
    )
    config = resolve(document, create["properties"]["config_host"])
    assert {"disableInvite", "isSupportQA", "screenShare"} <= set(config["properties"])
    assert config["properties"]["screenShare"]["type"] == "boolean"


def test_openapi_operation_ids_are_unique(server: Server) -> None:
    """OpenAPI 3: an operationId MUST be unique among all operations; generators rely on it."""
    document = get(server, f"{server.base_url}/openapi.json").json()
    operation_ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert operation_ids
    assert len(operation_ids) == len(set(operation_ids)), operation_ids


def test_docs_page_is_served(server: Server) -> None:
    response = get(server, f"{server.base_url}/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "openapi.json" in response.text
