"""What `Client` and `AsyncClient` share apart from their I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ngage.client import core
from ngage.client.models import MeetingConfig, Recording, ViewConfig


class ClientBase:
    """Settings resolution, transaction ids and request bodies, for both clients."""

    def __init__(
        self,
        base_url: str | None,
        api_id: str | None,
        api_key: str | None,
        api_secret: str | None,
        *,
        timeout: float,
        retries: int,
        backoff: float,
    ) -> None:
        given = {
            "base_url": base_url,
            "api_id": api_id,
            "api_key": api_key,
            "api_secret": api_secret,
        }
        self.settings = core.resolve_settings(
            given, timeout=timeout, retries=retries, backoff=backoff
        )

    def new_transaction_id(self) -> str:
        """A fresh transaction_id: your api_id followed by YYYYMMDDhhmmssSSS."""
        return core.PROCESS_TRANSACTION_IDS.next(self.settings.api_id)

    def _create_body(
        self,
        transaction_id: str | None,
        names: tuple[str, str, str],
        configs: tuple[MeetingConfig, MeetingConfig, ViewConfig, ViewConfig],
    ) -> dict[str, Any]:
        topic, host_name, participant_name = names
        tx = transaction_id or self.new_transaction_id()
        return core.create_body(tx, topic, host_name, participant_name, configs)

    def _recording_body(self, app_ids: Sequence[str], transaction_id: str | None) -> dict[str, Any]:
        return core.recording_body(transaction_id or self.new_transaction_id(), app_ids)


def recordings_of(payload: dict[str, Any]) -> list[Recording]:
    """The typed recordings of a Recording answer."""
    return [Recording.from_wire(item) for item in payload["recordings"]]
