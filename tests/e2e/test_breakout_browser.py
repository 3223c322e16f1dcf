"""Breakout rooms in Debian's Chromium: the host splits two participants into two rooms,
where they do not see each other, then closes the rooms with a countdown and everyone is
back together. The control is absent, and refused by the server, when the flag forbids it.

Runs in the media network namespace (scripts/netns) against `ngage serve` with its Janus.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.bots import Bot
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import enter, state, stats, tile, wait_state
from tests.medianet import MeetingFactory


async def receiving_from(page: Page, participant_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """That participant's camera plays on the page: a video size, and frames that keep coming."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        first = {f["feed"]: f for f in await from_(page, participant_id) if f["videoWidth"] > 0}
        await page.wait_for_timeout(700)
        for later in await from_(page, participant_id):
            earlier = first.get(later["feed"])
            if earlier is not None and later["framesDecoded"] > earlier["framesDecoded"]:
                return later
    raise AssertionError(f"no video from {participant_id}; stats: {await stats(page)}")


async def from_(page: Page, participant_id: str) -> list[dict[str, Any]]:
    return [
        f
        for f in await stats(page)
        if f["participantId"] == participant_id and f["kind"] == "camera"
    ]


def assign(host: Page, participant_id: str) -> Any:
    return host.locator(f'[data-testid="breakout-assign"][data-participant-id="{participant_id}"]')


async def say(page: Page, text: str) -> None:
    """Sends `text` to everyone from the chat panel, then closes the panel."""
    await page.get_by_test_id("chat-toggle").click()
    box = page.get_by_test_id("chat-input")
    await box.fill(text)
    await box.press("Enter")
    await expect(box).to_have_value("")
    await page.get_by_test_id("chat-toggle").click()


async def chat_texts(page: Page) -> list[str]:
    return [m["text"] for m in (await state(page))["chat"]]


async def apart(page: Page, other_id: str) -> None:
    """Nothing of `other_id` reaches the page: no tile, no feed, no watched stream."""
    await expect(tile(page, other_id)).to_have_count(0)
    now = await state(page)
    assert [f for f in now["feeds"] if f["participant_id"] == other_id] == []
    assert await from_(page, other_id) == []


async def test_two_participants_in_two_rooms_then_back_together(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Breakout rooms")
    host = await enter(browser, links.start_url, "Hana Host")
    ann = await enter(browser, links.join_url, "Ann")
    ben = await enter(browser, links.join_url, "Ben")
    for page in (host, ann, ben):
        await wait_state(page, "s.participants.length === 3")
    ann_id, ben_id = (await state(ann))["participantId"], (await state(ben))["participantId"]
    await receiving_from(ann, ben_id)  # together in the main room first
    await expect(ann.get_by_test_id("breakout-toggle")).to_have_count(0)  # host only

    await say(host, "Welcome to the main room")
    await host.get_by_test_id("breakout-toggle").click()
    await host.get_by_test_id("breakout-count").fill("2")
    await host.get_by_test_id("breakout-create").click()
    await assign(host, ann_id).select_option("1")
    await wait_state(host, f's.breakout.rooms[0].participants.includes("{ann_id}")')
    await assign(host, ben_id).select_option("2")
    await wait_state(host, f's.breakout.rooms[1].participants.includes("{ben_id}")')
    await screenshot(host, "breakout-panel")
    await host.get_by_test_id("breakout-open").click()

    await wait_state(ann, "s.room === 1")
    await wait_state(ben, "s.room === 2")
    await expect(ann.get_by_test_id("breakout-where")).to_contain_text("Room 1")
    await expect(ben.get_by_test_id("breakout-where")).to_contain_text("Room 2")
    await expect(ann.get_by_test_id("breakout-return")).to_be_visible()
    await apart(ann, ben_id)
    await apart(ben, ann_id)
    # Each room has its own chat: Ann's message to everyone stays in Room 1.
    assert await chat_texts(ann) == []
    await say(ann, "Only for Room 1")
    await ann.wait_for_timeout(500)  # anything misrouted would have arrived by now
    for page in (ben, host):
        assert "Only for Room 1" not in await chat_texts(page)
    await host.get_by_test_id("participants-toggle").click()  # the roster shows who is where
    for participant_id, room in ((ann_id, "Room 1"), (ben_id, "Room 2")):
        row = host.locator(f'.person[data-participant-id="{participant_id}"]')
        await expect(row.get_by_test_id("person-room")).to_have_text(room)

    await host.get_by_test_id("breakout-visit").nth(1).click()  # the host visits Room 2
    await wait_state(host, "s.room === 2")
    await receiving_from(host, ben_id)
    await receiving_from(ben, (await state(host))["participantId"])
    await apart(ann, ben_id)  # still nothing from Ben while his video flows in Room 2
    await screenshot(ben, "in-room-2")

    await host.get_by_test_id("breakout-message-text").fill("Five minutes left")
    await host.get_by_test_id("breakout-message-send").click()
    for page in (ann, ben):
        await expect(
            page.get_by_test_id("toast").filter(has_text="Five minutes left")
        ).to_be_visible()

    await ann.get_by_test_id("breakout-return").click()  # Ann steps out, then goes back
    await wait_state(ann, "s.room === 0")
    await ann.get_by_test_id("breakout-rejoin").click()
    await wait_state(ann, "s.room === 1")
    await apart(ann, ben_id)

    # A participant who sends a host action anyway, straight over the WebSocket, is refused.
    async with Bot(links.join_url, name="Forcer", auto_publish=False) as forcer:
        await forcer.join()
        for action, fields in (("close", {"seconds": 0}), ("broadcast", {"text": "hi"})):
            assert await forcer.channel.refused("breakout", action=action, **fields) == "forbidden"
    assert (await state(host))["breakout"]["status"] == "open"

    await host.get_by_test_id("breakout-close-seconds").fill("2")
    await host.get_by_test_id("breakout-close").click()
    await expect(ann.get_by_test_id("breakout-countdown")).to_be_visible()
    for page in (host, ann, ben):
        await wait_state(page, 's.room === 0 && s.breakout.status === "none"')
    await receiving_from(ann, ben_id)
    await receiving_from(ben, ann_id)
    await expect(tile(ann, ben_id)).to_have_count(1)
    await expect(ann.get_by_test_id("breakout-where")).to_have_count(0)
    assert await chat_texts(ann) == ["Welcome to the main room"]  # the main room's chat again
    await screenshot(ann, "back-in-main")


async def test_the_control_is_absent_and_refused_without_the_flag(
    browser: Browser, meeting: MeetingFactory
) -> None:
    links = meeting(topic="No breakout", host={"isSupportBreakout": False})
    host = await enter(browser, links.start_url, "Hana Host")
    await wait_state(host, 's.phase === "live"')
    await expect(host.get_by_test_id("participants-toggle")).to_have_count(1)  # the toolbar is up
    await expect(host.get_by_test_id("breakout-toggle")).to_have_count(0)
    async with Bot(links.start_url, name="Forcer", auto_publish=False) as forcer:
        await forcer.join()
        assert await forcer.channel.refused("breakout", action="create", count=2) == "forbidden"
    assert (await state(host))["breakout"]["status"] == "none"


async def test_protocol_js_builds_and_checks_breakout_messages(
    browser: Browser, meeting: MeetingFactory
) -> None:
    page = await browser.new_page()
    await page.goto(meeting(topic="Breakout protocol").join_url)
    result = await page.evaluate(
        """async () => {
          const P = await import("/static/meeting/protocol.js");
          const refused = (build) => {
            try { build(); return "built"; } catch (e) { return e.name; }
          };
          const rooms = [{ room: 1, name: "Room 1", participants: ["p-1"] }];
          return {
            create: P.breakout("create", { count: 2 }),
            close: P.breakout("close", { seconds: 5 }),
            refused: [
              refused(() => P.breakout("split")),
              refused(() => P.breakout("create", { count: 51 })),
              refused(() => P.breakout("join", { room: -1 })),
              refused(() => P.breakout("broadcast", { text: " " })),
            ],
            state: P.parseServerMessage({ v: 1, type: "breakout", re: "3",
              breakout: { status: "open", rooms } }),
            badState: P.tryParseServerMessage({ v: 1, type: "breakout",
              breakout: { status: "later", rooms } }).ok,
            changed: P.parseServerMessage({ v: 1, type: "room-changed", room: 1, name: "Room 1",
              feeds: [{ feed: 7, participant_id: "p-2", kind: "camera", room: 1 }],
              chat: [{ message_id: "m-1", from: "p-2", name: "Bo", to: null, to_name: null,
                       text: "hi room", room: 1, at: 1760000000000 }] }),
            badChat: P.parseServerMessage({ v: 1, type: "room-changed", room: 1,
              name: "Room 1", feeds: [], chat: [{ message_id: "m-1", from: "p-2", name: "Bo",
              to: null, to_name: null, text: "x", room: "one", at: 1760000000000 }] }).chat,
            closing: P.parseServerMessage({ v: 1, type: "breakout-closing", seconds: 10 }),
            said: P.parseServerMessage(
              { v: 1, type: "breakout-broadcast", text: "hi", name: "Hana" }),
            person: P.parseServerMessage({ v: 1, type: "participant-updated", participant: {
              participant_id: "p-2", name: "Bo", role: "participant", audio_muted: false,
              video_muted: false, room: 2 } }).participant,
          };
        }"""
    )
    assert result["create"] == {"v": 1, "type": "breakout", "action": "create", "count": 2}
    assert result["close"]["seconds"] == 5
    assert result["refused"] == ["ProtocolError"] * 4
    assert result["state"] == {
        "type": "breakout",
        "re": "3",
        "breakout": {
            "status": "open",
            "rooms": [{"room": 1, "name": "Room 1", "participants": ["p-1"]}],
        },
    }
    assert result["badState"] is False
    assert result["changed"]["feeds"] == [
        {"feed": 7, "participant_id": "p-2", "kind": "camera", "room": 1}
    ]
    assert [(m["text"], m["room"]) for m in result["changed"]["chat"]] == [("hi room", 1)]
    assert result["badChat"] == []  # a malformed history item is dropped, not fatal
    assert result["closing"]["seconds"] == 10 and result["said"]["name"] == "Hana"
    assert result["person"]["room"] == 2
