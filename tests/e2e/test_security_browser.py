"""The host's security in Debian's Chromium: the waiting room, participants' permissions,
renaming and co-hosts, each shown only to a role that may use it, and refused by the server
when a client forces it over the WebSocket.

Runs in the media network namespace (scripts/netns) against `ngage serve` with its Janus.
"""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.bots import Bot
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import SECONDS, enter, open_page, row, state, wait_state
from tests.e2e.test_collaboration_browser import pair
from tests.medianet import MeetingFactory


async def knock(browser: Browser, url: str, name: str) -> Page:
    """Opens a join link with the waiting room on: the page waits to be let in."""
    page = await open_page(browser, url)
    await page.get_by_test_id("prejoin-name").fill(name)
    await page.get_by_test_id("join-button").click()
    await expect(page.get_by_test_id("waiting-banner")).to_contain_text(
        "the host will let you in soon", timeout=15 * SECONDS
    )
    return page


async def switch(host: Page, testid: str, on: bool) -> None:
    """Flips one switch of the Security menu and closes the menu."""
    await host.get_by_test_id("security-toggle").click()
    control = host.get_by_test_id(testid)
    await (control.check() if on else control.uncheck())
    await host.keyboard.press("Escape")


async def test_the_waiting_room_holds_arrivals_until_the_host_decides(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Waiting room")
    host = await enter(browser, links.start_url, "Hana Host")
    forcer = Bot(links.join_url, name="Forcer", auto_publish=False)
    await forcer.join()  # in before the waiting room is on
    await switch(host, "security-waiting-room", True)
    await wait_state(host, "s.security.waiting_room")

    guest = await knock(browser, links.join_url, "Gus Guest")
    await screenshot(guest, "held")
    await expect(host.get_by_test_id("lobby-count")).to_have_text("1")
    await host.get_by_test_id("participants-toggle").click()
    lobby = host.get_by_test_id("waiting-room")
    await expect(lobby).to_contain_text("Gus Guest")
    await screenshot(host, "lobby")
    assert (await state(guest))["phase"] == "waiting"
    assert (await state(host))["participants"][0]["name"] == "Hana Host"

    # A participant cannot let anyone in: forced over the WebSocket, it is refused.
    try:
        assert await forcer.channel.refused("admit", action="admit") == "forbidden"
    finally:
        await forcer.close()
    await expect(lobby).to_contain_text("Gus Guest")

    await lobby.get_by_test_id("guest-admit").first.click()
    await expect(guest.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    await wait_state(
        host, "s.participants.length === 2 && s.participants.some(p => p.name === 'Gus Guest')"
    )
    await wait_state(guest, "s.participants.some(p => p.name === 'Hana Host')")
    await wait_state(host, "s.lobby.length === 0")

    late = await knock(browser, links.join_url, "Lou Late")
    await expect(lobby.get_by_test_id("guest-deny")).to_have_count(1)
    await lobby.get_by_test_id("guest-deny").click()
    await expect(late.get_by_test_id("denied-banner")).to_be_visible(timeout=10 * SECONDS)
    await screenshot(late, "denied")
    await late.wait_for_timeout(1000)
    assert (await state(late))["phase"] == "rejected"  # and it does not try again


async def test_participants_lose_what_the_host_forbids(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Permissions")
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_state(host, "s.participants.length === 2")
    guest_id: str = (await state(guest))["participantId"]
    await expect(guest.get_by_test_id("share-toggle")).to_have_count(1)

    await switch(host, "security-allow-share", False)
    await expect(guest.get_by_test_id("share-toggle")).to_have_count(0)
    await expect(host.get_by_test_id("share-toggle")).to_have_count(1)  # hosts still share

    await switch(host, "security-allow-chat", False)
    await wait_state(guest, "s.security.allow_chat === false")
    await guest.get_by_test_id("chat-toggle").click()
    options = guest.get_by_test_id("chat-to").locator("option")
    await expect(options).to_have_count(1)
    await expect(options).to_have_text("Hana Host")  # chat with the hosts only
    await screenshot(guest, "chat-with-hosts-only")
    await guest.get_by_test_id("chat-toggle").click()

    # Renaming yourself while allowed, then not.
    await guest.get_by_test_id("participants-toggle").click()
    await row(guest, guest_id).get_by_test_id("participant-rename").click()
    await guest.get_by_test_id("rename-input").fill("Gustav")
    await guest.get_by_test_id("rename-save").click()
    await wait_state(host, "s.participants.some(p => p.name === 'Gustav')")
    await switch(host, "security-allow-rename", False)
    await expect(row(guest, guest_id).get_by_test_id("participant-rename")).to_have_count(0)

    # Unmuting yourself: the host mutes the guest, then forbids unmuting.
    await switch(host, "security-allow-unmute", False)
    await host.get_by_test_id("participants-toggle").click()
    await row(host, guest_id).get_by_test_id("participant-mute").click()
    await wait_state(guest, "s.audioMuted")
    await guest.get_by_test_id("mic-toggle").click()
    await guest.wait_for_timeout(500)
    assert (await state(guest))["audioMuted"] is True

    # Forced over the WebSocket, each forbidden action is refused.
    async with Bot(links.join_url, name="Forcer", auto_publish=False) as forcer:
        await forcer.join()
        for request, fields in (
            ("rename", {"name": "Sneaky"}),
            ("chat", {"text": "hello everyone", "to": None}),
            ("security", {"allow_share": True}),
        ):
            assert await forcer.channel.refused(request, **fields) == "forbidden"
    assert not [p for p in (await state(host))["participants"] if p["name"] == "Sneaky"]


async def test_a_cohost_gets_the_host_controls(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Co-host")
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_state(host, "s.participants.length === 2")
    guest_id: str = (await state(guest))["participantId"]
    forcer = Bot(links.join_url, name="Forcer", auto_publish=False)
    await forcer.join()  # in before the co-host locks the meeting
    await wait_state(host, "s.participants.length === 3")
    await expect(guest.get_by_test_id("mute-all")).to_have_count(0)
    await host.get_by_test_id("participants-toggle").click()
    await row(host, guest_id).get_by_test_id("participant-cohost").click()
    await wait_state(
        guest, f"s.participants.some(p => p.participant_id === '{guest_id}' && p.cohost)"
    )
    await guest.get_by_test_id("participants-toggle").click()
    await expect(row(guest, guest_id).get_by_test_id("cohost-tag")).to_have_count(1)
    await expect(guest.get_by_test_id("mute-all")).to_have_count(1)
    await guest.get_by_test_id("security-toggle").click()
    await guest.get_by_test_id("lock-toggle").check()
    await wait_state(host, "s.locked")
    await screenshot(guest, "cohost")
    await guest.keyboard.press("Escape")
    await expect(guest.get_by_test_id("participant-cohost")).to_have_count(0)  # host only

    await row(host, guest_id).get_by_test_id("participant-cohost").click()
    await expect(guest.get_by_test_id("mute-all")).to_have_count(0)
    try:
        for request, fields in (
            ("cohost", {"participant_id": guest_id, "cohost": True}),
            ("security", {"locked": False}),
        ):
            assert await forcer.channel.refused(request, **fields) == "forbidden"
    finally:
        await forcer.close()


async def test_security_controls_are_absent_without_their_flags(
    browser: Browser, meeting: MeetingFactory
) -> None:
    host, _guest, guest_id = await pair(
        browser, meeting, topic="No security", view_host={"more_meeting_control": False}
    )
    await host.get_by_test_id("participants-toggle").click()
    await expect(row(host, guest_id)).to_be_visible()
    await expect(host.get_by_test_id("participant-cohost")).to_have_count(0)
    await host.get_by_test_id("security-toggle").click()
    await expect(host.get_by_test_id("security-waiting-room")).to_have_count(1)
    links = meeting(topic="No security menu", view_host={"security_option": False})
    other = await enter(browser, links.start_url, "Hana Host")
    await expect(other.get_by_test_id("security-toggle")).to_have_count(0)
    await expect(other.get_by_test_id("security-waiting-room")).to_have_count(0)
