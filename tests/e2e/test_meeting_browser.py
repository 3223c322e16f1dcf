"""Live meetings in Debian's Chromium: start_url and join_url put people into one meeting.

Runs in the media network namespace (scripts/netns) against `ngage serve` with its own
Janus, as in production. Fake camera, microphone and screen; screenshots of each
scenario go to test-artifacts/.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect

from ngage.client import Recording
from tests.bots import Bot
from tests.e2e.conftest import Screenshot, expect_refused
from tests.e2e.pages import SECONDS, open_page, state, stats
from tests.medianet import MeetingFactory, kill_janus
from tests.support import Server


async def open_meeting(browser: Browser, url: str, *, join: bool = True) -> Page:
    page = await open_page(browser, url)
    if join:
        await page.get_by_test_id("join-button").click()
    return page


def _playing(feed: dict[str, Any], kind: str) -> bool:
    return feed["kind"] == kind and feed["videoWidth"] > 0


async def wait_receiving(
    page: Page, kind: str = "camera", audio: bool = True, timeout: float = 30.0
) -> dict[str, Any]:
    """A remote `kind` feed that plays: decoded frames that keep coming, and audio packets."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        first = {f["feed"]: f for f in await stats(page) if _playing(f, kind)}
        await page.wait_for_timeout(700)
        for later in await stats(page):
            earlier = first.get(later["feed"])
            if earlier is None or later["framesDecoded"] <= earlier["framesDecoded"]:
                continue
            if not audio or later["audioPacketsReceived"] > earlier["audioPacketsReceived"]:
                return later
    raise AssertionError(f"no playing {kind} feed; stats: {await stats(page)}")


async def test_host_and_participant_see_and_hear_each_other(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Weekly sync")
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await expect(host.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    host_view = await wait_receiving(host)
    guest_view = await wait_receiving(guest)
    assert host_view["participantId"] == (await state(guest))["participantId"]
    assert guest_view["participantId"] == (await state(host))["participantId"]
    await expect(host.get_by_test_id("tile")).to_have_count(2)
    await screenshot(host, "host")
    await screenshot(guest, "participant")


async def test_a_shared_screen_reaches_the_host(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Screen share")
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await wait_receiving(host)
    await guest.get_by_test_id("share-toggle").click()
    shared = await wait_receiving(host, kind="screen", audio=False)
    assert shared["participantId"] == (await state(guest))["participantId"]
    await expect(host.locator("[data-testid=tile][data-kind=screen]")).to_have_count(1)
    await screenshot(host, "host-sees-share")


async def test_host_ends_the_meeting_for_everyone(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Ending")
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await wait_receiving(guest)
    await host.get_by_test_id("end-for-all").click()
    await host.get_by_test_id("end-confirm").click()
    await expect(guest.get_by_test_id("ended-banner")).to_be_visible(timeout=10 * SECONDS)
    assert (await state(guest))["phase"] == "ended"
    await screenshot(guest, "participant-told")
    again = await browser.new_page()
    await again.goto(links.join_url)
    await expect(again.get_by_role("heading", name="This meeting has ended")).to_be_visible()


async def test_a_participant_without_screen_share_has_no_control_and_is_refused(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="No sharing", participant={"screenShare": False})
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await wait_receiving(guest)
    await expect(guest.get_by_test_id("share-toggle")).to_have_count(0)
    await expect(host.get_by_test_id("share-toggle")).to_have_count(1)
    await screenshot(guest, "no-share-control")
    # A client that sends the share anyway, straight over the WebSocket, gets refused.
    async with Bot(links.join_url, name="Forcer", auto_publish=False) as forcer:
        await forcer.join()
        assert await forcer.channel.refused("publish", kind="screen", sdp=SCREEN_SDP) == "forbidden"
    assert not [f for f in await stats(host) if f["kind"] == "screen"]


async def test_a_participant_who_arrives_first_waits_for_the_host(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Early bird")
    guest = await open_meeting(browser, links.join_url)
    await expect(guest.get_by_test_id("waiting-banner")).to_be_visible(timeout=10 * SECONDS)
    assert (await state(guest))["phase"] == "waiting"
    await screenshot(guest, "waiting")
    host = await open_meeting(browser, links.start_url)
    await expect(guest.get_by_test_id("meeting")).to_be_visible(timeout=10 * SECONDS)
    await wait_receiving(guest)
    await wait_receiving(host)


async def test_clients_reconnect_after_janus_dies(
    browser: Browser, meeting: MeetingFactory, media_server: Server, screenshot: Screenshot
) -> None:
    links = meeting(topic="Janus restart")
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await wait_receiving(host)
    await wait_receiving(guest)
    assert kill_janus(media_server)
    await host.wait_for_timeout(500)
    # Media comes back without anyone reloading the page.
    await wait_receiving(host, timeout=15)
    await wait_receiving(guest, timeout=15)
    assert (await state(host))["phase"] == "live"
    await screenshot(host, "after-janus-restart")


SCREEN_SDP = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nt=0 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\n"
    "a=rtpmap:96 H264/90000\r\n"
)


# Controls each flag governs: (flag, value that removes the controls, their testids).
FLAG_CONTROLS = [
    ("isSupportAV", False, ["camera-toggle"]),
    ("disableJoinAudio", True, ["mic-toggle", "audio-panel"]),
    ("screenShare", False, ["share-toggle"]),
    ("disableInvite", True, ["invite-toggle"]),
    ("disableRecord", True, ["record-toggle"]),
]
VIEW_CONTROLS = [
    ("participants_list", ["participants-toggle"]),
    ("security_option", ["security-toggle"]),
    ("more_meeting_control", ["more-toggle"]),
]


async def test_each_flag_shows_or_removes_its_control(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    restricted = {flag: off for flag, off, _ in FLAG_CONTROLS}
    hidden_views = {flag: False for flag, _ in VIEW_CONTROLS}
    links = meeting(topic="Flags", participant=restricted, view_participant=hidden_views)
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await expect(guest.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    await expect(host.get_by_test_id("meeting")).to_be_visible()
    testids = [t for _, _, ids in FLAG_CONTROLS for t in ids if t != "audio-panel"]
    testids += [t for _, ids in VIEW_CONTROLS for t in ids]
    for testid in testids:
        await expect(host.get_by_test_id(testid)).to_have_count(1)
        await expect(guest.get_by_test_id(testid)).to_have_count(0)
    await expect(guest.get_by_test_id("end-for-all")).to_have_count(0)
    await screenshot(host, "all-controls")
    await screenshot(guest, "restricted")
    assert (await state(guest))["phase"] == "live"
    # Without the Record control, the participant still sees that the host records.
    await host.get_by_test_id("record-toggle").click()
    await expect_recording([host, guest], "recording")
    await expect(guest.get_by_test_id("record-stop")).to_have_count(0)
    await expect(host.get_by_test_id("record-stop")).to_have_count(1)
    await screenshot(guest, "restricted-sees-recording")
    await host.get_by_test_id("record-stop").click()
    await expect_recording([host, guest], None)
    # A forced record request from the participant's link is refused and starts nothing.
    await expect_refused(links.join_url, ("record", {"action": "start"}))
    await expect_recording([host, guest], None)


async def test_invite_dialog_shows_the_meeting(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Invite")
    host = await open_meeting(browser, links.start_url)
    await expect(host.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    await host.get_by_test_id("invite-toggle").click()
    dialog = host.get_by_test_id("invite-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_test_id("invite-password")).to_contain_text(links.password)
    link = dialog.get_by_test_id("invite-link")
    shown = await link.input_value() if await link.evaluate("e => 'value' in e") else ""
    shown = shown or (await link.text_content() or "")
    assert "/meetings/join?auth_token=" in shown
    await screenshot(host, "invite")


async def expect_recording(pages: list[Page], now: str | None) -> None:
    """Every page shows the recording badge in state `now` (None: no badge)."""
    for page in pages:
        badge = page.get_by_test_id("recording-badge")
        if now is None:
            await expect(badge).to_have_count(0, timeout=10 * SECONDS)
        else:
            await expect(badge).to_have_attribute("data-state", now, timeout=10 * SECONDS)
        assert (await state(page))["recording"] == now


async def test_everyone_sees_the_recording_the_host_starts_pauses_and_stops(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Recorded")
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await expect(guest.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    await expect(host.get_by_test_id("recording-badge")).to_have_count(0)
    await host.get_by_test_id("record-toggle").click()
    await expect_recording([host, guest], "recording")
    await expect(
        guest.get_by_test_id("toast").filter(has_text="Host Bot started recording")
    ).to_be_visible()
    await expect(host.get_by_test_id("record-toggle")).to_have_attribute(
        "aria-label", "Stop recording (Alt+R)"
    )
    # Participants may record too here (disableRecord is false for them by default).
    await expect(guest.get_by_test_id("record-stop")).to_have_count(1)
    await screenshot(host, "host-recording")
    late = await open_meeting(browser, links.join_url)
    await expect(late.get_by_test_id("meeting")).to_be_visible(timeout=15 * SECONDS)
    await expect_recording([late], "recording")
    await screenshot(late, "late-joiner")
    await host.get_by_test_id("record-pause").click()
    await expect_recording([host, guest, late], "paused")
    await expect(host.get_by_test_id("record-pause")).to_have_attribute(
        "aria-label", "Resume recording (Alt+P)"
    )
    await screenshot(host, "host-paused")
    await screenshot(guest, "participant-paused")
    await host.get_by_test_id("record-pause").click()
    await expect_recording([host, guest, late], "recording")
    await host.get_by_test_id("record-toggle").click()
    await expect_recording([host, guest, late], None)
    await expect(host.get_by_test_id("record-pause")).to_have_count(0)
    await expect(host.get_by_test_id("record-toggle")).to_have_attribute(
        "aria-label", "Record (Alt+R)"
    )


async def test_audio_panel_always_open_and_pure_sharing_content(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(
        topic="Views", host={"audioPanelAlwaysOpen": True, "showPureSharingContent": True}
    )
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await expect(host.get_by_test_id("audio-panel")).to_be_visible(timeout=15 * SECONDS)
    await expect(guest.get_by_test_id("audio-panel")).to_have_count(0)
    await wait_receiving(host)
    await guest.get_by_test_id("share-toggle").click()
    await wait_receiving(host, kind="screen", audio=False)
    share = host.locator("[data-testid=tile][data-kind=screen]")
    await expect(share.get_by_test_id("tile-name")).to_have_count(0)
    await screenshot(host, "pure-share")


async def test_a_recording_made_in_the_browser_plays_and_keeps_chat_and_captions(
    browser: Browser, meeting: MeetingFactory, tmp_path: Path
) -> None:
    links = meeting(topic="Browser recording")
    host = await open_meeting(browser, links.start_url)
    guest = await open_meeting(browser, links.join_url)
    await wait_receiving(host)
    await host.get_by_test_id("record-toggle").click()
    await expect(guest.get_by_test_id("recording-badge")).to_have_attribute(
        "data-state", "recording", timeout=10 * SECONDS
    )
    started = time.monotonic()
    await guest.get_by_test_id("share-toggle").click()
    await wait_receiving(host, kind="screen", audio=False)
    # Chat and captions typed while recording go into the recording's CHAT and CC files.
    await guest.get_by_test_id("chat-toggle").click()
    chat_box = guest.get_by_test_id("chat-input")
    await chat_box.fill("Chat typed in the browser")
    await chat_box.press("Enter")
    await expect(chat_box).to_have_value("")
    await host.get_by_test_id("cc-toggle").click()
    caption_box = host.get_by_test_id("caption-input")
    await caption_box.fill("Caption typed in the browser")
    await caption_box.press("Enter")
    await expect(caption_box).to_have_value("")
    await host.wait_for_timeout(2000)
    await host.get_by_test_id("record-toggle").click()
    await expect(guest.get_by_test_id("recording-badge")).to_have_count(0, timeout=10 * SECONDS)
    span = time.monotonic() - started
    done = await asyncio.to_thread(completed, meeting, links.app_id)
    (mp4,) = [f for f in done.files if f.file_type == "MP4"]
    saved = await asyncio.to_thread(meeting.client.download, mp4, tmp_path / "meeting.mp4")
    probe = await asyncio.to_thread(ffprobe, saved)
    assert [s["codec_name"] for s in probe["streams"]] == ["h264", "aac"]
    # The recorded span runs from the click's answer to the stop's: within a second here.
    assert abs(float(probe["format"]["duration"]) - span) < 1.0, (probe["format"], span)
    kinds = {f.file_type: f for f in done.files}
    chat = await asyncio.to_thread(meeting.client.download, kinds["CHAT"], tmp_path / "chat.txt")
    assert "to Everyone: Chat typed in the browser" in chat.read_text()
    cc = await asyncio.to_thread(meeting.client.download, kinds["CC"], tmp_path / "cc.vtt")
    assert cc.read_text().startswith("WEBVTT")
    assert ": Caption typed in the browser" in cc.read_text()


def completed(meeting: MeetingFactory, app_id: str) -> Recording:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        (recording,) = meeting.client.recordings([app_id])
        if recording.status == "completed":
            return recording
        assert recording.status in ("recording", "processing"), recording.status
        time.sleep(0.5)
    raise AssertionError("the recording was not processed in 90 s")


def ffprobe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    probe: dict[str, Any] = json.loads(result.stdout)
    return probe
