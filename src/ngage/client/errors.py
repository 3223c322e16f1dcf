"""Errors raised by the nGage client.

NgageClientError
├── ApiError                 the server answered with an error
│   ├── NotAuthorized        401: credentials, signature or clock rejected
│   ├── BadRequest           400 and other 4xx: `status_desc` says what is wrong
│   ├── DuplicateTransaction 409: the transaction_id was used for another request
│   └── ServerError          5xx (raised after the retries are spent)
├── TransportError           the server could not be reached or the answer was cut off
├── MissingCredentials       no base URL, api_id, api_key or api_secret was given
└── InvalidSettings          the base URL is not an http(s) URL
"""

from __future__ import annotations


class NgageClientError(Exception):
    """Base of every error the client raises."""


class ApiError(NgageClientError):
    """The server answered with an error: its HTTP status and `status_desc`."""

    def __init__(self, status_code: int, status_desc: str, transaction_id: str | None) -> None:
        super().__init__(f"{status_code}: {status_desc}")
        self.status_code = status_code
        self.status_desc = status_desc
        self.transaction_id = transaction_id


class NotAuthorized(ApiError):
    """401: wrong api_key or api_secret, a disabled client, or a clock too far off."""


class BadRequest(ApiError):
    """The request was refused; `status_desc` names every problem."""


class DuplicateTransaction(ApiError):
    """The transaction_id was already used with a different body."""


class ServerError(ApiError):
    """The server failed (5xx) on every try."""


class TransportError(NgageClientError):
    """The server could not be reached, or the connection broke, on every try."""


class MissingCredentials(NgageClientError):
    """A required setting (base URL or a credential) was neither passed nor in the environment."""


class InvalidSettings(NgageClientError):
    """A setting has a value the client cannot use (e.g. a base URL that is not http(s))."""
