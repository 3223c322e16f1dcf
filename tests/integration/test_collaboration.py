"""In-meeting collaboration over the meeting protocol: chat, hands, reactions, host controls."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from ngage.client import Client
from tests.bots import Bot, Refused
from tests.integration.people import joined_quietly as joined
from tests.medianet import MeetingFactory, running_media_server
from tests.support import Server


@pytest.fixture(scope="module")
def media_server() -> Iterator[Server]:
    with running_media_server(recording_lease_seconds="3") as server:
        yield server


def texts(bot: Bot) -> list[str]:
    return [e["message"]["text"] for e in bot.events if e["type"] == "chat"]


async def say(bot: Bot, text: str, to: str | None = None) -> dict[str, object]:
    reply = await bot.channel.request("chat", text=text, to=to)
    message: dict[str, object] = reply["message"]
    return message


async def test_public_and_private_messages_reach_the_right_people(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    sent = await say(host, "Hello everyone")
    assert sent["name"] == "Hana" and sent["to"] is None
    for bot in (ana, ben):
        await bot.wait_for("chat", lambda e: e["message"]["text"] == "Hello everyone")
    assert ana.participant_id is not None
    private = await say(host, "Just for you, Ana", to=ana.participant_id)
    assert private["to_name"] == "Ana"
    await ana.wait_for("chat", lambda e: e["message"]["text"] == "Just for you, Ana")
    await say(ben, "Ben is here")  # a later message shows Ben's socket is current
    await host.wait_for("chat", lambda e: e["message"]["text"] == "Ben is here")
    assert "Just for you, Ana" not in texts(ben)


async def test_a_late_joiner_gets_the_history_they_may_read(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    assert ana.participant_id is not None
    await say(host, "First")
    await say(host, "Secret", to=ana.participant_id)
    await say(ana, "Second")
    late = await joined(bots, created.join_url, "Late")
    assert late.joined is not None
    assert [m["text"] for m in late.joined["chat"]] == ["First", "Second"]
    again = await joined(bots, created.join_url, "Ana again")
    assert again.joined is not None and "Secret" not in [m["text"] for m in again.joined["chat"]]


async def test_a_role_without_chat_cannot_send_or_read(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"isSupportChat": False})
    host = await joined(bots, created.start_url, "Hana")
    muted = await joined(bots, created.join_url, "No Chat")
    with pytest.raises(Refused) as refused:
        await say(muted, "let me in")
    assert refused.value.code == "forbidden"
    await say(host, "Only for those with chat")
    await muted.ping()
    await asyncio.sleep(0.3)
    assert texts(muted) == [] and muted.joined is not None and muted.joined["chat"] == []
    assert "let me in" not in texts(host)


async def test_bad_chat_messages_are_refused(meeting: MeetingFactory, bots: list[Bot]) -> None:
    host = await joined(bots, meeting().start_url, "Hana")
    for fields, code in (
        ({"text": "", "to": None}, "bad-message"),
        ({"text": "x" * 2001, "to": None}, "bad-message"),
        ({"text": "hi", "to": "p-nobody"}, "not-found"),
    ):
        assert await host.channel.refused("chat", **fields) == code


async def test_chat_during_a_recording_becomes_the_chat_file(
    meeting: MeetingFactory, bots: list[Bot], tmp_path: Path
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana", auto_publish=True)
    guest = await joined(bots, created.join_url, "Ana")
    await host.wait_published()
    await host.record("start")
    await say(guest, "Can everyone hear me?")
    assert host.participant_id is not None
    await say(guest, "a direct message stays private", to=host.participant_id)
    await host.channel.request("caption", text="Welcome to the recording")
    await asyncio.sleep(2)
    await host.record("stop")
    client: Client = meeting.client
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        (recording,) = await asyncio.to_thread(client.recordings, [created.app_id])
        if recording.status == "completed":
            break
        assert asyncio.get_running_loop().time() < deadline, recording.status
        await asyncio.sleep(0.5)
    files = {f.file_type: f for f in recording.files}
    saved = await asyncio.to_thread(client.download, files["CHAT"], tmp_path / "chat.txt")
    assert "From Ana to Everyone: Can everyone hear me?" in saved.read_text()
    assert "private" not in saved.read_text()
    vtt = await asyncio.to_thread(client.download, files["CC"], tmp_path / "cc.vtt")
    assert (
        vtt.read_text().startswith("WEBVTT") and "Hana: Welcome to the recording" in vtt.read_text()
    )


async def test_raised_hands_and_reactions_reach_everyone(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    raised = await ana.channel.request("hand", raised=True)
    assert raised["participant"]["hand_raised"] is True
    await host.wait_for(
        "participant-updated",
        lambda e: (
            e["participant"]["participant_id"] == ana.participant_id
            and e["participant"]["hand_raised"]
        ),
    )
    late = await joined(bots, created.join_url, "Late")
    assert late.joined is not None
    (seen,) = [p for p in late.joined["participants"] if p["name"] == "Ana"]
    assert seen["hand_raised"] is True  # the state lives on the server
    await host.channel.request("reaction", emoji="👏")
    await ana.wait_for("reaction", lambda e: e["emoji"] == "👏")
    assert await host.channel.refused("reaction", emoji="💩") == "bad-message"


async def frames_stop(bot: Bot, participant_id: str, audio: bool) -> None:
    """Until no new audio (or video) frames arrive from the participant for a second."""
    for _ in range(40):
        before = bot.frames_from(participant_id)[1 if audio else 0]
        await asyncio.sleep(1.0)
        if bot.frames_from(participant_id)[1 if audio else 0] == before:
            return
    raise AssertionError("frames kept coming")


async def test_the_host_mutes_everyone_and_janus_enforces_it(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana", auto_publish=True)
    guest = await joined(bots, created.join_url, "Ana", auto_publish=True)
    await host.wait_published()
    await guest.wait_published()
    guest_id = guest.participant_id
    assert guest_id is not None
    await host.wait_frames(guest_id, video=10, audio=20, timeout=15)
    assert await guest.channel.refused("moderate", action="mute-all") == "forbidden"
    done = await host.channel.request("moderate", action="mute-all")
    assert done["participants"] == [guest_id]
    await guest.wait_for("muted-by-host", lambda e: e["medium"] == "audio")
    await frames_stop(host, guest_id, audio=True)  # blocked in Janus, not just in the UI
    await host.wait_frames(guest_id, video=10, timeout=10)  # the camera still flows
    await guest.mute(audio_muted=False)  # unmuting yourself lifts the block
    await host.wait_frames(guest_id, audio=20, timeout=10)
    await host.channel.request("moderate", action="stop-video", participant_id=guest_id)
    await frames_stop(host, guest_id, audio=False)
    await host.channel.request("moderate", action="ask-unmute", participant_id=guest_id)
    await guest.wait_for("unmute-request", lambda e: e["by"] == "Hana")


async def test_publishing_again_does_not_lift_the_hosts_mute(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana", auto_publish=True)
    guest = await joined(bots, created.join_url, "Ana", auto_publish=True)
    await guest.wait_published()
    guest_id = guest.participant_id
    assert guest_id is not None
    await host.wait_frames(guest_id, audio=20, timeout=15)
    await host.channel.request("moderate", action="mute", participant_id=guest_id)
    await frames_stop(host, guest_id, audio=True)
    # A client that ignores the mute publishes its camera and microphone anew.
    old_watches = len(host.received_from(guest_id))
    new_feed = await guest.publish("camera", audio=True, video=True)
    await host.wait_for("feed-added", lambda e: e["feed"]["feed"] == new_feed)
    await host.wait_frames(guest_id, video=30, timeout=15)  # the new feed flows...
    fresh = host.received_from(guest_id)[old_watches:]
    assert fresh and fresh[-1].video_frames > 0
    assert sum(watch.audio_frames for watch in fresh) == 0  # ...without its sound
    await guest.mute(audio_muted=False)  # unmuting yourself lifts the block, as before
    await host.wait_frames(guest_id, audio=20, timeout=10)


async def test_a_host_without_meeting_controls_cannot_moderate(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(view_host={"more_meeting_control": False})
    host = await joined(bots, created.start_url, "Hana")
    await joined(bots, created.join_url, "Ana")
    assert await host.channel.refused("moderate", action="mute-all") == "forbidden"


async def test_captions_by_the_host_or_the_captioner_they_name(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"isSupportCC": True})
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    await host.channel.request("caption", text="Good morning")
    await ana.wait_for("caption", lambda e: e["text"] == "Good morning" and e["name"] == "Hana")
    assert await ana.channel.refused("caption", text="me too") == "forbidden"
    assert ana.participant_id is not None
    await host.channel.request("captioner", participant_id=ana.participant_id)
    await ana.wait_for("captioner", lambda e: e["participant_id"] == ana.participant_id)
    await ana.channel.request("caption", text="Typed by Ana")
    await host.wait_for("caption", lambda e: e["text"] == "Typed by Ana")
    late = await joined(bots, created.join_url, "Late")
    assert late.joined is not None
    assert late.joined["captioner"] == {"participant_id": ana.participant_id, "name": "Ana"}


async def test_a_role_without_captions_neither_types_nor_sees_them(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"isSupportCC": False})
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    assert ana.participant_id is not None
    # Ana's role has no captions.
    assert await host.channel.refused("captioner", participant_id=ana.participant_id) == "forbidden"
    await host.channel.request("caption", text="Only for those with captions")
    await ana.ping()
    assert not [e for e in ana.events if e["type"] == "caption"]
    assert await ana.channel.refused("caption", text="x") == "forbidden"


async def test_a_locked_meeting_keeps_newcomers_out_but_not_hosts(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    assert await ana.channel.refused("security", locked=True) == "forbidden"
    locked = await host.channel.request("security", locked=True)
    assert locked["locked"] is True
    await ana.wait_for("security", lambda e: e["locked"])
    late = Bot(created.join_url, name="Late", auto_publish=False)
    bots.append(late)
    with pytest.raises(Refused) as refused:
        await late.join()
    assert refused.value.code == "meeting-locked" and await late.wait_closed() == 4423
    cohost = await joined(bots, created.start_url, "Second host")
    assert cohost.joined is not None and cohost.joined["security"]["locked"] is True
    await host.channel.request("security", locked=False)
    await joined(bots, created.join_url, "Later")


async def test_a_removed_participant_is_out_and_their_browser_stays_out(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    troll = Bot(created.join_url, name="Troll", auto_publish=False)
    bots.append(troll)
    await troll.join(client_id="browser-of-the-troll")
    assert troll.participant_id is not None
    await host.channel.request("remove", participant_id=troll.participant_id)
    await troll.wait_for("removed", lambda e: e["by"] == "Hana")
    assert await troll.wait_closed() == 4409
    await host.wait_for("participant-left", lambda e: e["participant_id"] == troll.participant_id)
    again = Bot(created.join_url, name="Troll again", auto_publish=False)
    bots.append(again)
    with pytest.raises(Refused) as refused:
        await again.join(client_id="browser-of-the-troll")
    assert refused.value.code == "meeting-locked"


async def test_a_host_without_the_security_menu_cannot_lock_or_remove(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(view_host={"security_option": False})
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    assert ana.participant_id is not None
    for request, fields in (
        ("security", {"locked": True}),
        ("remove", {"participant_id": ana.participant_id}),
    ):
        assert await host.channel.refused(request, **fields) == "forbidden"


async def test_questions_are_asked_voted_answered_and_listed_for_late_joiners(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    first = (await ana.channel.request("ask", text="Will slides be shared?"))["question"]
    second = (await ben.channel.request("ask", text="Who am I?", anonymous=True))["question"]
    seen = await ana.wait_for("question", lambda e: e["question"]["text"] == "Who am I?")
    assert seen["question"]["name"] == "Anonymous"  # not even the host learns who asked
    await host.wait_for("question", lambda e: e["question"]["name"] == "Anonymous")
    voted = await ana.channel.request("vote", question_id=second["question_id"])
    assert voted["question"]["votes"] == 1 and voted["question"]["voted"] is True
    assert (
        await ana.channel.refused("question", question_id=first["question_id"], action="dismiss")
        == "forbidden"
    )
    answered = await host.channel.request(
        "question", question_id=first["question_id"], action="answer", text="Yes, by email"
    )
    assert answered["question"]["status"] == "answered"
    await host.channel.request("question", question_id=second["question_id"], action="dismiss")
    late = await joined(bots, created.join_url, "Late")
    assert late.joined is not None
    listed = [(q["text"], q["status"], q["votes"]) for q in late.joined["questions"]]
    assert listed == [
        ("Will slides be shared?", "answered", 0),
        ("Who am I?", "dismissed", 1),
    ]


async def test_a_role_without_q_and_a_cannot_ask_or_see(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting(participant={"isSupportQA": False})
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    assert await ana.channel.refused("ask", text="can I?") == "forbidden"
    await host.channel.request("ask", text="The host asks")
    await ana.ping()
    assert not [e for e in ana.events if e["type"] == "question"]


POLL = [
    {"text": "Which day?", "kind": "single", "options": ["Monday", "Friday"]},
    {"text": "Which snacks?", "kind": "multiple", "options": ["Fruit", "Cake", "Nuts"]},
]


async def test_a_poll_from_draft_to_shared_results(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana")
    ben = await joined(bots, created.join_url, "Ben")
    assert (
        await ana.channel.refused("poll", action="draft", title="Mine", questions=POLL)
        == "forbidden"
    )
    drafted = await host.channel.request("poll", action="draft", title="Team day", questions=POLL)
    poll_id = drafted["poll"]["poll_id"]
    assert not [e for e in ana.events if e["type"] == "poll"]  # drafts stay with the host
    await host.channel.request("poll", action="launch", poll_id=poll_id)
    await ana.wait_for("poll", lambda e: e["poll"]["status"] == "open")
    await ana.channel.request("poll", action="vote", poll_id=poll_id, answers=[[1], [0, 1]])
    live = await host.wait_for("poll-results", lambda e: e["results"]["voters"] == 1)
    assert live["results"]["counts"] == [[0, 1], [1, 1, 0]]
    # Once per participant.
    assert (
        await ana.channel.refused("poll", action="vote", poll_id=poll_id, answers=[[0], [2]])
        == "forbidden"
    )
    for answers in ([[0, 1], [0]], [[0]], [[0], []], [[5], [0]]):  # not valid ballots
        assert (
            await ben.channel.refused("poll", action="vote", poll_id=poll_id, answers=answers)
            == "bad-message"
        )
    assert not [e for e in ben.events if e["type"] == "poll-results"]  # results: host only
    final = await host.channel.request("poll", action="end", poll_id=poll_id)
    assert final["results"]["voters"] == 1
    await host.channel.request("poll", action="share", poll_id=poll_id)
    shared = await ben.wait_for("poll-results", lambda e: e.get("shared") is True)
    assert shared["results"]["counts"] == [[0, 1], [1, 1, 0]]


async def test_a_browser_votes_once_however_often_it_reconnects(
    meeting: MeetingFactory, bots: list[Bot]
) -> None:
    created = meeting()
    host = await joined(bots, created.start_url, "Hana")
    ana = await joined(bots, created.join_url, "Ana", "browser-of-ana")
    drafted = await host.channel.request("poll", action="draft", title="Day", questions=POLL)
    poll_id = drafted["poll"]["poll_id"]
    await host.channel.request("poll", action="launch", poll_id=poll_id)
    asked = await host.channel.request("ask", text="Snacks again?")
    question_id = asked["question"]["question_id"]
    await ana.wait_for("poll", lambda e: e["poll"]["status"] == "open")
    await ana.channel.request("poll", action="vote", poll_id=poll_id, answers=[[0], [1]])
    await ana.wait_for("question", lambda e: e["question"]["question_id"] == question_id)
    upvoted = await ana.channel.request("vote", question_id=question_id)
    assert upvoted["question"]["votes"] == 1
    await ana.close()

    again = await joined(bots, created.join_url, "Ana", "browser-of-ana")
    assert again.joined is not None
    (listed,) = again.joined["polls"]
    assert listed["voted"] is True  # the page shows no ballot again
    assert (
        await again.channel.refused("poll", action="vote", poll_id=poll_id, answers=[[1], [0]])
        == "forbidden"
    )
    (question,) = again.joined["questions"]
    assert question["voted"] is True and question["votes"] == 1
    taken_back = await again.channel.request("vote", question_id=question_id)
    assert taken_back["question"]["votes"] == 0  # the same person's vote, not a second one
    other = await joined(bots, created.join_url, "Ben", "browser-of-ben")
    assert other.joined is not None and other.joined["polls"][0]["voted"] is False
