"""What the client commands share: connection options, the SDK client, and error reporting.

Every client command takes the same options (each with its `NGAGE_*` variable) and
reports SDK errors through `reported_errors`, the one place that turns them into a
message on stderr and an exit code:

    2  missing settings or a bad option      4  the server refused the request
    3  not authorized                        5  server error or server unreachable
    1  anything else (a file that cannot be written, say)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

import typer

from ngage.cli.common import errors
from ngage.client import (
    BadRequest,
    Client,
    DuplicateTransaction,
    MissingCredentials,
    NgageClientError,
    NotAuthorized,
    ServerError,
    TransportError,
)

_PANEL = "Connection"


def _setting(flag: str, variable: str, what: str, **checks: Any) -> Any:
    """An option read from `variable` when not given (its value is never shown in --help)."""
    return typer.Option(flag, envvar=variable, help=what, rich_help_panel=_PANEL, **checks)


def checked_url(value: str | None) -> str | None:
    """Refuse what is not an http(s) URL as a usage error, before the SDK sees it."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise typer.BadParameter(f"{value!r} is not an http:// or https:// URL")
    return value


BaseUrl = Annotated[
    str | None,
    _setting("--base-url", "NGAGE_BASE_URL", "Server URL.", callback=checked_url),
]
ApiId = Annotated[str | None, _setting("--api-id", "NGAGE_API_ID", "Your api_id.")]
ApiKey = Annotated[str | None, _setting("--api-key", "NGAGE_API_KEY", "Your api_key.")]
ApiSecret = Annotated[str | None, _setting("--api-secret", "NGAGE_API_SECRET", "Your api_secret.")]
Timeout = Annotated[
    float,
    typer.Option(min=0.1, help="Seconds to wait for each answer.", rich_help_panel=_PANEL),
]
Retries = Annotated[
    int,
    typer.Option(min=0, help="Retries after a connection error or 5xx.", rich_help_panel=_PANEL),
]
JsonOutput = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@dataclass(frozen=True)
class ClientOptions:
    """The connection options of one command (the secret is kept out of its repr)."""

    base_url: str | None
    api_id: str | None
    api_key: str | None
    api_secret: str | None = field(repr=False)
    timeout: float = 30.0
    retries: int = 3

    def credentials(self) -> dict[str, str | None]:
        return {
            "base_url": self.base_url,
            "api_id": self.api_id,
            "api_key": self.api_key,
            "api_secret": self.api_secret,
        }


def open_client(options: ClientOptions) -> Client:
    """The SDK client for these options (MissingCredentials names what is not set)."""
    return Client(
        options.base_url,
        options.api_id,
        options.api_key,
        options.api_secret,
        timeout=options.timeout,
        retries=options.retries,
    )


def describe_error(error: Exception) -> tuple[str, int]:
    """The message and exit code for an error of the SDK (or of the local disk)."""
    if isinstance(error, MissingCredentials):
        return f"{error}", 2
    if isinstance(error, NotAuthorized):
        hint = "check the api_id, api_key, api_secret and your clock"
        return f"not authorized: {error.status_desc} ({hint})", 3
    if isinstance(error, BadRequest | DuplicateTransaction):
        return f"refused: {error.status_desc}", 4
    if isinstance(error, ServerError):
        return f"server error {error.status_code}: {error.status_desc}", 5
    if isinstance(error, TransportError):
        return f"{error}", 5
    return f"{error}", 1


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn SDK and file errors into `error: ...` on stderr and the exit code for them."""
    try:
        yield
    except (NgageClientError, OSError) as exc:
        message, code = describe_error(exc)
        fail(message, code, exc)


def fail(message: str, code: int, cause: BaseException | None = None) -> NoReturn:
    """Print `error: message` on stderr (verbatim: no markup) and exit with `code`."""
    errors.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code) from cause
