"""Pure rules of breakout rooms: the plan's states, assignments, moves and room numbers."""

from __future__ import annotations

import json

import pytest

from ngage.errors import BadRequest
from ngage.media.videoroom import room_number
from ngage.meetings import breakout as plan
from ngage.meetings.breakout import Breakout, from_state, media_room
from ngage.meetings.rights import rights_for
from ngage.signaling import messages
from ngage.signaling.messages import Breakout as BreakoutMessage
from ngage.signaling.messages import ProtocolError

MEETING = "99999999999"


def test_each_room_has_its_own_media_room_number_below_2_53() -> None:
    assert media_room(MEETING, 0) == MEETING and room_number(MEETING) == 99999999999
    assert media_room(MEETING, 3) == "99999999999/3"
    numbers = {room_number(media_room(MEETING, n)) for n in range(plan.MAX_ROOMS + 1)}
    assert len(numbers) == plan.MAX_ROOMS + 1
    assert max(numbers) == 9999999999950 < 2**53
    assert room_number(media_room("10000000000", 1)) == 1000000000001


def test_create_names_rooms_and_replaces_a_draft() -> None:
    draft = plan.create(Breakout(), 3, None)
    assert draft.status == "draft" and [r.name for r in draft.rooms] == [
        "Room 1",
        "Room 2",
        "Room 3",
    ]
    named = plan.create(draft, None, ["Design", "Sales"])
    assert [(r.room, r.name) for r in named.rooms] == [(1, "Design"), (2, "Sales")]
    for count in (None, 0, 51):
        with pytest.raises(BadRequest):
            plan.create(Breakout(), count, None)
    with pytest.raises(BadRequest):
        plan.create(plan.open_rooms(draft), 2, None)  # close the open ones first


def test_assigning_moves_a_participant_between_rooms() -> None:
    draft = plan.create(Breakout(), 2, None)
    state = plan.assign(plan.assign(draft, "p-a", 1), "p-b", 2)
    assert state.room_of("p-a") == 1 and state.room_of("p-b") == 2
    state = plan.assign(state, "p-a", 2)
    assert state.rooms[0].participants == () and state.rooms[1].participants == ("p-b", "p-a")
    assert plan.assign(state, "p-a", 0).room_of("p-a") == 0
    with pytest.raises(BadRequest):
        plan.assign(state, "p-a", 3)
    with pytest.raises(BadRequest):
        plan.assign(Breakout(), "p-a", 1)


def test_auto_assign_spreads_everyone_evenly() -> None:
    draft = plan.create(Breakout(), 3, None)
    people = [f"p-{n}" for n in range(7)]
    state = plan.auto_assign(draft, people, seed=4)
    sizes = sorted(len(room.participants) for room in state.rooms)
    assert sizes == [2, 2, 3]
    assert sorted(p for room in state.rooms for p in room.participants) == sorted(people)


def test_states_go_draft_open_closing() -> None:
    with pytest.raises(BadRequest):
        plan.open_rooms(Breakout())
    opened = plan.open_rooms(plan.create(Breakout(), 1, None))
    assert opened.status == "open" and opened.is_open
    with pytest.raises(BadRequest):
        plan.open_rooms(opened)
    closing = plan.start_closing(opened)
    assert closing.status == "closing" and closing.is_open
    with pytest.raises(BadRequest):
        plan.start_closing(closing)
    with pytest.raises(BadRequest):
        plan.assign(closing, "p-a", 1)


def test_moves_happen_only_while_rooms_are_open() -> None:
    draft = plan.assign(plan.assign(plan.create(Breakout(), 2, None), "p-a", 1), "p-b", 2)
    assert plan.moves(Breakout(), draft, ["p-a", "p-b"]) == {}  # a draft moves nobody
    opened = plan.open_rooms(draft)
    assert plan.moves(draft, opened, ["p-a", "p-b", "p-c"]) == {"p-a": 1, "p-b": 2}
    assert plan.moves(opened, plan.assign(opened, "p-a", 2), ["p-a", "p-b"]) == {"p-a": 2}
    assert plan.moves(opened, Breakout(), ["p-a", "p-b"]) == {"p-a": 0, "p-b": 0}


def test_the_plan_survives_a_round_trip_through_json() -> None:
    state = plan.open_rooms(plan.assign(plan.create(Breakout(), 2, None), "p-a", 2))
    assert from_state(json.loads(json.dumps(state.public()))) == state
    assert from_state(None) == Breakout() and Breakout().public() == {"status": "none", "rooms": []}


def test_breakout_messages_are_validated() -> None:
    parsed = messages.parse('{"v":1,"type":"breakout","action":"close"}')
    assert isinstance(parsed, BreakoutMessage) and parsed.seconds == 10
    assign = messages.parse(
        '{"v":1,"type":"breakout","action":"assign","participant_id":"p-a","room":2}'
    )
    assert isinstance(assign, BreakoutMessage) and assign.room == 2
    for bad in (
        '{"v":1,"type":"breakout","action":"split"}',
        '{"v":1,"type":"breakout","action":"create","count":51}',
        '{"v":1,"type":"breakout","action":"close","seconds":-1}',
        '{"v":1,"type":"breakout","action":"join","room":"2"}',
        '{"v":1,"type":"breakout","action":"broadcast","text":""}',
    ):
        with pytest.raises(ProtocolError):
            messages.parse(bad)


def test_breakout_rights_follow_the_flag_and_the_role() -> None:
    settings = json.dumps({"config_participant": {"isSupportBreakout": False}})
    assert rights_for(settings, "host").run_breakout
    assert not rights_for(settings, "participant").breakout
    assert (
        rights_for("{}", "participant").breakout
        and not rights_for("{}", "participant").run_breakout
    )


def test_a_refused_plan_says_why_in_one_sentence() -> None:
    with pytest.raises(BadRequest) as refused:
        plan.open_rooms(Breakout())
    assert refused.value.problems == ["create breakout rooms first"]
    assert str(refused.value) == "create breakout rooms first"
