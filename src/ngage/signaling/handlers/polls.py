"""Polls: the host drafts and launches; everyone with polls votes once; the host sees live
results, ends the poll and may share the results. An ended poll goes into the meeting
log (a recording running then gets a POLL file).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from ngage.errors import BadRequest, NotFound, NotPermitted
from ngage.meetings.rights import check_polls
from ngage.signaling import messages
from ngage.signaling.messages import Poll
from ngage.signaling.participant import Participant

POLLS = "polls"


def public(poll: dict[str, Any]) -> dict[str, Any]:
    """What voters see: the questions, not the results."""
    return {key: poll[key] for key in ("poll_id", "title", "questions", "status")}


def results(poll: dict[str, Any]) -> dict[str, Any]:
    """Votes per option of each question, and how many people voted."""
    counts = [[0] * len(q["options"]) for q in poll["questions"]]
    for answers in poll["ballots"].values():
        for question, chosen in enumerate(answers):
            for option in chosen:
                counts[question][option] += 1
    return {**public(poll), "voters": len(poll["ballots"]), "counts": counts}


def check_ballot(poll: dict[str, Any], answers: list[list[int]] | None) -> list[list[int]]:
    """The ballot, if it answers every question as the question allows; else BadRequest."""
    questions = poll["questions"]
    if answers is None or len(answers) != len(questions):
        raise BadRequest(["answer every question of the poll"])
    for question, chosen in zip(questions, answers, strict=True):
        valid = len(set(chosen)) == len(chosen) and all(
            0 <= option < len(question["options"]) for option in chosen
        )
        allowed = len(chosen) == 1 if question["kind"] == "single" else len(chosen) >= 1
        if not (valid and allowed):
            raise BadRequest([f"not a valid answer to {question['text']!r}"])
    return [sorted(chosen) for chosen in answers]


async def _polls(participant: Participant) -> dict[str, dict[str, Any]]:
    stored = await participant.context.hub.setting(participant.meeting_id, POLLS)
    return dict(stored or {})


async def _store(participant: Participant, polls: dict[str, dict[str, Any]]) -> None:
    await participant.context.hub.set_setting(participant.meeting_id, POLLS, polls)


async def _to_hosts(participant: Participant, message: dict[str, Any]) -> None:
    hub = participant.context.hub
    for member in await hub.members(participant.meeting_id):
        if member.hosting and member.participant_id != participant.participant_id:
            await hub.send_to(participant.meeting_id, member.participant_id, message)


def _host_only(participant: Participant) -> None:
    if not participant.member.hosting:
        raise NotPermitted("only a host or co-host runs polls")


def _find(polls: dict[str, dict[str, Any]], poll_id: str | None) -> dict[str, Any]:
    if poll_id is None or poll_id not in polls:
        raise NotFound("no such poll")
    return polls[poll_id]


async def draft(participant: Participant, message: Poll) -> None:
    _host_only(participant)
    if not message.title or not message.questions:
        raise BadRequest(["a poll needs a title and questions"])
    polls = await _polls(participant)
    poll_id = "poll-" + secrets.token_urlsafe(6)
    questions = [q.model_dump() for q in message.questions]
    polls[poll_id] = {"poll_id": poll_id, "title": message.title, "questions": questions,
                      "status": "draft", "ballots": {}}  # fmt: skip
    await _store(participant, polls)
    participant.send(messages.message("poll", message.id, poll=public(polls[poll_id])))


async def launch(participant: Participant, message: Poll) -> None:
    _host_only(participant)
    polls = await _polls(participant)
    poll = {**_find(polls, message.poll_id), "status": "open"}
    polls[poll["poll_id"]] = poll
    await _store(participant, polls)
    shown = messages.message("poll", poll=public(poll))
    await participant.announce(shown, message.id)


async def vote(participant: Participant, message: Poll) -> None:
    polls = await _polls(participant)
    poll = _find(polls, message.poll_id)
    if poll["status"] != "open":
        raise NotPermitted("this poll is not open")
    if participant.person in poll["ballots"]:
        raise NotPermitted("you have voted in this poll already")
    ballot = check_ballot(poll, message.answers)
    poll = {**poll, "ballots": {**poll["ballots"], participant.person: ballot}}
    polls[poll["poll_id"]] = poll
    await _store(participant, polls)
    participant.send(messages.message("poll-voted", message.id, poll_id=poll["poll_id"]))
    await _to_hosts(participant, messages.message("poll-results", results=results(poll)))


async def end(participant: Participant, message: Poll) -> None:
    _host_only(participant)
    polls = await _polls(participant)
    poll = {**_find(polls, message.poll_id), "status": "ended"}
    polls[poll["poll_id"]] = poll
    await _store(participant, polls)
    final = results(poll)
    participant.context.events.record(participant.meeting_id, "poll", participant.participant_id,
                                      poll=final)  # fmt: skip
    participant.send(messages.message("poll-results", message.id, results=final))
    await participant.broadcast(messages.message("poll", poll=public(poll)))


async def share(participant: Participant, message: Poll) -> None:
    _host_only(participant)
    poll = _find(await _polls(participant), message.poll_id)
    shown = messages.message("poll-results", results=results(poll), shared=True)
    await participant.announce(shown, message.id)


ACTIONS: dict[str, Callable[[Participant, Poll], Awaitable[None]]] = {
    "draft": draft,
    "launch": launch,
    "vote": vote,
    "end": end,
    "share": share,
}


async def poll(participant: Participant, message: Poll) -> None:
    check_polls(participant.rights)
    await ACTIONS[message.action](participant, message)


async def listing(participant: Participant) -> list[dict[str, Any]]:
    """Polls a newcomer should see: the open and ended ones (drafts too, for hosts)."""
    polls = (await _polls(participant)).values()
    host = participant.member.hosting
    shown = [p for p in polls if p["status"] != "draft" or host]
    return [{**public(p), "voted": participant.person in p["ballots"]} for p in shown]
