"""Q&A: participants ask (maybe anonymously) and upvote; the host answers, marks, dismisses.

The questions live in the meeting's shared state, so late joiners see them all.
Everyone with Q&A sees the list sorted by votes.
"""

from __future__ import annotations

import secrets
from typing import Any

from ngage.errors import NotFound, NotPermitted
from ngage.meetings.rights import check_questions
from ngage.signaling import messages
from ngage.signaling.messages import Ask, QuestionAction, Vote
from ngage.signaling.participant import Participant

QUESTIONS = "questions"
ANONYMOUS = "Anonymous"


def public(question: dict[str, Any], viewer: str) -> dict[str, Any]:
    """What a participant sees of a question (never who asked an anonymous one)."""
    shown = {key: question[key] for key in ("question_id", "text", "name", "status", "answer")}
    shown["votes"] = len(question["voters"])
    shown["voted"] = viewer in question["voters"]
    shown["mine"] = question["author"] == viewer
    return shown


def ranked(questions: dict[str, dict[str, Any]], viewer: str) -> list[dict[str, Any]]:
    """Open questions first, most votes first, oldest first among equals."""
    order = sorted(
        questions.values(),
        key=lambda q: (q["status"] == "dismissed", -len(q["voters"]), q["asked"]),
    )
    return [public(question, viewer) for question in order]


async def listing(participant: Participant) -> list[dict[str, Any]]:
    questions = await participant.context.hub.setting(participant.meeting_id, QUESTIONS) or {}
    return ranked(questions, participant.person)


async def _questions(participant: Participant) -> dict[str, dict[str, Any]]:
    stored: dict[str, dict[str, Any]] = (
        await participant.context.hub.setting(participant.meeting_id, QUESTIONS) or {}
    )
    return dict(stored)


async def _save(
    participant: Participant, questions: dict[str, dict[str, Any]], key: str, re: str | None
) -> None:
    await participant.context.hub.set_setting(participant.meeting_id, QUESTIONS, questions)
    question = questions[key]
    mine = messages.message("question", re, question=public(question, participant.person))
    participant.send(mine)
    # Everyone else gets it without "voted"/"mine" of the sender; clients keep their own.
    others = public(question, "")
    await participant.broadcast(messages.message("question", question=others))


async def ask(participant: Participant, message: Ask) -> None:
    check_questions(participant.rights)
    questions = await _questions(participant)
    key = "q-" + secrets.token_urlsafe(6)
    questions[key] = {
        "question_id": key,
        "text": message.text,
        "name": ANONYMOUS if message.anonymous else participant.member.name,
        "author": participant.person,
        "status": "open",
        "answer": None,
        "voters": [],
        "asked": len(questions),
    }
    await _save(participant, questions, key, message.id)


async def vote(participant: Participant, message: Vote) -> None:
    """Upvote a question, or take the vote back (one vote per person: `Participant.person`)."""
    check_questions(participant.rights)
    questions = await _questions(participant)
    question = _find(questions, message.question_id)
    voters = list(question["voters"])
    me = participant.person
    question = {
        **question,
        "voters": [v for v in voters if v != me] if me in voters else voters + [me],
    }
    questions[message.question_id] = question
    await _save(participant, questions, message.question_id, message.id)


async def host_action(participant: Participant, message: QuestionAction) -> None:
    check_questions(participant.rights)
    if not participant.member.hosting:
        raise NotPermitted("only a host or co-host answers or dismisses questions")
    questions = await _questions(participant)
    question = dict(_find(questions, message.question_id))
    if message.action == "dismiss":
        question["status"] = "dismissed"
    else:
        question["status"] = "answered"
        if message.action == "answer" and message.text:
            question["answer"] = message.text
    questions[message.question_id] = question
    await _save(participant, questions, message.question_id, message.id)


def _find(questions: dict[str, dict[str, Any]], question_id: str) -> dict[str, Any]:
    if question_id not in questions:
        raise NotFound("no such question")
    return questions[question_id]
