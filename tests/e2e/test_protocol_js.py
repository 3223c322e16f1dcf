"""protocol.js in Debian's Chromium: message builders, the server-message parser, and
`Signaling` driven through a fake WebSocket (no server, no network namespace needed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route, async_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

# One browser for the module (a launch costs more than all of these tests); a page each.
pytestmark = pytest.mark.asyncio(loop_scope="module")

STATIC = Path(__file__).resolve().parents[2] / "src" / "ngage" / "web" / "static"
ORIGIN = "http://ngage.test"

# Loaded as a module next to protocol.js: exposes it and a scriptable fake WebSocket.
HARNESS = """
import * as P from "/static/meeting/protocol.js";

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    FakeSocket.all.push(this);
    if (FakeSocket.refuse > 0) {
      FakeSocket.refuse -= 1;
      setTimeout(() => this.drop(1006), 0);
    } else {
      setTimeout(() => this.open(), 0);
    }
  }
  static get last() { return FakeSocket.all[FakeSocket.all.length - 1]; }
  open() { this.readyState = 1; this.onopen?.({}); }
  send(text) {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(JSON.parse(text));
  }
  close(code = 1000) { this.closedWith = code; this.readyState = 3; }
  reply(message) { this.onmessage?.({ data: JSON.stringify({ v: 1, ...message }) }); }
  raw(data) { this.onmessage?.({ data }); }
  drop(code, reason = "") { this.readyState = 3; this.onclose?.({ code, reason }); }
  types() { return this.sent.map((m) => m.type); }
}
FakeSocket.refuse = 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting: " + check);
    await sleep(5);
  }
}
const joinMessage = () => P.join({ token: "tok", role: "participant", name: "Ann" });
function joined(socket, extra = {}) {
  socket.reply({
    type: "joined", re: socket.sent[0].id, participant_id: "p-1", role: "participant",
    name: "Ann", meeting: { id: "123", topic: "T", status: "live" }, flags: {},
    invite: null, ice_servers: [], participants: [], feeds: [], ...extra,
  });
}
async function outcome(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, name: error.name, code: error.code, message: error.message };
  }
}
Object.assign(window, { P, FakeSocket, sleep, until, joinMessage, joined, outcome });
window.harnessReady = true;
"""

PAGE = '<!doctype html><script type="module" src="/harness.js"></script>'


async def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path == "/":
        await route.fulfill(body=PAGE, content_type="text/html")
    elif path == "/harness.js":
        await route.fulfill(body=HARNESS, content_type="text/javascript")
    elif path.startswith("/static/") and ".." not in path:
        file = STATIC / path.removeprefix("/static/")
        await route.fulfill(body=file.read_bytes(), content_type="text/javascript")
    else:
        await route.fulfill(status=404)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest_asyncio.fixture(loop_scope="module")
async def page(chromium: Browser) -> AsyncIterator[Page]:
    page = await chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.route(f"{ORIGIN}/**", _serve)
    await page.goto(f"{ORIGIN}/")
    await page.wait_for_function("window.harnessReady === true")
    yield page
    await page.close()
    assert not errors, errors


async def run(page: Page, body: str) -> Any:
    """Runs `body` as an async function in the page and returns its (JSON) result."""
    return await page.evaluate(f"async () => {{ {body} }}")


# --- builders -------------------------------------------------------------------------------


async def test_builders_make_every_client_message(page: Page) -> None:
    built = await run(
        page,
        """
        const c = { candidate: "candidate:1 1 udp 1 127.0.0.2 5000 typ host", sdpMid: "0",
                    sdpMLineIndex: 0 };
        return {
          join: P.join({ token: "t", role: "host", name: "  Ann  ", audioMuted: true,
                         videoMuted: false }),
          joinPlain: P.join({ token: "t", role: "participant", name: "Bo" }),
          publish: P.publish("camera", "v=0 offer"),
          unpublish: P.unpublish("screen"),
          trickle: P.trickle("publish:camera", c),
          trickleEnd: P.trickle("watch:42", null),
          watch: P.watch(42),
          answer: P.answer(42, "v=0 answer"),
          unwatch: P.unwatch(42),
          mute: P.mute({ audioMuted: true }),
          muteBoth: P.mute({ audioMuted: false, videoMuted: true }),
          record: P.record("start"),
          end: P.end(), leave: P.leave(), ping: P.ping(),
          pcs: [P.publishPc("screen"), P.watchPc(7)],
          lock: P.security(true),
          security: P.security({ waiting_room: true, allow_share: false }),
          admitOne: P.admit("admit", "p-3"),
          denyAll: P.admit("deny"),
          rename: P.rename("  Ana L  "),
          renameOther: P.rename("Bo", "p-2"),
          cohost: P.cohost("p-2", true),
        };
        """,
    )
    assert built["join"] == {
        "v": 1,
        "type": "join",
        "token": "t",
        "role": "host",
        "name": "Ann",
        "audio_muted": True,
        "video_muted": False,
    }
    assert built["joinPlain"] == {
        "v": 1,
        "type": "join",
        "token": "t",
        "role": "participant",
        "name": "Bo",
    }
    assert built["publish"] == {"v": 1, "type": "publish", "kind": "camera", "sdp": "v=0 offer"}
    assert built["unpublish"] == {"v": 1, "type": "unpublish", "kind": "screen"}
    assert built["trickle"]["pc"] == "publish:camera"
    assert built["trickle"]["candidate"]["sdpMid"] == "0"
    assert built["trickleEnd"] == {"v": 1, "type": "trickle", "pc": "watch:42", "candidate": None}
    assert built["watch"] == {"v": 1, "type": "watch", "feed": 42}
    assert built["answer"] == {"v": 1, "type": "answer", "feed": 42, "sdp": "v=0 answer"}
    assert built["unwatch"] == {"v": 1, "type": "unwatch", "feed": 42}
    assert built["mute"] == {"v": 1, "type": "mute", "audio_muted": True}
    assert built["muteBoth"] == {
        "v": 1,
        "type": "mute",
        "audio_muted": False,
        "video_muted": True,
    }
    assert built["record"] == {"v": 1, "type": "record", "action": "start"}
    assert built["end"] == {"v": 1, "type": "end"}
    assert built["leave"] == {"v": 1, "type": "leave"}
    assert built["ping"] == {"v": 1, "type": "ping"}
    assert built["pcs"] == ["publish:screen", "watch:7"]
    assert built["lock"] == {"v": 1, "type": "security", "locked": True}
    assert built["security"] == {
        "v": 1,
        "type": "security",
        "waiting_room": True,
        "allow_share": False,
    }
    assert built["admitOne"] == {
        "v": 1,
        "type": "admit",
        "action": "admit",
        "participant_id": "p-3",
    }
    assert built["denyAll"] == {"v": 1, "type": "admit", "action": "deny"}
    assert built["rename"] == {"v": 1, "type": "rename", "name": "Ana L"}
    assert built["renameOther"]["participant_id"] == "p-2"
    assert built["cohost"] == {"v": 1, "type": "cohost", "participant_id": "p-2", "cohost": True}


async def test_builders_refuse_what_the_server_would_refuse(page: Page) -> None:
    refused = await run(
        page,
        """
        const attempts = {
          emptyName: () => P.join({ token: "t", role: "host", name: "   " }),
          longName: () => P.join({ token: "t", role: "host", name: "x".repeat(101) }),
          noToken: () => P.join({ token: "", role: "host", name: "Ann" }),
          badRole: () => P.join({ token: "t", role: "admin", name: "Ann" }),
          badKind: () => P.publish("microphone", "v=0"),
          noSdp: () => P.publish("camera", ""),
          textFeed: () => P.watch("42"),
          fractionFeed: () => P.answer(1.5, "v=0"),
          badPc: () => P.trickle("publish:mic", null),
          muteNothing: () => P.mute({}),
          badAction: () => P.record("rewind"),
          securityNothing: () => P.security({}),
          securityUnknown: () => P.security({ everything: true }),
          admitMaybe: () => P.admit("maybe"),
          renameBlank: () => P.rename("  "),
        };
        const out = {};
        for (const [name, attempt] of Object.entries(attempts)) {
          try { attempt(); out[name] = "built"; }
          catch (error) { out[name] = error.name; }
        }
        out.longestName = P.join({ token: "t", role: "host", name: "x".repeat(100) }).name.length;
        return out;
        """,
    )
    assert refused.pop("longestName") == 100
    assert refused == dict.fromkeys(refused, "ProtocolError")
    assert len(refused) == 15


# --- parser ---------------------------------------------------------------------------------


async def test_parser_returns_each_server_message_with_its_fields(page: Page) -> None:
    parsed = await run(
        page,
        """
        const participant = { participant_id: "p-2", name: "Bo", role: "host",
                              audio_muted: false, video_muted: true, extra: 1 };
        const feed = { feed: 9, participant_id: "p-2", kind: "screen" };
        const messages = {
          joined: { type: "joined", re: "1", participant_id: "p-1", role: "participant",
                    name: "Ann", meeting: { id: "123", topic: "T", status: "created" },
                    flags: { isSupportAV: true, disableInvite: false },
                    invite: { join_url: "http://x/j", meeting_id: "123", password: "pw" },
                    ice_servers: [{ urls: ["stun:s"] }, { urls: "turn:t", username: "u",
                                   credential: "c" }],
                    participants: [participant], feeds: [feed], future_field: "ignored",
                    self: { ...participant, participant_id: "p-1" }, waiting: true },
          waiting: { type: "waiting", message: "wait" },
          started: { type: "meeting-started", meeting: { id: "123", status: "live" } },
          pjoined: { type: "participant-joined", participant },
          pupdated: { type: "participant-updated", participant, re: "4" },
          pleft: { type: "participant-left", participant_id: "p-2" },
          fadded: { type: "feed-added", feed },
          fremoved: { type: "feed-removed", feed: 9, participant_id: "p-2" },
          published: { type: "published", kind: "camera", feed: 3, sdp: "v=0", re: "2" },
          unpublished: { type: "unpublished", kind: "screen" },
          offer: { type: "offer", feed: 9, sdp: "v=0" },
          watching: { type: "watching", feed: 9 },
          unwatched: { type: "unwatched", feed: 9 },
          speaking: { type: "speaking", participant_id: "p-2", speaking: true },
          recording: { type: "recording", state: "paused", by: "Bo", re: "9" },
          restart: { type: "media-restart", message: "back" },
          ended: { type: "meeting-ended", reason: "host-ended" },
          pong: { type: "pong", re: "7" },
          error: { type: "error", code: "forbidden", message: "no", re: "8" },
          security: { type: "security", locked: false, waiting_room: true, allow_chat: false },
          lobby: { type: "lobby", guests: [{ participant_id: "p-3", name: "Cy", extra: 1 }] },
          held: { type: "waiting-room", message: "wait to be let in" },
          admitted: { type: "admitted", action: "deny", participants: ["p-3"], re: "5" },
          shareStopped: { type: "share-stopped", message: "no sharing" },
          cohost: { type: "participant-updated", participant: { ...participant, cohost: true } },
        };
        const out = {};
        for (const [name, m] of Object.entries(messages)) {
          out[name] = P.parseServerMessage(JSON.stringify({ v: 1, ...m }));
        }
        out.fromObject = P.parseServerMessage({ v: 1, type: "pong" });
        out.numericIds = P.parseServerMessage(
          { v: 1, type: "participant-left", participant_id: 17 });
        out.nestedFlags = P.parseServerMessage({ ...messages.joined, v: 1,
          flags: { config: { screenShare: false }, view: { participants_list: true } } }).flags;
        out.joinedRecording = P.parseServerMessage(
          { ...messages.joined, v: 1, recording: "recording" });
        out.types = P.SERVER_MESSAGE_TYPES;
        return out;
        """,
    )
    joined = parsed["joined"]
    assert joined["type"] == "joined" and joined["re"] == "1"
    assert "future_field" not in joined and "v" not in joined
    assert joined["participants"] == [
        {
            "participant_id": "p-2",
            "name": "Bo",
            "role": "host",
            "audio_muted": False,
            "video_muted": True,
        }
    ]
    assert joined["feeds"] == [{"feed": 9, "participant_id": "p-2", "kind": "screen"}]
    assert joined["invite"]["password"] == "pw"
    assert joined["ice_servers"][1] == {"urls": "turn:t", "username": "u", "credential": "c"}
    assert joined["flags"] == {"isSupportAV": True, "disableInvite": False}
    assert joined["waiting"] is True
    assert joined["self"]["participant_id"] == "p-1" and "extra" not in joined["self"]
    assert parsed["started"] == {
        "type": "meeting-started",
        "meeting": {"id": "123", "status": "live"},
    }
    assert parsed["pupdated"]["re"] == "4"
    assert parsed["fremoved"] == {"type": "feed-removed", "feed": 9, "participant_id": "p-2"}
    assert parsed["published"] == {
        "type": "published",
        "kind": "camera",
        "feed": 3,
        "sdp": "v=0",
        "re": "2",
    }
    assert parsed["speaking"]["speaking"] is True
    assert parsed["error"] == {"type": "error", "code": "forbidden", "message": "no", "re": "8"}
    assert parsed["fromObject"] == {"type": "pong"}
    assert parsed["numericIds"]["participant_id"] == "17"
    assert parsed["nestedFlags"] == {"screenShare": False, "participants_list": True}
    assert parsed["recording"] == {"type": "recording", "state": "paused", "by": "Bo", "re": "9"}
    assert parsed["joinedRecording"]["recording"] == "recording" and "recording" not in joined
    assert parsed["security"]["waiting_room"] is True and parsed["security"]["allow_chat"] is False
    assert parsed["lobby"]["guests"] == [{"participant_id": "p-3", "name": "Cy"}]
    assert parsed["held"]["message"] == "wait to be let in"
    assert parsed["admitted"]["participants"] == ["p-3"] and parsed["admitted"]["re"] == "5"
    assert parsed["shareStopped"]["type"] == "share-stopped"
    assert parsed["cohost"]["participant"]["cohost"] is True
    assert len(parsed["types"]) == 42


async def test_parser_rejects_malformed_messages(page: Page) -> None:
    results = await run(
        page,
        """
        const bad = {
          notJson: "{nope",
          notObject: "[1, 2]",
          noVersion: JSON.stringify({ type: "pong" }),
          wrongVersion: JSON.stringify({ v: 2, type: "pong" }),
          unknownType: JSON.stringify({ v: 1, type: "telepathy" }),
          missingField: JSON.stringify({ v: 1, type: "watching" }),
          wrongType: JSON.stringify({ v: 1, type: "offer", feed: "9", sdp: "v=0" }),
          badKind: JSON.stringify({ v: 1, type: "feed-added",
                                    feed: { feed: 1, participant_id: "p", kind: "mic" } }),
          badParticipant: JSON.stringify({ v: 1, type: "participant-joined",
                                           participant: { participant_id: "p", name: "x" } }),
          badRe: JSON.stringify({ v: 1, type: "pong", re: 5 }),
          badRecording: JSON.stringify({ v: 1, type: "recording", state: "rewinding", by: "Bo" }),
          badInvite: JSON.stringify({ v: 1, type: "joined", participant_id: "p", role: "host",
            name: "A", meeting: { id: "1" }, flags: {}, invite: "x", ice_servers: [],
            participants: [], feeds: [] }),
        };
        const out = {};
        for (const [name, text] of Object.entries(bad)) {
          const result = P.tryParseServerMessage(text);
          let thrown = null;
          try { P.parseServerMessage(text); } catch (error) { thrown = error.name; }
          out[name] = { ok: result.ok, hasReason: typeof result.error === "string", thrown };
        }
        return out;
        """,
    )
    for name, result in results.items():
        assert result == {"ok": False, "hasReason": True, "thrown": "ProtocolError"}, name


async def test_call_out_messages_are_built_and_parsed(page: Page) -> None:
    out = await run(
        page,
        """
        const refused = (make) => { try { make(); return null; } catch (e) { return e.name; } };
        const joinedCallout = { type: "joined", participant_id: "p", role: "host", name: "A",
          meeting: { id: "1" }, flags: {}, invite: null, ice_servers: [], participants: [],
          feeds: [], callout: { allowed: true, configured: false } };
        return {
          dial: P.callOut("+15551234567"),
          hangup: P.hangUpPhone("p-9"),
          badNumbers: ["", "12", "555-1234", "+1 555", "1".repeat(33)].map(
            (n) => refused(() => P.callOut(n))),
          noPhone: refused(() => P.hangUpPhone("")),
          status: P.parseServerMessage({ v: 1, type: "call-out", status: "ended",
            participant_id: "p-9", number: "+1555", reason: "busy", re: "3" }),
          badStatus: P.tryParseServerMessage({ v: 1, type: "call-out", status: "dancing",
            participant_id: "p-9" }).ok,
          phone: P.parseServerMessage({ v: 1, type: "participant-joined", participant: {
            participant_id: "p-9", name: "Phone ···4567", role: "phone", audio_muted: false,
            video_muted: true } }).participant.role,
          joined: P.parseServerMessage({ v: 1, ...joinedCallout }).callout,
          joinRoles: refused(() => P.join({ token: "t", role: "phone", name: "x" })),
        };
        """,
    )
    assert out["dial"] == {"v": 1, "type": "call-out", "action": "dial", "number": "+15551234567"}
    assert out["hangup"] == {
        "v": 1,
        "type": "call-out",
        "action": "hangup",
        "participant_id": "p-9",
    }
    assert out["badNumbers"] == ["ProtocolError"] * 5 and out["noPhone"] == "ProtocolError"
    assert out["status"] == {
        "type": "call-out",
        "status": "ended",
        "participant_id": "p-9",
        "number": "+1555",
        "reason": "busy",
        "re": "3",
    }
    assert out["badStatus"] is False
    assert out["phone"] == "phone"
    assert out["joined"] == {"allowed": True, "configured": False}
    assert out["joinRoles"] == "ProtocolError"  # nobody joins as a phone


async def test_constants_match_the_protocol(page: Page) -> None:
    constants = await run(
        page,
        "return { codes: P.ErrorCode, close: P.CloseCode, final: P.FINAL_CLOSE_CODES };",
    )
    assert {
        "bad-message",
        "not-joined",
        "link-rejected",
        "meeting-ended",
        "forbidden",
        "waiting",
        "not-available",
        "not-found",
        "media-unavailable",
        "media-error",
    } <= set(constants["codes"].values())
    assert constants["close"] == {
        "NORMAL": 1000,
        "BAD_MESSAGE": 4400,
        "LINK_REJECTED": 4403,
        "MEETING_ENDED": 4410,
    }
    assert sorted(constants["final"]) == [4403, 4410]


# --- Signaling ------------------------------------------------------------------------------


async def test_signaling_joins_first_and_resolves_replies_by_request_id(page: Page) -> None:
    result = await run(
        page,
        """
        const s = new P.Signaling("ws://ngage.test/meetings/ws", (url) => new FakeSocket(url));
        const connecting = s.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        const ws = FakeSocket.last;
        const first = ws.sent[0];
        joined(ws);
        const joinedMessage = await connecting;

        const watching = s.request(P.watch(5));
        const muting = s.request(P.mute({ audioMuted: true }));
        const [watchSent, muteSent] = ws.sent.slice(1);
        // Replies come back out of order; each finds its request by `re`.
        ws.reply({ type: "participant-updated", re: muteSent.id,
                   participant: { participant_id: "p-1", name: "Ann", role: "participant",
                                  audio_muted: true, video_muted: false } });
        ws.reply({ type: "offer", re: watchSent.id, feed: 5, sdp: "v=0 janus" });
        const offer = await watching;
        const updated = await muting;

        const recording = outcome(s.request(P.record("start")));
        const recordSent = ws.sent[ws.sent.length - 1];
        ws.reply({ type: "error", re: recordSent.id, code: "not-available", message: "later" });
        return { url: ws.url, first, joinedMessage, watchSent, muteSent, offer, updated,
                 recording: await recording, ids: ws.sent.map((m) => m.id) };
        """,
    )
    assert result["url"] == "ws://ngage.test/meetings/ws"
    first = result["first"]
    assert first["type"] == "join" and first["token"] == "tok" and first["v"] == 1
    assert isinstance(first["id"], str) and 0 < len(first["id"]) <= 64
    assert result["joinedMessage"]["participant_id"] == "p-1"
    assert result["watchSent"] == {"v": 1, "type": "watch", "feed": 5, "id": result["ids"][1]}
    assert result["offer"] == {
        "type": "offer",
        "feed": 5,
        "sdp": "v=0 janus",
        "re": result["watchSent"]["id"],
    }
    assert result["updated"]["participant"]["audio_muted"] is True
    assert result["recording"] == {
        "ok": False,
        "name": "SignalingError",
        "code": "not-available",
        "message": "later",
    }
    assert len(set(result["ids"])) == len(result["ids"])


async def test_signaling_dispatches_events_and_unsolicited_errors(page: Page) -> None:
    result = await run(
        page,
        """
        const s = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url));
        const seen = [];
        for (const type of ["joined", "feed-added", "speaking", "error", "send-error",
                            "protocol-error", "message"]) {
          s.on(type, (payload) => seen.push([type, payload.type ?? payload.error?.code ?? null]));
        }
        const off = s.on("speaking", () => seen.push(["removed listener", null]));
        off();
        const connecting = s.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        const ws = FakeSocket.last;
        joined(ws);
        await connecting;
        ws.reply({ type: "feed-added", feed: { feed: 3, participant_id: "p-2", kind: "camera" } });
        ws.reply({ type: "speaking", participant_id: "p-2", speaking: true });
        ws.reply({ type: "error", code: "media-unavailable", message: "janus is down" });
        ws.raw("not json");
        ws.reply({ type: "offer", feed: "nope" });
        // `send` (trickle) has no reply; an error about it is told apart from other errors.
        s.send(P.trickle("watch:3", null));
        const trickle = ws.sent[ws.sent.length - 1];
        ws.reply({ type: "error", code: "not-found", message: "no pc", re: trickle.id });
        return { seen, trickle };
        """,
    )
    assert result["trickle"]["type"] == "trickle" and result["trickle"]["id"]
    assert result["seen"] == [
        ["joined", "joined"],
        ["message", "joined"],
        ["feed-added", "feed-added"],
        ["message", "feed-added"],
        ["speaking", "speaking"],
        ["message", "speaking"],
        ["error", "error"],
        ["message", "error"],
        ["protocol-error", None],
        ["protocol-error", None],
        ["send-error", "not-found"],
    ]


async def test_signaling_pings_and_reconnects_with_backoff_resending_join(page: Page) -> None:
    result = await run(
        page,
        """
        const s = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url),
          { pingIntervalMs: 40, backoffInitialMs: 10, backoffMaxMs: 60 });
        const delays = [];
        const events = [];
        s.on("reconnecting", (e) => delays.push(e.delayMs));
        s.on("reconnected", (m) => events.push("reconnected " + m.participant_id));
        s.on("close", (e) => events.push("close " + e.code + " " + e.final));
        const connecting = s.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        const first = FakeSocket.last;
        joined(first);
        await connecting;
        await until(() => first.types().includes("ping"));
        const ping = first.sent.find((m) => m.type === "ping");
        first.reply({ type: "pong", re: ping.id });
        const pending = outcome(s.request(P.watch(1)));

        // The next join carries what the client knows now.
        s.updateJoin(P.join({ token: "tok", role: "participant", name: "Ann", audioMuted: true }));
        FakeSocket.refuse = 4;  // the server is away for four attempts
        first.drop(1006);
        const lost = await pending;
        await until(() => FakeSocket.all.length === 6 && FakeSocket.last.sent.length === 1);
        const again = FakeSocket.last;
        joined(again, { participant_id: "p-9" });
        await until(() => events.includes("reconnected p-9"));
        // A later drop starts the backoff from the beginning again.
        again.drop(1011);
        await until(() => FakeSocket.all.length === 7 && FakeSocket.last.sent.length === 1);
        return { delays, events, lost, rejoin: again.sent[0], sockets: FakeSocket.all.length,
                 defaults: (({ pingIntervalMs, backoffInitialMs, backoffMaxMs }) =>
                   ({ pingIntervalMs, backoffInitialMs, backoffMaxMs }))(
                   new P.Signaling("ws://x", () => null)) };
        """,
    )
    assert result["defaults"] == {
        "pingIntervalMs": 20000,
        "backoffInitialMs": 500,
        "backoffMaxMs": 5000,
    }
    # 10 ms doubling, capped at 60 ms; then reset after the successful rejoin.
    assert result["delays"] == [10, 20, 40, 60, 60, 10]
    assert result["lost"]["ok"] is False and result["lost"]["code"] == "disconnected"
    rejoin = result["rejoin"]
    assert rejoin["type"] == "join" and rejoin["audio_muted"] is True
    assert "reconnected p-9" in result["events"]
    assert result["events"][0] == "close 1006 false"


async def test_signaling_reopens_a_socket_whose_pongs_stop(page: Page) -> None:
    result = await run(
        page,
        """
        const s = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url),
          { pingIntervalMs: 30, backoffInitialMs: 10 });
        const connecting = s.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        const silent = FakeSocket.last;
        joined(silent);
        await connecting;
        // Never answer the pings: the client gives up on this socket and opens another.
        await until(() => FakeSocket.all.length === 2 && FakeSocket.last.sent.length === 1);
        s.close();
        return { pings: silent.types().filter((t) => t === "ping").length,
                 closedWith: silent.closedWith, rejoin: FakeSocket.last.sent[0].type };
        """,
    )
    assert result["pings"] == 1
    assert result["closedWith"] == 4000
    assert result["rejoin"] == "join"


@pytest.mark.parametrize("code", [4403, 4410])
async def test_signaling_stops_after_final_close_codes(page: Page, code: int) -> None:
    result = await run(
        page,
        f"""
        const s = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url),
          {{ backoffInitialMs: 5 }});
        const closes = [];
        s.on("close", (e) => closes.push(e));
        const connecting = s.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        joined(FakeSocket.last);
        await connecting;
        FakeSocket.last.drop({code});
        await sleep(80);
        return {{ closes, sockets: FakeSocket.all.length }};
        """,
    )
    assert result["sockets"] == 1
    assert result["closes"] == [{"code": code, "reason": "", "final": True}]


async def test_signaling_rejects_a_refused_join_and_stops_after_leave(page: Page) -> None:
    result = await run(
        page,
        """
        const s = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url),
          { backoffInitialMs: 5 });
        const refused = outcome(s.connect(joinMessage()));
        await until(() => FakeSocket.last?.sent.length === 1);
        const ws = FakeSocket.last;
        ws.reply({ type: "error", re: ws.sent[0].id, code: "link-rejected", message: "forged" });
        ws.drop(4403);
        const first = await refused;

        const s2 = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url),
          { backoffInitialMs: 5 });
        const connecting = s2.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        const ws2 = FakeSocket.last;
        joined(ws2);
        await connecting;
        s2.leave();
        await sleep(60);
        return { first, sockets: FakeSocket.all.length, last: ws2.sent[ws2.sent.length - 1],
                 closedWith: ws2.closedWith, open: s2.isOpen(),
                 afterLeave: await outcome(s2.request(P.ping())) };
        """,
    )
    assert result["first"] == {
        "ok": False,
        "name": "SignalingError",
        "code": "link-rejected",
        "message": "forged",
    }
    assert result["sockets"] == 2
    assert result["last"]["type"] == "leave"
    assert result["closedWith"] == 1000
    assert result["open"] is False
    assert result["afterLeave"]["code"] == "disconnected"


async def test_signaling_times_out_requests_without_reply(page: Page) -> None:
    result = await run(
        page,
        """
        const s = new P.Signaling("ws://x/meetings/ws", (url) => new FakeSocket(url),
          { requestTimeoutMs: 30 });
        const connecting = s.connect(joinMessage());
        await until(() => FakeSocket.last?.sent.length === 1);
        joined(FakeSocket.last);
        await connecting;
        const unanswered = await outcome(s.request(P.unwatch(3)));
        s.close();
        return unanswered;
        """,
    )
    assert result["ok"] is False
    assert result["code"] == "timeout"
