"""Invite by phone in Debian's Chromium: the host calls sipp from the invite dialog and the
callee joins the meeting; the section is absent when the role may not call out, and says
"not configured" on a server without a SIP trunk.

Runs in the media network namespace (scripts/netns) against `ngage serve` with its Janus.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.callee import TRUNK, running_callee
from tests.e2e.conftest import Screenshot, expect_refused
from tests.e2e.pages import SECONDS, enter
from tests.medianet import MEDIA_NET, MeetingFactory, running_media_server
from tests.support import Server

CALL_SECONDS = 60  # longer than the test: the host hangs up first


@pytest.fixture(scope="module")
def sip_server() -> Iterator[Server]:
    with running_media_server(sip_trunk=TRUNK, sip_local_ip=MEDIA_NET) as server:
        yield server


@pytest.fixture
def sip_meeting(sip_server: Server) -> Iterator[MeetingFactory]:
    factory = MeetingFactory(sip_server, sip_server.new_app("callout-browser"))
    yield factory
    factory.close()


async def open_invite(page: Page) -> None:
    await page.get_by_test_id("invite-toggle").click()
    await expect(page.get_by_test_id("invite-dialog")).to_be_visible()


async def test_the_host_calls_a_phone_that_joins_and_is_hung_up(
    browser: Browser, sip_meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host = await enter(browser, sip_meeting().start_url)
    await open_invite(host)
    section = host.get_by_test_id("callout")
    await expect(section).to_contain_text("Invite by phone")
    await expect(section.get_by_test_id("callout-not-configured")).to_have_count(0)
    with running_callee(CALL_SECONDS) as callee:
        await section.get_by_test_id("callout-number").fill("+1 (555) 123-4567")
        await section.get_by_test_id("callout-call").click()
        status = section.get_by_test_id("callout-status")
        await expect(status).to_have_text("In the meeting", timeout=20 * SECONDS)
        await expect(section.locator(".callout-number")).to_have_text("+15551234567")
        await screenshot(host, "in-call")
        await host.keyboard.press("Escape")
        # The callee is in the roster, tagged as a phone; the host hangs up from there.
        await host.get_by_test_id("participants-toggle").click()
        phone = host.locator(".person", has=host.get_by_test_id("phone-tag"))
        await expect(phone).to_contain_text("Phone ···4567", timeout=15 * SECONDS)
        await screenshot(host, "roster")
        await phone.get_by_test_id("participant-hang-up").click()
        await expect(phone).to_have_count(0, timeout=15 * SECONDS)
        await callee.wait_received("BYE", 15)
        await open_invite(host)
        await expect(host.get_by_test_id("callout-status")).to_have_text("Call ended")
        await expect(host.get_by_test_id("callout-hangup")).to_have_count(0)


async def test_no_call_out_section_when_the_role_may_not_call_out(
    browser: Browser, sip_meeting: MeetingFactory
) -> None:
    links = sip_meeting(host={"disableCallOut": True})
    host = await enter(browser, links.start_url)
    await open_invite(host)
    await expect(host.get_by_test_id("invite-link")).to_be_visible()
    await expect(host.get_by_test_id("callout")).to_have_count(0)
    await expect(host.get_by_test_id("callout-call")).to_have_count(0)
    # Dialling anyway, straight over the WebSocket, is refused before any call is placed.
    with running_callee(CALL_SECONDS) as callee:
        await expect_refused(links.start_url, ("call-out", {"number": "+15551234567"}))
        assert not callee.received("INVITE")


async def test_without_a_trunk_the_section_says_call_out_is_not_configured(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    host = await enter(browser, meeting().start_url)
    await open_invite(host)
    section = host.get_by_test_id("callout")
    await expect(section.get_by_test_id("callout-not-configured")).to_have_text(
        "Call-out is not configured on this server"
    )
    await expect(section.get_by_test_id("callout-call")).to_have_count(0)
    await expect(section.get_by_test_id("callout-number")).to_have_count(0)
    await screenshot(host, "not-configured")
