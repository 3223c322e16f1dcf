from typing import Any

import pytest

from ngage.errors import BadRequest
from ngage.meetings.requests import CreateMeetingRequest, RecordingRequest, parse
from tests.support import FLAG_NAMES, VIEW_NAMES, spec_example_body

API = "NVA0000012"


def body(**changes: Any) -> dict[str, Any]:
    return {**spec_example_body(API), **changes}


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(BadRequest) as caught:
        parse(CreateMeetingRequest, data, API)
    return caught.value.problems


def test_spec_example_is_valid() -> None:
    request = parse(CreateMeetingRequest, body(), API)
    assert request.topic == "Meeting Ngage"
    assert request.config_host.disableInvite is True


def test_literal_strings_are_booleans() -> None:
    data = body()
    data["config_host"] = {**data["config_host"], "screenShare": "true", "isSupportAV": "false"}
    request = parse(CreateMeetingRequest, data, API)
    assert request.config_host.screenShare is True
    assert request.config_host.isSupportAV is False


@pytest.mark.parametrize("value", [1, 0, "True", "FALSE", "yes", None, [], {}, "", " true"])
def test_other_values_are_not_booleans(value: object) -> None:
    data = body()
    data["view_host"] = {**data["view_host"], "security_option": value}
    assert problems(data) == ["view_host.security_option must be true or false"]


def test_misspelled_view_participant_is_accepted() -> None:
    data = body()
    data["view_partisipant"] = data.pop("view_participant")
    assert parse(CreateMeetingRequest, data, API).view_participant.participants_list is False


def test_both_spellings_must_agree() -> None:
    data = body()
    data["view_partisipant"] = {**data["view_participant"], "security_option": True}
    assert any("both given" in p for p in problems(data))


def test_every_missing_field_is_named_at_once() -> None:
    found = problems({"transaction_id": API + "220513063515858", "config_host": {}})
    for name in (
        "host_name",
        "participant_name",
        "topic",
        "view_host",
        "config_participant",
        "view_participant",
    ):
        assert f"{name} is required" in found
    for flag in FLAG_NAMES:
        assert f"config_host.{flag} is required" in found


def test_missing_view_flags() -> None:
    data = body(view_host={})
    assert problems(data) == [f"view_host.{name} is required" for name in VIEW_NAMES]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("tab\there", "control characters"),
        ("nul\x00", "control characters"),
        ("unit\x1f", "control characters"),
        ("", "empty"),
        ("   ", "empty"),
        (42, "string"),
        (None, "string"),
        ("x" * 201, "at most 200"),
    ],
)
def test_topic_rules(value: object, fragment: str) -> None:
    (problem,) = problems(body(topic=value))
    assert problem.startswith("topic ") and fragment in problem


def test_unicode_and_del_are_fine() -> None:
    request = parse(CreateMeetingRequest, body(topic="Rapat ✓ 会议 \x7f"), API)
    assert request.topic.startswith("Rapat")


def test_names_are_limited_to_100() -> None:
    assert problems(body(host_name="h" * 101)) == ["host_name must be at most 100 characters"]


def test_config_must_be_an_object() -> None:
    assert problems(body(config_participant=[1])) == ["config_participant must be an object"]


def test_unknown_fields_are_ignored() -> None:
    assert parse(CreateMeetingRequest, body(extra_field=1), API).topic == "Meeting Ngage"


def test_recording_request() -> None:
    tx = API + "220513063515858"
    request = parse(RecordingRequest, {"transaction_id": tx, "app_ids": ["a", "b"]}, API)
    assert request.app_ids == ["a", "b"]


@pytest.mark.parametrize(
    ("app_ids", "fragment"),
    [
        ("APP-1", "array"),
        ([1], "string"),
        (["x"] * 101, "at most 100"),
        (None, "array"),
        (["APP-\x00"], "control characters"),
        (["A" * 65], "at most 64"),
    ],
)
def test_recording_request_rules(app_ids: object, fragment: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse(
            RecordingRequest, {"transaction_id": API + "220513063515858", "app_ids": app_ids}, API
        )
    assert any(fragment in problem for problem in caught.value.problems)
