"""POST /create against a real `ngage serve`: the spec's example, every rule, every bad body."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support import (
    CREATE_REQUEST_FIELDS,
    CREATE_RESPONSE_FIELDS,
    FLAG_NAMES,
    VIEW_NAMES,
    Credentials,
    Server,
    signed_headers,
    spec_example_body,
    transaction_id,
    unique_transaction_id,
)

RESPONSE_FIELDS = CREATE_RESPONSE_FIELDS
ERROR_FIELDS = {"transaction_id", "status_desc"}
MAX_BODY = 64 * 1024
MISSING = object()


# ---------------------------------------------------------------- helpers


def fresh_body(creds: Credentials, short: bool = True) -> dict[str, Any]:
    """The spec's example with a transaction_id no other test uses."""
    body = spec_example_body(creds.api_id)
    body["transaction_id"] = unique_transaction_id(creds.api_id, short=short)
    return body


def post_raw(
    server: Server, creds: Credentials, content: bytes | Iterator[bytes], content_type: str | None
) -> httpx.Response:
    headers = signed_headers(creds)
    if content_type is None:
        del headers["Content-Type"]
    else:
        headers["Content-Type"] = content_type
    with server.client() as client:
        return client.post("/create", content=content, headers=headers)


def set_path(body: dict[str, Any], path: str, value: object) -> None:
    """Set (or with MISSING, delete) a dotted path such as `config_host.screenShare`."""
    *parents, leaf = path.split(".")
    target = body
    for part in parents:
        target = target[part]
    if value is MISSING:
        del target[leaf]
    else:
        target[leaf] = value


def error_of(response: httpx.Response, status: int, echoed: str | None) -> str:
    """Check the spec's error shape and return its status_desc."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    payload = response.json()
    assert set(payload) == ERROR_FIELDS, payload
    assert payload["transaction_id"] == echoed
    assert isinstance(payload["status_desc"], str)
    return str(payload["status_desc"])


def problems_of(response: httpx.Response, echoed: str | None) -> list[str]:
    desc = error_of(response, 400, echoed)
    assert desc.startswith("Bad Request: "), desc
    return desc.removeprefix("Bad Request: ").split("; ")


def names(problems: list[str], path: str) -> bool:
    return any(problem.startswith(f"{path} ") for problem in problems)


def echo_of(body: dict[str, Any]) -> str | None:
    value = body.get("transaction_id")
    return value if isinstance(value, str) else None


def assert_success(response: httpx.Response, server: Server, creds: Credentials) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    payload: dict[str, Any] = response.json()
    assert set(payload) == RESPONSE_FIELDS
    assert payload["status_desc"] == "Success"
    assert all(isinstance(value, str) for value in payload.values())
    assert re.fullmatch(rf"APP-{creds.api_id}\d{{17}}", payload["app_id"]), payload["app_id"]
    datetime.strptime(payload["app_id"][-17:-3], "%Y%m%d%H%M%S")  # a real date and time
    assert re.fullmatch(r"\d{11}", payload["meeting_id"])
    assert re.fullmatch(r"[A-Za-z0-9]{6}", payload["password"])
    assert payload["start_url"].startswith(f"{server.base_url}/meetings/start?")
    assert payload["join_url"].startswith(f"{server.base_url}/meetings/join?")
    return payload


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# ---------------------------------------------------------------- success


def test_spec_example_signed_like_the_pre_request_script(
    server: Server, creds: Credentials
) -> None:
    body = spec_example_body(creds.api_id)
    headers = signed_headers(creds)
    assert "Timestamp" in headers  # spelled as in the spec's header example
    with server.client() as client:
        response = client.post("/create", json=body, headers=headers)
    payload = assert_success(response, server, creds)
    assert payload["transaction_id"] == body["transaction_id"]
    assert payload["topic"] == "Meeting Ngage"
    start, join = query_of(payload["start_url"]), query_of(payload["join_url"])
    assert start["auth_token"][0] and join["auth_token"][0]
    assert start["auth_token"] != join["auth_token"]
    assert start["fullname"] == ["User Host"]
    assert join["fullname"] == ["User Partisipant"]


@pytest.mark.parametrize("short", [True, False], ids=["YYMMDDhhmmssSSS", "YYYYMMDDhhmmssSSS"])
def test_both_transaction_id_formats(server: Server, creds: Credentials, short: bool) -> None:
    body = spec_example_body(creds.api_id)
    body["transaction_id"] = transaction_id(creds.api_id, short=short)
    assert len(body["transaction_id"]) == len(creds.api_id) + (15 if short else 17)
    payload = assert_success(server.post(creds, "/create", body), server, creds)
    assert payload["transaction_id"] == body["transaction_id"]


def test_view_partisipant_spelling_accepted(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    body["view_partisipant"] = body.pop("view_participant")
    assert_success(server.post(creds, "/create", body), server, creds)


def test_both_spellings_with_equal_values_accepted(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    body["view_partisipant"] = dict(body["view_participant"])
    assert_success(server.post(creds, "/create", body), server, creds)


def test_literal_strings_true_false_accepted(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    for group in ("config_host", "view_host", "config_participant", "view_participant"):
        body[group] = {key: "true" if value else "false" for key, value in body[group].items()}
    assert_success(server.post(creds, "/create", body), server, creds)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topic", "x" * 200),
        ("topic", "é" * 200),  # characters, not bytes
        ("host_name", "h" * 100),
        ("participant_name", "p" * 100),
        ("topic", "Rapat Tim 🎉 Ünïcode \x7f"),  # DEL (0x7F) is not a control char of section 2
    ],
    ids=["topic-200", "topic-200-multibyte", "host-100", "participant-100", "unicode"],
)
def test_limits_and_unicode_accepted(
    server: Server, creds: Credentials, field: str, value: str
) -> None:
    body = fresh_body(creds)
    body[field] = value
    payload = assert_success(server.post(creds, "/create", body), server, creds)
    if field == "topic":
        assert payload["topic"] == value


def test_names_round_trip_through_the_links(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    body["host_name"] = "Budi Śantoso & Co/+?#"
    body["participant_name"] = "Siti = 100% 日本"
    payload = assert_success(server.post(creds, "/create", body), server, creds)
    assert query_of(payload["start_url"])["fullname"] == [body["host_name"]]
    assert query_of(payload["join_url"])["fullname"] == [body["participant_name"]]


def test_application_json_with_utf8_charset_accepted(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    content = json.dumps(body).encode()
    response = post_raw(server, creds, content, "application/json; charset=UTF-8")
    assert_success(response, server, creds)


def test_body_of_exactly_64_kib_accepted(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    body["padding"] = ""  # unknown fields are ignored
    overhead = len(json.dumps(body, separators=(",", ":")).encode())
    body["padding"] = "x" * (MAX_BODY - overhead)
    content = json.dumps(body, separators=(",", ":")).encode()
    assert len(content) == MAX_BODY
    assert_success(post_raw(server, creds, content, "application/json"), server, creds)


def test_many_meetings_get_distinct_ids(server: Server, creds: Credentials) -> None:
    bodies = [fresh_body(creds, short=False) for _ in range(30)]

    def create(body: dict[str, Any]) -> httpx.Response:
        return server.post(creds, "/create", body)

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(create, bodies))
    payloads = [assert_success(response, server, creds) for response in responses]
    assert len({p["app_id"] for p in payloads}) == 30
    assert len({p["meeting_id"] for p in payloads}) == 30
    assert len({p["start_url"] for p in payloads}) == 30
    assert [p["transaction_id"] for p in payloads] == [b["transaction_id"] for b in bodies]


# ---------------------------------------------------------------- validation

TOP_LEVEL = list(CREATE_REQUEST_FIELDS)
NESTED = [
    f"{group}.{name}"
    for group, fields in (
        ("config_host", FLAG_NAMES),
        ("view_host", VIEW_NAMES),
        ("config_participant", FLAG_NAMES),
        ("view_participant", VIEW_NAMES),
    )
    for name in fields
]


@pytest.mark.parametrize("path", TOP_LEVEL + NESTED)
def test_each_mandatory_field_missing(server: Server, creds: Credentials, path: str) -> None:
    body = fresh_body(creds)
    set_path(body, path, MISSING)
    problems = problems_of(server.post(creds, "/create", body), echo_of(body))
    assert names(problems, path), problems
    assert any("required" in problem for problem in problems), problems


def test_several_problems_named_at_once(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    del body["topic"]
    body["host_name"] = 7
    body["config_host"]["screenShare"] = "yes"
    del body["view_participant"]["security_option"]
    body["participant_name"] = "a\x00b"
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    for path in (
        "topic",
        "host_name",
        "config_host.screenShare",
        "view_participant.security_option",
        "participant_name",
    ):
        assert names(problems, path), (path, problems)
    assert len(problems) == 5


NOT_BOOLEANS = [1, 0, 1.0, "True", "FALSE", "yes", "1", "", None, [], {}, [True]]


@pytest.mark.parametrize("value", NOT_BOOLEANS, ids=repr)
@pytest.mark.parametrize("path", ["config_host.isSupportChat", "view_participant.security_option"])
def test_non_boolean_flags_rejected(
    server: Server, creds: Credentials, path: str, value: object
) -> None:
    body = fresh_body(creds)
    set_path(body, path, value)
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    assert names(problems, path), problems
    assert len(problems) == 1


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x1f", "\n", "\r", "\t"], ids=repr)
@pytest.mark.parametrize("field", ["topic", "host_name", "participant_name"])
def test_control_characters_rejected(
    server: Server, creds: Credentials, field: str, char: str
) -> None:
    body = fresh_body(creds)
    body[field] = f"Meeting{char}Ngage"
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    assert names(problems, field), problems
    assert "control" in " ".join(problems)


@pytest.mark.parametrize("value", ["", " ", "   \u3000 "], ids=["empty", "space", "spaces"])
@pytest.mark.parametrize("field", ["topic", "host_name", "participant_name"])
def test_empty_or_blank_text_rejected(
    server: Server, creds: Credentials, field: str, value: str
) -> None:
    body = fresh_body(creds)
    body[field] = value
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    assert names(problems, field), problems


@pytest.mark.parametrize(
    ("field", "length"), [("topic", 201), ("host_name", 101), ("participant_name", 101)]
)
def test_too_long_text_rejected(
    server: Server, creds: Credentials, field: str, length: int
) -> None:
    body = fresh_body(creds)
    body[field] = "y" * length
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    assert names(problems, field), problems
    assert str(length - 1) in " ".join(problems)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("topic", 123),
        ("topic", ["Meeting"]),
        ("host_name", True),
        ("participant_name", {"name": "x"}),
        ("config_host", []),
        ("config_host", "true"),
        ("view_host", True),
        ("config_participant", None),
        ("view_participant", 5),
    ],
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_wrong_types_rejected(server: Server, creds: Credentials, path: str, value: object) -> None:
    body = fresh_body(creds)
    body[path] = value
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    assert names(problems, path), problems
    assert len(problems) == 1


@pytest.mark.parametrize(
    "template",
    [
        "NVA9999999{stamp17}",  # another api_id
        "{stamp17}",  # no api_id at all
        "{api_id_lower}{stamp17}",
        " {api_id}{stamp17}",
        "{api_id}",  # no timestamp
        "{api_id}2505130635158",  # 13 digits
        "{api_id}2505130635158589",  # 16 digits
        "{api_id}202505130635158589",  # 18 digits
        "{api_id}20251301120000000",  # month 13 (YYYY)
        "{api_id}251301120000000",  # month 13 (YY)
        "{api_id}20250230120000000",  # 30 February
        "{api_id}20250101240000000",  # hour 24
        "{api_id}20250101126000000",  # minute 60
        "{api_id}2025010112000000x",
        "{api_id}２０２５０１０１１２０００００００",  # non-ASCII digits
        "",
    ],
)
def test_bad_transaction_id_rejected(server: Server, creds: Credentials, template: str) -> None:
    body = fresh_body(creds)
    body["transaction_id"] = template.format(
        api_id=creds.api_id, api_id_lower=creds.api_id.lower(), stamp17="20250513063515858"
    )
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    assert problems and all(p.startswith("transaction_id ") for p in problems), problems


@pytest.mark.parametrize("value", [20250513063515858, None, ["x"]], ids=repr)
def test_transaction_id_not_a_string_rejected(
    server: Server, creds: Credentials, value: object
) -> None:
    body = fresh_body(creds)
    body["transaction_id"] = value
    problems = problems_of(server.post(creds, "/create", body), None)
    assert names(problems, "transaction_id"), problems


def test_both_spellings_with_different_values_rejected(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    body["view_partisipant"] = {**body["view_participant"], "security_option": True}
    problems = problems_of(server.post(creds, "/create", body), body["transaction_id"])
    joined = " ".join(problems)
    assert "view_participant" in joined and "view_partisipant" in joined


# ---------------------------------------------------------------- malformed bodies


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/json; charset=iso-8859-1",
        None,
    ],
)
def test_wrong_content_type_is_415(
    server: Server, creds: Credentials, content_type: str | None
) -> None:
    body = fresh_body(creds)
    response = post_raw(server, creds, json.dumps(body).encode(), content_type)
    error_of(response, 415, body["transaction_id"])


@pytest.mark.parametrize(
    "content",
    [
        b'{"transaction_id": ',
        b"{'transaction_id': 'x'}",
        b"",
        b"{} {}",
        b"NaN",
        b'{"topic": 1e999}',
        b'{"topic": "\\ud800"}',
        b"[" * 2000,
    ],
    ids=[
        "truncated",
        "single-quotes",
        "empty",
        "two-values",
        "nan",
        "infinity",
        "surrogate",
        "too-deep",
    ],
)
def test_malformed_json_is_400(server: Server, creds: Credentials, content: bytes) -> None:
    desc = error_of(post_raw(server, creds, content, "application/json"), 400, None)
    assert desc.startswith("Bad Request: ") and "JSON" in desc, desc


def test_trailing_comma_is_400(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    content = json.dumps(body)[:-1] + ",}"  # the spec's own example ends with "},"
    response = post_raw(server, creds, content.encode(), "application/json")
    desc = error_of(response, 400, None)
    assert "JSON" in desc


@pytest.mark.parametrize(
    "bad",
    [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"caf\xe9"],
    ids=["ff-fe", "overlong", "encoded-surrogate", "latin-1"],
)
def test_invalid_utf8_is_400(server: Server, creds: Credentials, bad: bytes) -> None:
    content = b'{"transaction_id": "' + creds.api_id.encode() + b'", "topic": "' + bad + b'"}'
    desc = error_of(post_raw(server, creds, content, "application/json"), 400, None)
    assert "UTF-8" in desc, desc


@pytest.mark.parametrize(
    "content", [b"[]", b'[{"transaction_id": "x"}]', b'"a string"', b"42", b"null", b"true"]
)
def test_non_object_json_is_400(server: Server, creds: Credentials, content: bytes) -> None:
    desc = error_of(post_raw(server, creds, content, "application/json"), 400, None)
    assert "must be a JSON object" in desc, desc


def test_body_over_64_kib_is_413(server: Server, creds: Credentials) -> None:
    body = fresh_body(creds)
    body["padding"] = "x" * MAX_BODY
    response = post_raw(server, creds, json.dumps(body).encode(), "application/json")
    assert response.status_code == 413
    payload = response.json()
    assert set(payload) == ERROR_FIELDS
    assert payload["status_desc"].startswith("Payload Too Large")


def test_chunked_body_over_64_kib_is_413(server: Server, creds: Credentials) -> None:
    """No Content-Length to trust: the limit holds while the body streams in."""

    def chunks() -> Iterator[bytes]:
        yield b'{"padding": "'
        for _ in range(20):
            yield b"x" * 4096
        yield b'"}'

    response = post_raw(server, creds, chunks(), "application/json")
    assert response.status_code == 413
    assert set(response.json()) == ERROR_FIELDS


# ---------------------------------------------------------------- other paths and methods


@pytest.mark.parametrize(("method", "path"), [("GET", "/nope"), ("POST", "/create/extra")])
def test_unknown_path_is_404_json(
    server: Server, creds: Credentials, method: str, path: str
) -> None:
    with server.client() as client:
        response = client.request(
            method, path, json=fresh_body(creds), headers=signed_headers(creds)
        )
    assert error_of(response, 404, None) == "Not Found"


@pytest.mark.parametrize(("method", "path"), [("GET", "/create"), ("PUT", "/recording")])
def test_wrong_method_is_405_json(server: Server, method: str, path: str) -> None:
    with server.client() as client:
        response = client.request(method, path)
    assert error_of(response, 405, None) == "Method Not Allowed"
    assert "POST" in response.headers["allow"]
