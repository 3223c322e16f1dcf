"""Pure rules of the collaboration features: SDP mids, poll ballots and results, Q&A order."""

from __future__ import annotations

from typing import Any

import pytest

from ngage.errors import BadRequest
from ngage.signaling.handlers.polls import check_ballot, results
from ngage.signaling.handlers.questions import ranked
from ngage.signaling.sdp import sent_mids

POLL: dict[str, Any] = {
    "poll_id": "poll-1",
    "title": "Team day",
    "status": "open",
    "questions": [
        {"text": "Which day?", "kind": "single", "options": ["Mon", "Fri"]},
        {"text": "Snacks?", "kind": "multiple", "options": ["Fruit", "Cake", "Nuts"]},
    ],
    "ballots": {"p-1": [[1], [0, 2]], "p-2": [[1], [2]]},
}


def test_mids_of_the_sending_sections() -> None:
    sdp = (
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\n"
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendonly\r\n"
        "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\n"
    )
    assert sent_mids(sdp) == {"audio": "0", "video": "1"}


def test_results_count_every_ballot() -> None:
    counted = results(POLL)
    assert counted["voters"] == 2 and counted["counts"] == [[0, 2], [1, 0, 2]]
    assert "ballots" not in counted  # who voted what stays on the server


@pytest.mark.parametrize(
    "answers", [None, [[0]], [[0, 1], [0]], [[0], []], [[2], [0]], [[0], [1, 1]], [[-1], [0]]]
)
def test_ballots_must_answer_each_question_as_it_allows(answers: Any) -> None:
    with pytest.raises(BadRequest):
        check_ballot(POLL, answers)


def test_a_valid_ballot_is_kept_sorted() -> None:
    assert check_ballot(POLL, [[0], [2, 0]]) == [[0], [0, 2]]


def question(key: str, voters: list[str], status: str = "open", asked: int = 0) -> dict[str, Any]:
    return {"question_id": key, "text": key, "name": "Ana", "author": "p-a", "status": status,
            "answer": None, "voters": voters, "asked": asked}  # fmt: skip


def test_questions_rank_by_votes_with_dismissed_last() -> None:
    questions = {
        "a": question("a", ["p-1"], asked=0),
        "b": question("b", ["p-1", "p-2"], asked=1),
        "c": question("c", ["p-1", "p-2", "p-3"], status="dismissed", asked=2),
        "d": question("d", ["p-2"], asked=3),
    }
    shown = ranked(questions, viewer="p-2")
    assert [q["question_id"] for q in shown] == ["b", "a", "d", "c"]  # ties: oldest first
    assert shown[0]["voted"] is True and shown[1]["voted"] is False
    assert all("voters" not in q and "author" not in q for q in shown)  # counts, not names
