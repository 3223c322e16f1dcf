"""The Create Meeting and Recording request bodies, validated as the spec says.

Validation collects every problem at once; `parse` turns them into one BadRequest.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails

from ngage.errors import BadRequest
from ngage.meetings.fields import Flag, Name, Topic, check_text
from ngage.meetings.transaction import transaction_problem

MAX_APP_IDS = 100
APP_ID_LENGTH = 64


class SpecModel(BaseModel):
    # Unknown fields are ignored: clients built for other versions still work.
    model_config = ConfigDict(extra="ignore", frozen=True)


class MeetingConfig(SpecModel):
    """`config_host` / `config_participant`: the role's Meeting SDK options."""

    disableInvite: Flag
    disableCallOut: Flag
    disableRecord: Flag
    disableJoinAudio: Flag
    audioPanelAlwaysOpen: Flag
    showPureSharingContent: Flag
    isSupportAV: Flag
    isSupportChat: Flag
    isSupportQA: Flag
    isSupportPolling: Flag
    isSupportBreakout: Flag
    isSupportCC: Flag
    screenShare: Flag


class ViewConfig(SpecModel):
    """`view_host` / `view_participant`: which panels the role sees."""

    participants_list: Flag
    security_option: Flag
    more_meeting_control: Flag


class TransactionModel(SpecModel):
    transaction_id: str = Field(
        description="Your api_id followed by YYYYMMDDhhmmssSSS (or YYMMDDhhmmssSSS)"
    )

    @field_validator("transaction_id", mode="plain")
    @classmethod
    def _caller_prefix(cls, value: object, info: ValidationInfo) -> str:
        api_id = (info.context or {}).get("api_id")
        problem = transaction_problem(value, api_id)
        if problem:
            raise ValueError(problem)
        return str(value)


class CreateMeetingRequest(TransactionModel):
    host_name: Name
    participant_name: Name
    topic: Topic
    config_host: MeetingConfig
    view_host: ViewConfig
    config_participant: MeetingConfig
    view_participant: ViewConfig = Field(
        validation_alias=AliasChoices("view_participant", "view_partisipant"),
        description='Also accepted as "view_partisipant", the spelling of the spec\'s table.',
    )


class RecordingRequest(TransactionModel):
    app_ids: list[str] = Field(max_length=MAX_APP_IDS)

    @field_validator("app_ids", mode="before")
    @classmethod
    def _strings(cls, value: object) -> object:
        if isinstance(value, list):
            for item in value:
                check_text(item, APP_ID_LENGTH)
        return value


Model = TypeVar("Model", bound=SpecModel)

_MESSAGES = {
    "missing": "is required",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be an array",
    "too_long": f"must have at most {MAX_APP_IDS} entries",
}


def _describe(error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "body"
    message = _MESSAGES.get(error["type"])
    if message is None:
        cause = (error.get("ctx") or {}).get("error")
        message = str(cause) if cause is not None else error["msg"]
    return f"{where} {message}"


def _spelling_problems(body: dict[str, Any]) -> list[str]:
    both = "view_participant" in body and "view_partisipant" in body
    if both and body["view_participant"] != body["view_partisipant"]:
        return ["view_participant and view_partisipant are both given and differ"]
    return []


def parse(model: type[Model], body: dict[str, Any], api_id: str) -> Model:
    """Validate `body` for the caller `api_id`, or raise BadRequest naming every problem."""
    problems = _spelling_problems(body)
    try:
        parsed = model.model_validate(body, context={"api_id": api_id})
    except ValidationError as exc:
        problems += [_describe(error) for error in exc.errors(include_url=False)]
    if problems:
        raise BadRequest(problems)
    return parsed
