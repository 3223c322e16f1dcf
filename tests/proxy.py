"""A misbehaving HTTP/1.1 proxy on 127.0.0.1: the network boundary the SDK tests break.

It speaks just enough HTTP to find where a request and a response end
(`Content-Length`), which is all the nGage API needs. Each request it receives is
numbered (across connections, from 0) and a `policy` decides what to do with it:

- FORWARD: send it to the upstream server and the answer back to the client;
- DROP: send it upstream, wait for the complete answer, then close the client's
  connection without sending a byte of it (the server did the work; the client
  never heard);
- FAIL_503: answer it with a JSON 503 without contacting the server;
- NOT_JSON_200: answer it with a 200 HTML page (a captive portal, a misrouted proxy);
- SILENT: never answer (until the client gives up or the proxy stops).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

PROXY_503_DESC = "Service Unavailable: the test proxy refused this try"
_IO_TIMEOUT = 10.0  # bounds every wait on a socket, so no thread can hang a test run
_POLL = 0.05


class Action(Enum):
    FORWARD = "forward"
    DROP = "drop"
    FAIL_503 = "fail_503"
    NOT_JSON_200 = "not_json_200"
    SILENT = "silent"


Policy = Callable[[int], Action]


def first(action: Action) -> Policy:
    """`action` for the first request, FORWARD for the rest."""
    return lambda index: action if index == 0 else Action.FORWARD


def always(action: Action) -> Policy:
    return lambda index: action


@dataclass(frozen=True)
class Exchange:
    """One request the proxy received, what it did, and the upstream answer if any."""

    index: int
    action: Action
    request: bytes
    response: bytes | None

    @property
    def request_body(self) -> bytes:
        return self.request.partition(b"\r\n\r\n")[2]

    @property
    def request_json(self) -> Any:
        return json.loads(self.request_body)

    @property
    def response_status(self) -> int | None:
        if self.response is None:
            return None
        return int(self.response.split(b" ", 2)[1])


class _Closed(Exception):
    """The peer closed the connection before a whole message arrived."""


class _Stopped(Exception):
    """The proxy is shutting down."""


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return None


class Proxy:
    """Listens on 127.0.0.1 (an ephemeral port) in front of `upstream_url`."""

    def __init__(self, upstream_url: str, policy: Policy) -> None:
        parts = urlsplit(upstream_url)
        assert parts.hostname is not None and parts.port is not None
        self._upstream = (parts.hostname, parts.port)
        self._policy = policy
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL)
        self.port = int(self._listener.getsockname()[1])
        self.exchanges: list[Exchange] = []
        self.connections = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.exchanges)

    def start(self) -> None:
        self._spawn(self._accept_loop)

    def stop(self) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=_IO_TIMEOUT + 1)
        self._listener.close()

    # ------------------------------------------------------------ threads

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            self._spawn(self._serve, conn)

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            client.settimeout(_POLL)
            buffer = bytearray()
            while True:
                request = self._read_message(client, buffer)
                with self._lock:
                    index = len(self.exchanges)
                    action = self._policy(index)
                response: bytes | None = None
                if action in (Action.FORWARD, Action.DROP):
                    if upstream is None:
                        upstream = socket.create_connection(self._upstream, timeout=_IO_TIMEOUT)
                    upstream.sendall(request)
                    response = self._read_message(upstream, bytearray())
                with self._lock:
                    self.exchanges.append(Exchange(index, action, request, response))
                if action is Action.FORWARD:
                    assert response is not None
                    client.sendall(response)
                elif action is Action.FAIL_503:
                    client.sendall(_json_503())
                    return
                elif action is Action.NOT_JSON_200:
                    client.sendall(_html_200())
                    return
                elif action is Action.DROP:
                    return  # the answer is thrown away with the connection
                else:
                    self._wait_for_close(client)
                    return
        except (_Closed, _Stopped, OSError):
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    # ------------------------------------------------------------ messages

    def _recv(self, sock: socket.socket, deadline_polls: int) -> bytes:
        """One recv, polling so a stop request or a silent peer cannot block forever."""
        for _ in range(deadline_polls):
            if self._stop.is_set():
                raise _Stopped
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                raise _Closed
            return chunk
        raise _Closed

    def _read_message(self, sock: socket.socket, buffer: bytearray) -> bytes:
        """A whole HTTP message (head and Content-Length body) from `sock`.

        `buffer` keeps bytes already read past the previous message on a
        keep-alive connection.
        """
        sock.settimeout(_POLL)
        polls = int(_IO_TIMEOUT / _POLL)
        while b"\r\n\r\n" not in buffer:
            buffer += self._recv(sock, polls)
        head_end = buffer.index(b"\r\n\r\n") + 4
        length = _content_length(bytes(buffer[:head_end])) or 0
        while len(buffer) < head_end + length:
            buffer += self._recv(sock, polls)
        message = bytes(buffer[: head_end + length])
        del buffer[: head_end + length]
        return message

    def _wait_for_close(self, client: socket.socket) -> None:
        """Say nothing until the client hangs up (or the bounded wait ends)."""
        polls = int(_IO_TIMEOUT / _POLL)
        while True:
            self._recv(client, polls)


def _json_503() -> bytes:
    body = json.dumps({"transaction_id": None, "status_desc": PROXY_503_DESC}).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def _html_200() -> bytes:
    body = b"<html><body>Please log in to the network</body></html>"
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/html\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


@contextmanager
def running_proxy(upstream_url: str, policy: Policy) -> Iterator[Proxy]:
    proxy = Proxy(upstream_url, policy)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
