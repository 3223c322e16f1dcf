"""Collaboration in Debian's Chromium: raised hands and reactions, host controls (mute,
stop video, ask to unmute, lock, remove), closed captions, Q&A and polls, each shown only
when the role's flags allow it.

Runs in the media network namespace (scripts/netns) against `ngage serve` with its Janus.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import Screenshot, expect_refused
from tests.e2e.pages import SECONDS, enter, open_page, row, state, tile, wait_state
from tests.medianet import MeetingFactory


async def pair(browser: Browser, meeting: MeetingFactory, **flags: Any) -> tuple[Page, Page, str]:
    """A host (Hana) and a guest (Gus) in a new meeting; returns them and the guest's id."""
    return await pair_in(browser, meeting(**flags))


async def pair_in(browser: Browser, links: Any) -> tuple[Page, Page, str]:
    """A host (Hana) and a guest (Gus) in the meeting of `links`."""
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    for page in (host, guest):
        await wait_state(page, "s.participants.length === 2")
    guest_id: str = (await state(guest))["participantId"]
    return host, guest, guest_id


# --- 1. raised hands and reactions ----------------------------------------------------------


async def test_a_raised_hand_and_a_reaction_reach_everyone(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host, guest, guest_id = await pair(browser, meeting, topic="Hands")
    await expect(host.get_by_test_id("tile-hand")).to_have_count(0)

    await guest.get_by_test_id("hand-toggle").click()
    await expect(guest.get_by_test_id("hand-toggle")).to_have_attribute("aria-pressed", "true")
    await expect(tile(host, guest_id).get_by_test_id("tile-hand")).to_have_count(1)
    await expect(tile(guest, guest_id).get_by_test_id("tile-hand")).to_have_count(1)
    assert (await state(guest))["handRaised"] is True
    host_view = await state(host)
    assert [
        p["hand_raised"] for p in host_view["participants"] if p["participant_id"] == guest_id
    ] == [True]
    await host.get_by_test_id("participants-toggle").click()
    await expect(row(host, guest_id).get_by_test_id("person-hand")).to_have_count(1)

    await guest.get_by_test_id("reactions-toggle").click()
    await expect(guest.get_by_test_id("reactions-menu")).to_be_visible()
    for index in range(6):
        await expect(guest.get_by_test_id(f"reaction-{index}")).to_be_visible()
    await guest.get_by_test_id("reaction-1").click()
    reaction = tile(host, guest_id).get_by_test_id("tile-reaction")
    await expect(reaction).to_have_text("👏")
    await expect(tile(guest, guest_id).get_by_test_id("tile-reaction")).to_have_count(1)
    await screenshot(host, "hand-and-reaction")
    # The reaction passes after about three seconds; the hand stays until lowered.
    await expect(reaction).to_have_count(0, timeout=6 * SECONDS)
    await expect(tile(host, guest_id).get_by_test_id("tile-hand")).to_have_count(1)

    await guest.get_by_test_id("hand-toggle").click()
    await expect(tile(host, guest_id).get_by_test_id("tile-hand")).to_have_count(0)
    await expect(row(host, guest_id).get_by_test_id("person-hand")).to_have_count(0)
    # The guest's own copy (the reply) may come a moment after the host's.
    await wait_state(guest, "s.handRaised === false")


# --- 2. host controls -----------------------------------------------------------------------


async def test_the_host_mutes_stops_video_and_asks_to_unmute(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host, guest, guest_id = await pair(browser, meeting, topic="Moderation")
    await wait_state(guest, "!s.audioMuted && !s.videoMuted")
    await host.get_by_test_id("participants-toggle").click()
    guest_row = row(host, guest_id)
    # Only the other participant gets the host's buttons, and the participant gets none.
    await expect(host.get_by_test_id("mute-all")).to_have_count(1)
    await expect(host.get_by_test_id("participant-mute")).to_have_count(1)
    await expect(host.get_by_test_id("participant-stop-video")).to_have_count(1)
    await screenshot(host, "host-controls")
    await guest.get_by_test_id("participants-toggle").click()
    await expect(guest.get_by_test_id("participants-panel")).to_be_visible()
    for testid in ("mute-all", "participant-mute", "participant-stop-video", "participant-remove"):
        await expect(guest.get_by_test_id(testid)).to_have_count(0)

    await guest_row.get_by_test_id("participant-mute").click()
    await wait_state(guest, "s.audioMuted")
    await expect(guest.get_by_test_id("mic-toggle")).to_have_attribute("aria-pressed", "true")
    await expect(
        guest.get_by_test_id("toast").filter(has_text="Hana Host muted you")
    ).to_have_count(1)
    enabled = await guest.evaluate(
        "() => document.querySelector('[data-testid=tile][data-local=true] video')"
        ".srcObject.getAudioTracks().some(t => t.enabled)"
    )
    assert enabled is False
    await expect(guest_row).to_have_attribute("data-audio-muted", "true")

    # Asking to unmute shows a prompt; staying muted changes nothing.
    await guest_row.get_by_test_id("participant-ask-unmute").click()
    prompt = guest.get_by_test_id("unmute-prompt")
    await expect(prompt).to_be_visible()
    await screenshot(guest, "unmute-prompt")
    await guest.get_by_test_id("unmute-stay").click()
    await expect(prompt).to_have_count(0)
    await guest.wait_for_timeout(500)
    assert (await state(guest))["audioMuted"] is True
    await guest_row.get_by_test_id("participant-ask-unmute").click()
    await guest.get_by_test_id("unmute-accept").click()
    await wait_state(guest, "!s.audioMuted")
    await expect(guest_row).to_have_attribute("data-audio-muted", "false")

    await guest_row.get_by_test_id("participant-stop-video").click()
    await wait_state(guest, "s.videoMuted")
    await expect(guest.get_by_test_id("camera-toggle")).to_have_attribute("aria-pressed", "true")
    await expect(
        guest.get_by_test_id("toast").filter(has_text="Hana Host stopped your video")
    ).to_have_count(1)

    await host.get_by_test_id("mute-all").click()
    await wait_state(guest, "s.audioMuted")


async def test_the_host_locks_the_meeting_and_removes_someone(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Security")
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_state(host, "s.participants.length === 2")
    guest_id: str = (await state(guest))["participantId"]
    await expect(host.get_by_test_id("locked-badge")).to_have_count(0)

    await host.get_by_test_id("security-toggle").click()
    await host.get_by_test_id("lock-toggle").check()
    for page in (host, guest):
        await expect(page.get_by_test_id("locked-badge")).to_be_visible()
        await wait_state(page, "s.locked")
    await screenshot(guest, "locked")
    # Somebody new is turned away with a clear message, and stays away.
    late = await open_page(browser, links.join_url)
    await late.get_by_test_id("prejoin-name").fill("Lou Late")
    await late.get_by_test_id("join-button").click()
    await expect(late.get_by_test_id("locked-banner")).to_be_visible(timeout=15 * SECONDS)
    await expect(late.get_by_test_id("locked-banner")).to_have_text("This meeting is locked")
    await screenshot(late, "locked-out")
    await late.wait_for_timeout(1500)
    await expect(late.get_by_test_id("reconnecting")).to_have_count(0)
    assert (await state(late))["phase"] == "rejected"

    await host.keyboard.press("Escape")
    await host.get_by_test_id("security-toggle").click()
    await host.get_by_test_id("lock-toggle").uncheck()
    for page in (host, guest):
        await expect(page.get_by_test_id("locked-badge")).to_have_count(0)
    await host.keyboard.press("Escape")

    await host.get_by_test_id("participants-toggle").click()
    await row(host, guest_id).get_by_test_id("participant-remove").click()
    await expect(host.get_by_test_id("remove-dialog")).to_be_visible()
    await host.get_by_test_id("remove-confirm").click()
    await expect(guest.get_by_test_id("removed-banner")).to_be_visible()
    await screenshot(guest, "removed")
    await wait_state(host, "s.participants.length === 1")
    await guest.wait_for_timeout(1500)
    assert (await state(guest))["phase"] == "rejected"
    await expect(guest.get_by_test_id("reconnecting")).to_have_count(0)
    # The same browser cannot come back, even with the meeting unlocked.
    await guest.reload()
    await guest.get_by_test_id("join-button").click()
    await expect(guest.get_by_test_id("locked-banner")).to_have_text(
        "You were removed from this meeting"
    )
    assert (await state(host))["participants"][0]["name"] == "Hana Host"


async def test_host_controls_are_absent_without_their_flags(
    browser: Browser, meeting: MeetingFactory
) -> None:
    links = meeting(
        topic="No host controls",
        view_host={"more_meeting_control": False, "security_option": False},
    )
    host, guest, guest_id = await pair_in(browser, links)
    await host.get_by_test_id("participants-toggle").click()
    await expect(row(host, guest_id)).to_be_visible()
    for testid in (
        "mute-all",
        "participant-mute",
        "participant-stop-video",
        "participant-ask-unmute",
    ):
        await expect(host.get_by_test_id(testid)).to_have_count(0)
    await expect(host.get_by_test_id("participant-remove")).to_have_count(0)
    await expect(host.get_by_test_id("security-toggle")).to_have_count(0)
    # Hands and reactions are for everyone.
    await expect(guest.get_by_test_id("hand-toggle")).to_have_count(1)
    await expect(guest.get_by_test_id("reactions-toggle")).to_have_count(1)
    # A host page that sends them anyway is refused, and the guest is untouched.
    await expect_refused(
        links.start_url,
        ("moderate", {"action": "mute-all"}),
        ("moderate", {"action": "stop-video", "participant_id": guest_id}),
        ("cohost", {"participant_id": guest_id, "cohost": True}),
        ("security", {"locked": True}),
        ("remove", {"participant_id": guest_id}),
    )
    guest_state = await state(guest)
    assert guest_state["phase"] == "live"
    assert guest_state["audioMuted"] is False
    assert (await state(host))["locked"] is False


async def test_security_without_more_control_gives_lock_and_remove_only(
    browser: Browser, meeting: MeetingFactory
) -> None:
    links = meeting(topic="Lock only", view_host={"more_meeting_control": False})
    host, _guest, guest_id = await pair_in(browser, links)
    await host.get_by_test_id("participants-toggle").click()
    await expect(row(host, guest_id).get_by_test_id("participant-remove")).to_have_count(1)
    await expect(host.get_by_test_id("participant-mute")).to_have_count(0)
    await expect(host.get_by_test_id("mute-all")).to_have_count(0)
    await host.get_by_test_id("security-toggle").click()
    await expect(host.get_by_test_id("lock-toggle")).to_have_count(1)
    await expect_refused(links.start_url, ("moderate", {"action": "mute-all"}))


# --- 3. closed captions ---------------------------------------------------------------------


async def test_the_host_and_a_named_captioner_type_captions(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host, guest, guest_id = await pair(browser, meeting, topic="Captions")
    await expect(guest.get_by_test_id("caption-input")).to_have_count(0)
    # Participants see captions from the start; the host turns them on to type.
    await expect(guest.get_by_test_id("cc-toggle")).to_have_attribute("aria-pressed", "true")
    await expect(host.get_by_test_id("caption-input")).to_have_count(0)
    await host.get_by_test_id("cc-toggle").click()
    box = host.get_by_test_id("caption-input")
    await box.fill("Welcome everyone")
    await box.press("Enter")
    await expect(box).to_have_value("")
    line = guest.get_by_test_id("captions").get_by_test_id("caption-line")
    await expect(line).to_have_text("Hana Host: Welcome everyone")
    await expect(line).to_have_attribute("data-faded", "false")
    await screenshot(guest, "caption")
    # The latest caption fades after about six seconds.
    await expect(line).to_have_attribute("data-faded", "true", timeout=9 * SECONDS)

    await guest.get_by_test_id("cc-toggle").click()
    await expect(guest.get_by_test_id("captions")).to_have_count(0)
    await expect(guest.get_by_test_id("cc-toggle")).to_have_attribute("aria-pressed", "false")
    await guest.get_by_test_id("cc-toggle").click()
    await expect(guest.get_by_test_id("captions")).to_have_count(1)

    await host.get_by_test_id("participants-toggle").click()
    await row(host, guest_id).get_by_test_id("participant-captioner").click()
    guest_box = guest.get_by_test_id("caption-input")
    await expect(guest_box).to_be_visible()
    await wait_state(host, f"s.captions.captioner && s.captions.captioner.id === {guest_id!r}")
    await guest_box.fill("Typed by Gus")
    await guest_box.press("Enter")
    await expect(host.get_by_test_id("caption-line")).to_have_text("Gus Guest: Typed by Gus")
    await screenshot(host, "captioner")
    texts = [c["text"] for c in (await state(host))["captions"]["list"]]
    assert texts == ["Welcome everyone", "Typed by Gus"]

    await host.get_by_test_id("captioner-self").click()
    await expect(guest.get_by_test_id("caption-input")).to_have_count(0)
    await expect(host.get_by_test_id("caption-input")).to_have_count(1)
    assert (await state(guest))["captions"]["captioner"] is None


async def test_captions_are_absent_without_the_flag(
    browser: Browser, meeting: MeetingFactory
) -> None:
    links = meeting(
        topic="No captions", host={"isSupportCC": False}, participant={"isSupportCC": False}
    )
    host, guest, guest_id = await pair_in(browser, links)
    for page in (host, guest):
        await expect(page.get_by_test_id("cc-toggle")).to_have_count(0)
        await expect(page.get_by_test_id("captions")).to_have_count(0)
        await expect(page.get_by_test_id("caption-input")).to_have_count(0)
    await host.get_by_test_id("participants-toggle").click()
    await expect(host.get_by_test_id("participants-panel")).to_be_visible()
    await expect(host.get_by_test_id("participant-captioner")).to_have_count(0)
    await expect_refused(
        links.start_url,
        ("caption", {"text": "forced caption"}),
        ("captioner", {"participant_id": guest_id}),
    )
    await expect_refused(links.join_url, ("caption", {"text": "forced caption"}))
    for page in (host, guest):
        captions = (await state(page))["captions"]
        assert captions["list"] == [] and captions["captioner"] is None


# --- 4. Q&A ---------------------------------------------------------------------------------


def question(page: Page, text: str) -> Any:
    return page.get_by_test_id("qa-question").filter(has_text=text)


async def ask(page: Page, text: str, *, anonymous: bool = False) -> None:
    if anonymous:
        await page.get_by_test_id("qa-anonymous").check()
    box = page.get_by_test_id("qa-input")
    await box.fill(text)
    await page.get_by_test_id("qa-ask").click()
    await expect(box).to_have_value("")


async def test_questions_are_asked_voted_answered_and_dismissed(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host, guest, _guest_id = await pair(browser, meeting, topic="Q&A")
    await guest.get_by_test_id("qa-toggle").click()
    await expect(guest.get_by_test_id("qa-panel")).to_be_visible()
    await ask(guest, "When is the next release?")
    await ask(guest, "Who wrote this?", anonymous=True)
    # The host's panel is closed: the badge counts the new questions.
    await expect(host.get_by_test_id("qa-unread")).to_have_text("2")
    await host.get_by_test_id("qa-toggle").click()
    await expect(host.get_by_test_id("qa-unread")).to_have_count(0)
    await expect(question(host, "Who wrote this?")).to_contain_text("Anonymous")
    await expect(question(host, "When is the next release?")).to_contain_text("Gus Guest")
    await expect(guest.get_by_test_id("qa-answer")).to_have_count(0)
    await expect(guest.get_by_test_id("qa-dismiss")).to_have_count(0)

    # A vote moves the second question to the top, for everyone.
    await question(host, "Who wrote this?").get_by_test_id("qa-vote").click()
    await expect(question(guest, "Who wrote this?").get_by_test_id("qa-votes")).to_have_text("1")
    await expect(host.get_by_test_id("qa-question").first).to_contain_text("Who wrote this?")
    await expect(guest.get_by_test_id("qa-question").first).to_contain_text("Who wrote this?")
    await expect(question(host, "Who wrote this?").get_by_test_id("qa-vote")).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(question(guest, "Who wrote this?").get_by_test_id("qa-vote")).to_have_attribute(
        "aria-pressed", "false"
    )
    await question(guest, "When is the next release?").get_by_test_id("qa-vote").click()
    await question(host, "When is the next release?").get_by_test_id("qa-vote").click()
    await expect(guest.get_by_test_id("qa-question").first).to_contain_text(
        "When is the next release?"
    )
    snapshot = await state(guest)
    assert [q["votes"] for q in snapshot["questions"]] == [2, 1]
    assert [q["mine"] for q in snapshot["questions"]] == [True, True]

    answer = question(host, "When is the next release?").get_by_test_id("qa-answer")
    await answer.fill("Next Tuesday")
    await answer.press("Enter")
    await expect(
        question(guest, "When is the next release?").get_by_test_id("qa-answer-text")
    ).to_have_text("Next Tuesday")
    await expect(question(guest, "When is the next release?")).to_have_attribute(
        "data-status", "answered"
    )
    await screenshot(guest, "qa")
    await question(host, "Who wrote this?").get_by_test_id("qa-dismiss").click()
    await expect(question(host, "Who wrote this?")).to_have_attribute("data-status", "dismissed")
    # The asker still sees their own dismissed question, marked.
    await expect(question(guest, "Who wrote this?")).to_have_attribute("data-status", "dismissed")
    await screenshot(host, "qa-host")


async def test_a_late_joiner_sees_the_questions_and_qa_is_absent_without_the_flag(
    browser: Browser, meeting: MeetingFactory
) -> None:
    links = meeting(topic="Q&A flag", participant={"isSupportQA": False})
    host = await enter(browser, links.start_url, "Hana Host")
    await host.get_by_test_id("qa-toggle").click()
    await ask(host, "Anyone there?")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_state(guest, "s.participants.length === 2")
    await expect(guest.get_by_test_id("qa-toggle")).to_have_count(0)
    assert (await state(guest))["questions"] == []
    await wait_state(host, "s.questions.length === 1")
    asked = (await state(host))["questions"]
    await expect_refused(
        links.join_url,
        ("ask", {"text": "Forced question"}),
        ("vote", {"question_id": asked[0]["question_id"]}),
    )
    late = await enter(browser, links.start_url, "Second Host")
    await late.get_by_test_id("qa-toggle").click()
    await expect(question(late, "Anyone there?")).to_have_count(1)
    await expect(late.get_by_test_id("qa-question")).to_have_count(1)  # not the forced one
    assert [q["votes"] for q in (await state(late))["questions"]] == [asked[0]["votes"]]


# --- 5. polls -------------------------------------------------------------------------------


async def draft_poll(host: Page) -> None:
    """Drafts "Lunch": one single-choice question (3 options), one multiple-choice one."""
    await host.get_by_test_id("poll-title").fill("Lunch")
    await host.get_by_test_id("poll-question").nth(0).fill("Where?")
    await host.get_by_test_id("poll-add-option").nth(0).click()
    for index, text in enumerate(["Cafe", "Park", "Office"]):
        await host.get_by_test_id("poll-option").nth(index).fill(text)
    await host.get_by_test_id("poll-add-question").click()
    await host.get_by_test_id("poll-question").nth(1).fill("What?")
    await host.get_by_test_id("poll-kind").nth(1).select_option("multiple")
    await host.get_by_test_id("poll-option").nth(3).fill("Soup")
    await host.get_by_test_id("poll-option").nth(4).fill("Salad")
    await host.get_by_test_id("poll-draft").click()
    await expect(host.get_by_test_id("poll-item")).to_have_attribute("data-status", "draft")
    await expect(host.get_by_test_id("poll-title")).to_have_value("")


async def test_the_host_runs_a_poll_and_shares_its_results(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host, guest, _guest_id = await pair(browser, meeting, topic="Polls")
    await expect(guest.get_by_test_id("polls-toggle")).to_have_count(0)
    await host.get_by_test_id("polls-toggle").click()
    await expect(host.get_by_test_id("polls-panel")).to_be_visible()
    await draft_poll(host)
    await screenshot(host, "poll-draft")
    await expect(guest.get_by_test_id("poll-card")).to_have_count(0)

    await host.get_by_test_id("poll-launch").click()
    card = guest.get_by_test_id("poll-card")
    await expect(card).to_be_visible()
    await expect(host.get_by_test_id("poll-item")).to_have_attribute("data-status", "open")
    await expect(host.get_by_test_id("poll-card")).to_have_count(0)
    choices = card.get_by_test_id("poll-choice")
    await expect(choices).to_have_count(5)
    await expect(choices.nth(0)).to_have_attribute("type", "radio")
    await expect(choices.nth(3)).to_have_attribute("type", "checkbox")
    await choices.nth(1).check()
    await choices.nth(3).check()
    await choices.nth(4).check()
    await screenshot(guest, "poll-card")
    await card.get_by_test_id("poll-submit").click()
    await expect(card.get_by_test_id("poll-thanks")).to_be_visible()
    await wait_state(guest, "s.polls[0].voted")

    # The host sees live results, ends the poll and shares them.
    results = host.get_by_test_id("poll-item").get_by_test_id("poll-results")
    await expect(results).to_have_attribute("data-voters", "1")
    counts = await results.get_by_test_id("poll-bar").evaluate_all(
        "bars => bars.map(b => b.dataset.count)"
    )
    assert counts == ["0", "1", "0", "1", "1"]
    await host.get_by_test_id("poll-end").click()
    await expect(host.get_by_test_id("poll-item")).to_have_attribute("data-status", "ended")
    await expect(guest.get_by_test_id("poll-card")).to_have_count(0)
    await host.get_by_test_id("poll-share").click()
    shared = guest.get_by_test_id("poll-shared")
    await expect(shared.get_by_test_id("poll-results")).to_have_attribute("data-voters", "1")
    await expect(shared).to_contain_text("Park")
    await screenshot(guest, "poll-shared")
    await screenshot(host, "poll-host")
    snapshot = (await state(guest))["polls"][0]
    assert snapshot["status"] == "ended" and snapshot["shared"] is True
    assert snapshot["results"]["counts"] == [[0, 1, 0], [1, 1]]


async def test_polls_are_absent_without_the_flag(browser: Browser, meeting: MeetingFactory) -> None:
    links = meeting(
        topic="No polls", host={"isSupportPolling": False}, participant={"isSupportPolling": False}
    )
    host, guest, _guest_id = await pair_in(browser, links)
    for page in (host, guest):
        await expect(page.get_by_test_id("polls-toggle")).to_have_count(0)
        await expect(page.get_by_test_id("poll-card")).to_have_count(0)
    assert (await state(guest))["polls"] == []
    forced_poll = [{"text": "Forced?", "kind": "single", "options": ["Yes", "No"]}]
    await expect_refused(
        links.start_url, ("poll", {"action": "draft", "title": "Forced", "questions": forced_poll})
    )
    await expect_refused(
        links.join_url, ("poll", {"action": "vote", "poll_id": "p-1", "answers": [[0]]})
    )
    for page in (host, guest):
        assert (await state(page))["polls"] == []
