// @ts-check
/**
 * Breakout rooms: the host's panel body (create, assign by hand or automatically, open,
 * broadcast, visit, close with a countdown) and the notice above the stage for everyone
 * in a breakout room (where you are, return to the main room, the countdown). events.js
 * keeps the state; panels.js and toolbar.js frame what this module draws.
 * @module breakout
 */
import * as P from "./protocol.js";
import { h } from "./dom.js";
import { abilities, everyone, signaling, state } from "./session.js";
import { toast } from "./toasts.js";

/** @typedef {import("./protocol.js").BreakoutRoom} BreakoutRoom */

/** The inputs live across redraws, so what the host typed survives a roster change. */
const inputs = {
  count: h("input", {
    type: "number",
    min: "1",
    max: "50",
    value: "2",
    class: "poll-input",
    testid: "breakout-count",
    "aria-label": "Number of rooms",
  }),
  text: h("input", {
    type: "text",
    maxlength: "500",
    class: "poll-input",
    testid: "breakout-message-text",
    placeholder: "Message to all rooms",
    "aria-label": "Message to all rooms",
  }),
  seconds: h("input", {
    type: "number",
    min: "0",
    max: "300",
    value: "10",
    class: "poll-input",
    testid: "breakout-close-seconds",
    "aria-label": "Countdown in seconds",
  }),
};

/** @param {P.BreakoutAction} action @param {Record<string, unknown>} [fields] */
export function sendBreakout(action, fields = {}) {
  let msg;
  try {
    msg = P.breakout(action, fields);
  } catch (error) {
    return toast(/** @type {Error} */ (error).message);
  }
  signaling.request(msg).catch((/** @type {Error} */ error) => toast(error.message));
}

/** The name of a room (0: the main room). @param {number} room */
export function roomName(room) {
  if (!room) return "Main room";
  return state.breakout.rooms.find((r) => r.room === room)?.name ?? `Room ${room}`;
}

/** The room the host assigned this participant to (0: none). */
function myRoom() {
  return state.breakout.rooms.find((r) => r.participants.includes(state.selfId))?.room ?? 0;
}

/** @param {string} text @param {string} testid @param {() => void} onclick @param {string} [extra] */
function button(text, testid, onclick, extra = "") {
  return h("button", { type: "button", class: `btn btn-small ${extra}`, testid, text, onclick });
}

/** The host's panel: what it shows follows the rooms' status. @returns {Node[]} */
export function breakoutPanelBody() {
  const { status } = state.breakout;
  const create = h(
    "div",
    { class: "breakout-row" },
    inputs.count,
    button("Create rooms", "breakout-create", () => sendBreakout("create", { count: Number(inputs.count.value) })),
  );
  if (status === "none") return [h("p", { class: "muted small", text: "Split the meeting into rooms." }), create];
  /** @type {HTMLElement[]} */
  const body = [h("p", { class: "small", testid: "breakout-status", text: statusText() })];
  if (status === "draft") body.push(create);
  if (status !== "closing") body.push(assignList());
  if (status === "draft")
    body.push(button("Open all rooms", "breakout-open", () => sendBreakout("open"), "btn-primary"));
  if (status === "open") body.push(...openControls());
  return [h("div", { class: "breakout", testid: "breakout-body" }, ...body)];
}

function statusText() {
  const count = state.breakout.rooms.length;
  if (state.breakout.status === "draft") return `${count} rooms, not open yet`;
  if (state.breakout.status === "closing") return `Rooms close in ${state.closingIn ?? 0} s`;
  return `${count} rooms are open`;
}

/** A select per participant (hosts run the rooms, they are not sent), and Assign automatically. */
function assignList() {
  const rows = everyone()
    .filter((p) => p.role !== "host")
    .map((p) => {
      const current = state.breakout.rooms.find((r) => r.participants.includes(p.participant_id))?.room ?? 0;
      const select = h(
        "select",
        { testid: "breakout-assign", "data-participant-id": p.participant_id, "aria-label": `Room for ${p.name}` },
        ...[0, ...state.breakout.rooms.map((r) => r.room)].map((room) =>
          h("option", { value: String(room), text: roomName(room), ".selected": room === current }),
        ),
      );
      select.addEventListener("change", () =>
        sendBreakout("assign", { participant_id: p.participant_id, room: Number(select.value) }),
      );
      return h("li", { class: "breakout-person" }, h("span", { text: p.name }), select);
    });
  return h(
    "div",
    {},
    h("ul", { class: "breakout-people", role: "list" }, ...rows),
    button("Assign automatically", "breakout-auto", () => sendBreakout("auto-assign")),
  );
}

/** Visit a room, message all rooms, close all rooms with a countdown. */
function openControls() {
  const visits = state.breakout.rooms.map((r) =>
    button(`Join ${r.name}`, "breakout-visit", () => sendBreakout("join", { room: r.room })),
  );
  const send = () => {
    sendBreakout("broadcast", { text: inputs.text.value });
    inputs.text.value = "";
  };
  const close = () => sendBreakout("close", { seconds: Number(inputs.seconds.value) });
  return [
    h("div", { class: "breakout-row" }, ...visits),
    h("div", { class: "breakout-row" }, inputs.text, button("Send", "breakout-message-send", send)),
    h(
      "div",
      { class: "breakout-row" },
      inputs.seconds,
      button("Close all rooms", "breakout-close", close, "btn-danger"),
    ),
  ];
}

/** Above the stage: where you are, the way back, the countdown, the host's last message. @returns {HTMLElement[]} */
export function breakoutNotices() {
  if (!abilities().breakout) return [];
  const notices = [];
  if (state.room) {
    notices.push(
      chip(
        `You are in ${state.roomName}`,
        "breakout-where",
        button("Return to main room", "breakout-return", () => sendBreakout("return")),
      ),
    );
  } else if (state.breakout.status === "open" && myRoom()) {
    const room = myRoom();
    notices.push(
      chip(
        `${roomName(room)} is open for you`,
        "breakout-invite",
        button(`Join ${roomName(room)}`, "breakout-rejoin", () => sendBreakout("join", { room })),
      ),
    );
  }
  if (state.closingIn !== null)
    notices.push(chip(`Breakout rooms close in ${state.closingIn} s`, "breakout-countdown"));
  return notices;
}

/** @param {string} text @param {string} testid @param {HTMLElement} [action] */
function chip(text, testid, action) {
  return h("div", { class: "sharing-chip", testid, role: "status" }, h("span", { text }), action ?? null);
}
