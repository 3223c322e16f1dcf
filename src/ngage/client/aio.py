"""`AsyncClient`: the asyncio nGage client (same methods as `Client`, awaited)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from ngage.client import core
from ngage.client.base import ClientBase, recordings_of
from ngage.client.errors import ApiError, ServerError, TransportError
from ngage.client.models import Meeting, MeetingConfig, Recording, RecordingFile, ViewConfig


class AsyncClient(ClientBase):
    """An asyncio client for the nGage Video API; see `Client` for the behaviour.

    async with AsyncClient() as client:
        meeting = await client.create_meeting(topic="Standup", host_name="Ana",
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
        transport: httpx.AsyncBaseTransport | None = None,
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
        self._http = httpx.AsyncClient(
            base_url=self.settings.base_url, timeout=timeout, transport=transport
        )

    async def create_meeting(
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
        """Create a meeting; returns its links and password (see `Client.create_meeting`)."""
        configs = (host, participant, view_host, view_participant)
        body = self._create_body(transaction_id, (topic, host_name, participant_name), configs)
        return core.parsed(Meeting.from_wire, await self._post("/create", body))

    async def recordings(
        self, app_ids: Sequence[str], *, transaction_id: str | None = None
    ) -> list[Recording]:
        """The recordings of the given meetings (by app_id); unknown ones are left out."""
        body = self._recording_body(app_ids, transaction_id)
        return core.parsed(recordings_of, await self._post("/recording", body))

    async def download(
        self, file: RecordingFile, path: str | Path, *, progress: core.Progress | None = None
    ) -> Path:
        """Save `file` at `path`, resuming a partial download; checks the final size."""
        target = Path(path)
        last_error: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                await asyncio.sleep(core.backoff_delay(self.settings, attempt - 1))
            try:
                return await self._download_once(file, target, progress)
            except (httpx.TransportError, TransportError, ServerError) as exc:
                last_error = exc
        raise TransportError(f"download failed: {last_error}") from last_error

    async def _download_once(
        self, file: RecordingFile, target: Path, progress: core.Progress | None
    ) -> Path:
        offset = await asyncio.to_thread(core.resume_offset, target, file.file_size)
        if offset == file.file_size:
            if progress:
                progress(offset, file.file_size)
            return target
        offset = offset or 0
        headers = core.range_headers(offset)
        async with self._http.stream("GET", file.download_url, headers=headers) as response:
            if response.status_code == 416 or (
                response.status_code == 206 and not core.resumes_at(response, offset)
            ):
                await asyncio.to_thread(target.unlink, True)
                raise TransportError("the server did not resume where the file ends; restarting")
            if response.status_code not in (200, 206):
                await response.aread()
                raise core.api_error(response)
            if response.status_code != 206:
                offset = 0
            if progress:
                progress(offset, file.file_size)
            handle: IO[bytes] = await asyncio.to_thread(target.open, "ab" if offset else "wb")
            try:
                async for chunk in response.aiter_bytes(64 * 1024):
                    await asyncio.to_thread(handle.write, chunk)
                    offset += len(chunk)
                    if progress:
                        progress(offset, file.file_size)
            finally:
                await asyncio.to_thread(handle.close)
        if offset != file.file_size:
            raise TransportError(f"got {offset} of {file.file_size} bytes")
        return target

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        last_error: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                await asyncio.sleep(core.backoff_delay(self.settings, attempt - 1))
            headers = core.signed_headers(self.settings)
            try:
                response = await self._http.post(path, json=body, headers=headers)
            except httpx.TransportError as exc:
                last_error = exc
                continue
            if not core.should_retry(response):
                return core.answer(response)
            last_error = core.api_error(response)
        if isinstance(last_error, ApiError):
            raise last_error
        raise TransportError(f"cannot reach {self.settings.base_url}: {last_error}") from last_error

    async def aclose(self) -> None:
        """Close the connection pool (the `async with` block does this for you)."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()
