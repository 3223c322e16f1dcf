"""In-meeting chat in Debian's Chromium: public and private messages, the unread badge,
history for late joiners, and the `isSupportChat` flag (no control, refused on the wire).

Runs in the media network namespace (scripts/netns) against `ngage serve` with its Janus.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.bots import Bot
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import SECONDS, enter, state
from tests.medianet import MeetingFactory


async def wait_people(page: Page, count: int) -> None:
    await page.wait_for_function(
        "n => window.ngageMeeting.state().participants.length === n",
        arg=count,
        timeout=15 * SECONDS,
    )


async def send(page: Page, text: str, *, to: str | None = None, click: bool = False) -> None:
    """Types `text` into the open chat panel and sends it (Enter, or the send button)."""
    if to is not None:
        await page.get_by_test_id("chat-to").select_option(value=to)
    box = page.get_by_test_id("chat-input")
    await box.fill(text)
    if click:
        await page.get_by_test_id("chat-send").click()
    else:
        await box.press("Enter")
    await expect(box).to_have_value("")


def messages(page: Page, text: str | None = None) -> Any:
    found = page.get_by_test_id("chat-message")
    return found if text is None else found.filter(has_text=text)


async def test_host_and_participant_chat_in_public_with_an_unread_badge(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Chat")
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_people(host, 2)
    await wait_people(guest, 2)
    await expect(host.get_by_test_id("chat-unread")).to_have_count(0)

    await host.get_by_test_id("chat-toggle").click()
    await expect(host.get_by_test_id("chat-panel")).to_be_visible()
    await expect(host.get_by_test_id("chat-input")).to_be_focused()
    await send(host, "Hello from the host")
    await expect(messages(host, "Hello from the host")).to_have_count(1)
    # The guest's panel is closed: the badge counts the message.
    await expect(guest.get_by_test_id("chat-unread")).to_have_text("1")
    assert (await state(guest))["unread"] == 1
    await expect(guest.get_by_test_id("chat-panel")).to_have_count(0)

    await guest.get_by_test_id("chat-toggle").click()
    await expect(guest.get_by_test_id("chat-unread")).to_have_count(0)
    greeting = messages(guest, "Hello from the host")
    await expect(greeting).to_have_attribute("data-private", "false")
    await expect(greeting).to_contain_text("Hana Host")
    assert (await state(guest))["unread"] == 0

    # Markup is shown as text, and Shift+Enter makes a new line instead of sending.
    box = guest.get_by_test_id("chat-input")
    await box.fill("<b>hi</b> back")
    await box.press("Shift+Enter")
    await box.press_sequentially("second line")
    await expect(box).to_have_value("<b>hi</b> back\nsecond line")
    await guest.get_by_test_id("chat-send").click()
    reply = messages(host, "second line")
    await expect(reply).to_have_count(1)
    await expect(reply.locator(".chat-text")).to_have_text("<b>hi</b> back\nsecond line")
    assert await reply.locator("b").count() == 0
    await expect(reply).to_contain_text("Gus Guest")
    await expect(host.get_by_test_id("chat-unread")).to_have_count(0)  # its panel is open

    await host.get_by_test_id("chat-toggle").click()
    await expect(host.get_by_test_id("chat-panel")).to_have_count(0)
    await send(guest, "Are you there?", click=True)
    await expect(host.get_by_test_id("chat-unread")).to_have_text("1")
    await expect(messages(guest)).to_have_count(3)

    host_chat = (await state(host))["chat"]
    guest_chat = (await state(guest))["chat"]
    assert [m["text"] for m in host_chat] == [
        "Hello from the host",
        "<b>hi</b> back\nsecond line",
        "Are you there?",
    ]
    assert [m["message_id"] for m in host_chat] == [m["message_id"] for m in guest_chat]
    assert all(m["to"] is None and isinstance(m["at"], int | float) for m in host_chat)
    await screenshot(guest, "participant-chat")
    await screenshot(host, "host-unread-badge")


async def test_a_private_message_reaches_only_its_recipient(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Private chat")
    host = await enter(browser, links.start_url, "Hana Host")
    ann = await enter(browser, links.join_url, "Ann")
    ben = await enter(browser, links.join_url, "Ben")
    for page in (host, ann, ben):
        await wait_people(page, 3)
    ann_id = (await state(ann))["participantId"]
    ben_id = (await state(ben))["participantId"]

    await host.get_by_test_id("chat-toggle").click()
    options = host.get_by_test_id("chat-to").locator("option")
    await expect(options).to_have_text(["Everyone", "Ann", "Ben"])
    await send(host, "Just between us, Ann", to=ann_id)
    await expect(host.get_by_test_id("chat-to")).to_have_value(ann_id)  # it stays chosen
    await host.get_by_test_id("chat-to").select_option(value="")
    await send(host, "Hello everyone")

    sent = messages(host, "Just between us")
    await expect(sent).to_have_attribute("data-private", "true")
    await expect(sent).to_contain_text("privately to Ann")
    await expect(messages(host, "Hello everyone")).to_have_attribute("data-private", "false")

    await ann.get_by_test_id("chat-toggle").click()
    received = messages(ann, "Just between us")
    await expect(received).to_have_attribute("data-private", "true")
    await expect(received).to_contain_text("to you (privately)")
    await expect(received).to_contain_text("Hana Host")

    # Ben gets the public message that was sent after the private one, and nothing else.
    await ben.get_by_test_id("chat-toggle").click()
    await expect(messages(ben, "Hello everyone")).to_have_count(1)
    await expect(messages(ben)).to_have_count(1)
    assert [m["text"] for m in (await state(ben))["chat"]] == ["Hello everyone"]
    private = [m for m in (await state(ann))["chat"] if m["to"] is not None]
    assert [(m["to"], m["to_name"], m["name"]) for m in private] == [(ann_id, "Ann", "Hana Host")]
    await screenshot(host, "host-private")
    await screenshot(ann, "recipient")

    # The recipient list follows people coming and going; someone chosen who leaves stays
    # chosen (a private message never falls back to everyone) and the server refuses it.
    await host.get_by_test_id("chat-to").select_option(value=ben_id)
    await ben.close()
    await expect(options).to_have_text(["Everyone", "Ann", "Ben (left the meeting)"])
    assert ben_id not in [p["participant_id"] for p in (await state(host))["participants"]]
    box = host.get_by_test_id("chat-input")
    await box.fill("Are you still there, Ben?")
    await box.press("Enter")
    await expect(host.get_by_test_id("toast")).to_contain_text("not in the meeting")
    await expect(box).to_have_value("Are you still there, Ben?")
    await host.get_by_test_id("chat-to").select_option(value="")
    await expect(options).to_have_text(["Everyone", "Ann"])


async def test_a_late_joiner_sees_the_earlier_public_messages(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="Chat history")
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_people(host, 2)
    guest_id = (await state(guest))["participantId"]
    await host.get_by_test_id("chat-toggle").click()
    await send(host, "First, the agenda")
    await send(host, "Only for Gus", to=guest_id)
    await host.get_by_test_id("chat-to").select_option(value="")
    await guest.get_by_test_id("chat-toggle").click()
    await send(guest, "Second, the budget")
    await expect(messages(host)).to_have_count(3)

    late = await enter(browser, links.join_url, "Lena Late")
    await wait_people(late, 3)
    await expect(late.get_by_test_id("chat-unread")).to_have_count(0)  # history is not news
    await late.get_by_test_id("chat-toggle").click()
    await expect(messages(late)).to_have_text(
        [
            re.compile(r"Hana Host.*First, the agenda", re.S),
            re.compile(r"Gus Guest.*Second, the budget", re.S),
        ]
    )
    late_chat = (await state(late))["chat"]
    assert [m["text"] for m in late_chat] == ["First, the agenda", "Second, the budget"]
    assert late_chat[0]["at"] <= late_chat[1]["at"]
    await screenshot(late, "history")


async def test_a_participant_without_chat_has_no_control_and_is_refused(
    browser: Browser, meeting: MeetingFactory, screenshot: Screenshot
) -> None:
    links = meeting(topic="No chat", participant={"isSupportChat": False})
    host = await enter(browser, links.start_url, "Hana Host")
    guest = await enter(browser, links.join_url, "Gus Guest")
    await wait_people(host, 2)
    await expect(host.get_by_test_id("chat-toggle")).to_have_count(1)
    await expect(guest.get_by_test_id("chat-toggle")).to_have_count(0)
    await expect(guest.get_by_test_id("chat-panel")).to_have_count(0)
    await screenshot(guest, "no-chat-control")

    # A client that sends a message anyway, straight over the WebSocket, gets refused.
    async with Bot(links.join_url, name="Forcer", auto_publish=False) as forcer:
        await forcer.join()
        assert await forcer.channel.refused("chat", text="hi", to=None) == "forbidden"

    # The host's own message is a barrier: anything the forcer got through would come first.
    await host.get_by_test_id("chat-toggle").click()
    await send(host, "Only hosts chat here")
    await expect(messages(host)).to_have_count(1)
    assert [m["text"] for m in (await state(host))["chat"]] == ["Only hosts chat here"]
    assert (await state(guest))["chat"] == []  # a role without chat does not read it either


async def test_protocol_js_builds_and_checks_chat_messages(
    browser: Browser, meeting: MeetingFactory
) -> None:
    page = await browser.new_page()
    await page.goto(meeting(topic="Chat protocol").join_url)
    result = await page.evaluate(
        """async () => {
          const P = await import("/static/meeting/protocol.js");
          const refused = (build) => {
            try { build(); return "built"; } catch (e) { return e.name; }
          };
          const message = { message_id: "m1", from: "p-2", name: "Bo", to: "p-1", to_name: "Ann",
                            text: "<i>hi</i>", at: 1700000000123, extra: true };
          return {
            toAll: P.chat("hello", null),
            toOne: P.chat("x".repeat(P.MAX_CHAT_LENGTH), "p-2"),
            refused: [
              refused(() => P.chat("", null)),
              refused(() => P.chat("   \\n ", null)),
              refused(() => P.chat("x".repeat(P.MAX_CHAT_LENGTH + 1), null)),
              refused(() => P.chat("hi", "")),
            ],
            chat: P.parseServerMessage({ v: 1, type: "chat", re: "5", message }),
            publicChat: P.parseServerMessage(
              { v: 1, type: "chat", message: { ...message, to: null, to_name: null } }).message,
            badChat: P.tryParseServerMessage(
              { v: 1, type: "chat", message: { ...message, text: 7 } }),
            noChat: P.tryParseServerMessage({ v: 1, type: "chat" }),
            history: P.parseServerMessage({ v: 1, type: "joined", participant_id: "p-1",
              role: "participant", name: "Ann", meeting: { id: "1" }, flags: {}, invite: null,
              ice_servers: [], participants: [], feeds: [],
              chat: [message, { ...message, message_id: "" }, "junk"] }).chat,
            types: P.SERVER_MESSAGE_TYPES.includes("chat"),
          };
        }"""
    )
    assert result["toAll"] == {"v": 1, "type": "chat", "text": "hello", "to": None}
    assert result["toOne"]["to"] == "p-2" and len(result["toOne"]["text"]) == 2000
    assert result["refused"] == ["ProtocolError"] * 4
    expected = {
        "message_id": "m1",
        "from": "p-2",
        "name": "Bo",
        "to": "p-1",
        "to_name": "Ann",
        "text": "<i>hi</i>",
        "at": 1700000000123,
    }
    assert result["chat"] == {"type": "chat", "re": "5", "message": expected}
    assert result["publicChat"]["to"] is None and result["publicChat"]["to_name"] is None
    assert result["badChat"]["ok"] is False and "text" in result["badChat"]["error"]
    assert result["noChat"]["ok"] is False
    assert result["history"] == [expected]
    assert result["types"] is True
