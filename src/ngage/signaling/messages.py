"""Protocol messages: parsing what clients send, building what the server sends.

Pure functions only; `docs/protocol.md` is the reference.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ngage.errors import NgageError
from ngage.meetings.fields import NAME_LENGTH, text
from ngage.phone.numbers import NUMBER_PATTERN

VERSION = 1
MAX_FRAME_BYTES = 64 * 1024


class ProtocolError(NgageError):
    """A frame that is not a valid protocol message (code `bad-message`)."""

    http_status = 400
    status_desc = "Bad Request"


class ClientMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    v: Literal[1]
    id: str | None = Field(default=None, max_length=64)


Kind = Literal["camera", "screen"]
Sdp = Annotated[str, Field(min_length=10, max_length=60_000)]


class Join(ClientMessage):
    type: Literal["join"]
    token: str = Field(max_length=512)
    role: Literal["host", "participant"]
    name: Annotated[str, text(NAME_LENGTH)]
    audio_muted: bool = False
    video_muted: bool = False
    # A random id the browser keeps (localStorage): lets a host's removal stick to it.
    client_id: str | None = Field(default=None, max_length=64)


class Publish(ClientMessage):
    type: Literal["publish"]
    kind: Kind
    sdp: Sdp


class Unpublish(ClientMessage):
    type: Literal["unpublish"]
    kind: Kind


class Trickle(ClientMessage):
    type: Literal["trickle"]
    # Which peer connection: the publisher of a kind, or the watcher of a feed.
    pc: str = Field(pattern=r"^(publish:(camera|screen)|watch:[0-9]{1,16})$")
    candidate: dict[str, Any] | None


class Watch(ClientMessage):
    type: Literal["watch"]
    feed: int


class Answer(ClientMessage):
    type: Literal["answer"]
    feed: int
    sdp: Sdp


class Unwatch(ClientMessage):
    type: Literal["unwatch"]
    feed: int


class Mute(ClientMessage):
    type: Literal["mute"]
    audio_muted: bool | None = None
    video_muted: bool | None = None


class Record(ClientMessage):
    type: Literal["record"]
    action: Literal["start", "pause", "resume", "stop"]


class Chat(ClientMessage):
    type: Literal["chat"]
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    to: str | None = Field(default=None, max_length=40)


class Hand(ClientMessage):
    type: Literal["hand"]
    raised: bool


class Reaction(ClientMessage):
    type: Literal["reaction"]
    emoji: Literal["👍", "👏", "😂", "😮", "❤️", "🎉"]


class Moderate(ClientMessage):
    type: Literal["moderate"]
    action: Literal["mute-all", "mute", "stop-video", "ask-unmute"]
    participant_id: str | None = Field(default=None, max_length=40)


class Caption(ClientMessage):
    type: Literal["caption"]
    text: Annotated[str, Field(min_length=1, max_length=500)]


class Captioner(ClientMessage):
    type: Literal["captioner"]
    participant_id: str | None = Field(max_length=40)


SECURITY_FIELDS = (
    "locked",
    "waiting_room",
    "allow_unmute",
    "allow_share",
    "allow_chat",
    "allow_rename",
)


class Security(ClientMessage):
    """Only the fields sent change; the others keep their value."""

    type: Literal["security"]
    locked: bool | None = None
    waiting_room: bool | None = None
    allow_unmute: bool | None = None
    allow_share: bool | None = None
    allow_chat: bool | None = None
    allow_rename: bool | None = None

    def changes(self) -> dict[str, bool]:
        chosen = {name: getattr(self, name) for name in SECURITY_FIELDS}
        return {name: value for name, value in chosen.items() if value is not None}


class Admit(ClientMessage):
    type: Literal["admit"]
    action: Literal["admit", "deny"] = "admit"
    participant_id: str | None = Field(default=None, max_length=40)  # None: everyone waiting


class Rename(ClientMessage):
    type: Literal["rename"]
    name: Annotated[str, text(NAME_LENGTH)]
    participant_id: str | None = Field(default=None, max_length=40)  # None: yourself


class Cohost(ClientMessage):
    type: Literal["cohost"]
    participant_id: str = Field(max_length=40)
    cohost: bool


class Remove(ClientMessage):
    type: Literal["remove"]
    participant_id: str = Field(max_length=40)


class Ask(ClientMessage):
    type: Literal["ask"]
    text: Annotated[str, Field(min_length=1, max_length=500)]
    anonymous: bool = False


class Vote(ClientMessage):
    type: Literal["vote"]
    question_id: str = Field(max_length=40)


class QuestionAction(ClientMessage):
    type: Literal["question"]
    question_id: str = Field(max_length=40)
    action: Literal["answer", "mark-answered", "dismiss"]
    text: Annotated[str, Field(max_length=1000)] | None = None


class PollQuestion(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    text: Annotated[str, Field(min_length=1, max_length=300)]
    kind: Literal["single", "multiple"] = "single"
    options: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]],
        Field(min_length=2, max_length=10),
    ]


class Poll(ClientMessage):
    type: Literal["poll"]
    action: Literal["draft", "launch", "vote", "end", "share"]
    poll_id: str | None = Field(default=None, max_length=40)
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    questions: Annotated[list[PollQuestion], Field(min_length=1, max_length=10)] | None = None
    answers: Annotated[list[list[int]], Field(max_length=10)] | None = None


class CallOut(ClientMessage):
    type: Literal["call-out"]
    action: Literal["dial", "hangup"] = "dial"
    number: str | None = Field(default=None, pattern=NUMBER_PATTERN)
    participant_id: str | None = Field(default=None, max_length=40)


RoomName = Annotated[str, text(50)]
Broadcast = Annotated[str, text(500)]
BreakoutAction = Literal[
    "create", "assign", "auto-assign", "open", "broadcast", "close", "join", "return"
]


class Breakout(ClientMessage):
    type: Literal["breakout"]
    action: BreakoutAction
    count: int | None = Field(default=None, ge=1, le=50)
    names: Annotated[list[RoomName], Field(min_length=1, max_length=50)] | None = None
    participant_id: str | None = Field(default=None, max_length=40)
    room: int | None = Field(default=None, ge=0, le=50)
    text: Broadcast | None = None
    seconds: int = Field(default=10, ge=0, le=300)


class End(ClientMessage):
    type: Literal["end"]


class Leave(ClientMessage):
    type: Literal["leave"]


class Ping(ClientMessage):
    type: Literal["ping"]


AnyMessage = Annotated[
    Join
    | Publish
    | Unpublish
    | Trickle
    | Watch
    | Answer
    | Unwatch
    | Mute
    | Record
    | Chat
    | Hand
    | Reaction
    | Moderate
    | Caption
    | Captioner
    | Security
    | Admit
    | Rename
    | Cohost
    | Remove
    | Ask
    | Vote
    | QuestionAction
    | Poll
    | CallOut
    | Breakout
    | End
    | Leave
    | Ping,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[AnyMessage] = TypeAdapter(AnyMessage)


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"][1:]) or "message"
    return f"{where}: {first['msg']}"


def parse(frame: str | bytes) -> AnyMessage:
    """A client message from one WebSocket frame, or ProtocolError."""
    if len(frame) > MAX_FRAME_BYTES:
        raise ProtocolError("message too large")
    try:
        document = orjson.loads(frame)
    except orjson.JSONDecodeError as exc:
        raise ProtocolError("message is not JSON") from exc
    if not isinstance(document, dict):
        raise ProtocolError("message must be a JSON object")
    if document.get("v") != VERSION:
        raise ProtocolError(f"unsupported protocol version (this server speaks v{VERSION})")
    try:
        return _ADAPTER.validate_python(document)
    except ValidationError as exc:
        raise ProtocolError(_problem(exc)) from exc


def request_id(frame: str | bytes) -> str | None:
    """The `id` of a frame that failed to parse, when it has a usable one."""
    try:
        document = orjson.loads(frame)
    except orjson.JSONDecodeError:
        return None
    value = document.get("id") if isinstance(document, dict) else None
    return value if isinstance(value, str) and len(value) <= 64 else None


def message(message_type: str, re: str | None = None, **fields: Any) -> dict[str, Any]:
    """A server message; `re` answers the client message with that id."""
    built: dict[str, Any] = {"v": VERSION, "type": message_type, **fields}
    if re is not None:
        built["re"] = re
    return built


def replying(built: dict[str, Any], re: str | None) -> dict[str, Any]:
    """The same message, as the answer to the client message with id `re` (if any)."""
    return built if re is None else {**built, "re": re}


def error(code: str, text_: str, re: str | None = None) -> dict[str, Any]:
    return message("error", re, code=code, message=text_)


def encode(built: dict[str, Any]) -> str:
    return orjson.dumps(built).decode()
