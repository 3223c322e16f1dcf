"""`Client`: the blocking nGage client."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from ngage.client import core
from ngage.client.base import ClientBase, recordings_of
from ngage.client.errors import ApiError, ServerError, TransportError
from ngage.client.models import Meeting, MeetingConfig, Recording, RecordingFile, ViewConfig


class Client(ClientBase):
    """A blocking client for the nGage Video API.

    Credentials come from the arguments or from `NGAGE_BASE_URL`, `NGAGE_API_ID`,
    `NGAGE_API_KEY` and `NGAGE_API_SECRET`. Connection errors and 5xx answers are
    retried with exponential backoff; a retried create reuses its transaction_id,
    so the server's idempotency guarantees at most one meeting.

        with Client() as client:
            meeting = client.create_meeting(topic="Standup", host_name="Ana",
                                            participant_name="Guest")
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_id: str | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url,
            api_id,
            api_key,
            api_secret,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
        )
        self._http = httpx.Client(
            base_url=self.settings.base_url, timeout=timeout, transport=transport
        )

    def create_meeting(
        self,
        *,
        topic: str,
        host_name: str,
        participant_name: str,
        host: MeetingConfig = MeetingConfig(),
        participant: MeetingConfig = MeetingConfig(),
        view_host: ViewConfig = ViewConfig(),
        view_participant: ViewConfig = ViewConfig(),
        transaction_id: str | None = None,
    ) -> Meeting:
        """Create a meeting; returns its links and password.

        Give `transaction_id` to make a call you may repeat (after a crash, say)
        return the same meeting instead of creating another.
        """
        configs = (host, participant, view_host, view_participant)
        body = self._create_body(transaction_id, (topic, host_name, participant_name), configs)
        return core.parsed(Meeting.from_wire, self._post("/create", body))

    def recordings(
        self, app_ids: Sequence[str], *, transaction_id: str | None = None
    ) -> list[Recording]:
        """The recordings of the given meetings (by app_id); unknown ones are left out."""
        body = self._recording_body(app_ids, transaction_id)
        return core.parsed(recordings_of, self._post("/recording", body))

    def download(
        self, file: RecordingFile, path: str | Path, *, progress: core.Progress | None = None
    ) -> Path:
        """Save `file` at `path`, resuming a partial download; checks the final size."""
        target = Path(path)
        last_error: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(core.backoff_delay(self.settings, attempt - 1))
            try:
                return self._download_once(file, target, progress)
            except (httpx.TransportError, TransportError, ServerError) as exc:
                last_error = exc
        raise TransportError(f"download failed: {last_error}") from last_error

    def _download_once(
        self, file: RecordingFile, target: Path, progress: core.Progress | None
    ) -> Path:
        offset = core.resume_offset(target, file.file_size)
        if offset == file.file_size:
            if progress:
                progress(offset, file.file_size)
            return target
        offset = offset or 0
        headers = core.range_headers(offset)
        with self._http.stream("GET", file.download_url, headers=headers) as response:
            if response.status_code == 416 or (
                response.status_code == 206 and not core.resumes_at(response, offset)
            ):
                target.unlink(missing_ok=True)  # what we hold does not match: start over
                raise TransportError("the server did not resume where the file ends; restarting")
            if response.status_code not in (200, 206):
                response.read()
                raise core.api_error(response)
            if response.status_code != 206:
                offset = 0
            if progress:
                progress(offset, file.file_size)
            with target.open("ab" if offset else "wb") as handle:
                for chunk in response.iter_bytes(64 * 1024):
                    handle.write(chunk)
                    offset += len(chunk)
                    if progress:
                        progress(offset, file.file_size)
        if offset != file.file_size:
            raise TransportError(f"got {offset} of {file.file_size} bytes")
        return target

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        last_error: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(core.backoff_delay(self.settings, attempt - 1))
            try:
                response = self._http.post(
                    path, json=body, headers=core.signed_headers(self.settings)
                )
            except httpx.TransportError as exc:
                last_error = exc
                continue
            if not core.should_retry(response):
                return core.answer(response)
            last_error = core.api_error(response)
        if isinstance(last_error, ApiError):
            raise last_error
        raise TransportError(f"cannot reach {self.settings.base_url}: {last_error}") from last_error

    def close(self) -> None:
        """Close the connection pool (the `with` block does this for you)."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
