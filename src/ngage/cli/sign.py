"""`ngage sign`: the authentication headers of one request, for curl and other tools."""

from __future__ import annotations

import json
import shlex
from typing import Annotated

import typer

from ngage.auth.signature import timestamp_seconds
from ngage.cli.client_options import (
    ApiId,
    ApiKey,
    ApiSecret,
    BaseUrl,
    ClientOptions,
    fail,
    reported_errors,
)
from ngage.client.core import ClientSettings, TransactionIds, resolve_settings, signed_headers

_AUTH_HEADERS = ("api-key", "timestamp", "Signature")
_NO_URL = "http://base-url.invalid"  # the headers alone do not depend on the server


def sign(
    timestamp: Annotated[
        str | None, typer.Option(help="Sign for this Unix timestamp instead of now.")
    ] = None,
    curl: Annotated[
        bool, typer.Option("--curl", help="Print a curl command for POST /recording instead.")
    ] = False,
    base_url: BaseUrl = None,
    api_id: ApiId = None,
    api_key: ApiKey = None,
    api_secret: ApiSecret = None,
) -> None:
    """Print the api-key, timestamp and Signature headers and a fresh transaction_id.

    Each line reads `Name: value`, ready for curl's -H. The server accepts a signature
    only for a few minutes around its timestamp, so sign just before sending.
    """
    if timestamp is not None and timestamp_seconds(timestamp) is None:
        fail(f"--timestamp must be a Unix timestamp in seconds, not {timestamp!r}", 2)
    options = ClientOptions(base_url or (None if curl else _NO_URL), api_id, api_key, api_secret)
    with reported_errors():
        settings = resolve_settings(options.credentials())
    headers = auth_headers(settings, timestamp)
    transaction_id = TransactionIds().next(settings.api_id)
    if curl:
        print(curl_command(settings.base_url, headers, transaction_id))
        return
    for name, value in (*headers.items(), ("transaction_id", transaction_id)):
        print(f"{name}: {value}")


def auth_headers(settings: ClientSettings, timestamp: str | None) -> dict[str, str]:
    """The three headers the server checks, as the SDK computes them."""
    headers = signed_headers(settings, timestamp)
    return {name: headers[name] for name in _AUTH_HEADERS}


def curl_command(base_url: str, headers: dict[str, str], transaction_id: str) -> str:
    """A shell command that lists recordings; put your app_ids into the body."""
    body = json.dumps({"transaction_id": transaction_id, "app_ids": []})
    lines = [
        f"curl -sS -X POST {shlex.quote(base_url + '/recording')}",
        "-H 'Content-Type: application/json' -H 'Accept: application/json'",
        *(f"-H {shlex.quote(f'{name}: {value}')}" for name, value in headers.items()),
        f"-d {shlex.quote(body)}",
    ]
    return " \\\n  ".join(lines)
