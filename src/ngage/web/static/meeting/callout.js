// @ts-check
/**
 * Invite by phone (call-out): the section of the invite dialog with a number field, a Call
 * button and the calls this page placed. Absent when the role may not call out; says so
 * when the server has no SIP trunk.
 * @module callout
 */
import * as P from "./protocol.js";
import { h } from "./dom.js";
import { icon } from "./icons.js";
import { signaling, state } from "./session.js";
import { toast } from "./toasts.js";

/** @typedef {{number: string, status: P.CallStatus, reason: string}} Call */

/** The calls this page placed, by the phone's participant id (kept until the page leaves). */
export const calls = /** @type {Map<string, Call>} */ (new Map());

const STATUS_TEXT = {
  calling: "Calling…",
  ringing: "Ringing…",
  "in-call": "In the meeting",
  "hanging-up": "Hanging up…",
  ended: "Call ended",
};

/** @param {string} reason */
function endedText(reason) {
  const why = { busy: "busy", "no-answer": "no answer", declined: "declined", failed: "failed" };
  const text = why[/** @type {keyof typeof why} */ (reason)];
  return text ? `Call ended (${text})` : STATUS_TEXT.ended;
}

/** A `call-out` status from the server (answers and later news alike). @param {P.ServerMessage} m */
export function onCallOut(m) {
  const id = /** @type {string} */ (m.participant_id);
  const status = /** @type {P.CallStatus} */ (m.status);
  const known = calls.get(id);
  // A call only moves forward: a late answer never takes an ended call back to ringing.
  if (known && P.CALL_STATUSES.indexOf(status) < P.CALL_STATUSES.indexOf(known.status)) return;
  calls.set(id, { number: m.number ?? known?.number ?? "", status, reason: m.reason ?? "" });
  renderCalls();
}

/** The section for the invite dialog, or null when the role may not call out. */
export function callOutSection() {
  const callout = state.callout;
  if (!callout?.allowed) return null;
  const title = h("h3", { class: "section-title", text: "Invite by phone" });
  if (!callout.configured) {
    const text = "Call-out is not configured on this server";
    return h(
      "section",
      { class: "callout", testid: "callout" },
      title,
      h("p", { class: "muted", testid: "callout-not-configured", text }),
    );
  }
  return h(
    "section",
    { class: "callout", testid: "callout" },
    title,
    dialForm(),
    h("ul", { class: "callout-calls", testid: "callout-calls" }),
  );
}

function dialForm() {
  const input = h("input", {
    id: "callout-number",
    type: "tel",
    class: "input",
    testid: "callout-number",
    placeholder: "+15551234567",
    autocomplete: "off",
    "aria-label": "Phone number",
  });
  const button = h(
    "button",
    { type: "submit", class: "btn btn-primary", testid: "callout-call" },
    icon("invite"),
    h("span", { text: "Call" }),
  );
  const form = h("form", { class: "callout-form" }, input, button);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    dial(input.value.replace(/[\s().-]/g, ""), input);
  });
  queueMicrotask(renderCalls);
  return form;
}

/** @param {string} number @param {HTMLInputElement} input */
function dial(number, input) {
  if (!P.PHONE_NUMBER.test(number)) return toast("Enter a phone number: digits, optionally a leading +.");
  input.value = "";
  signaling.request(P.callOut(number)).then(onCallOut, (/** @type {P.SignalingError} */ error) => toast(error.message));
}

/** @param {string} id */
function hangUp(id) {
  signaling.request(P.hangUpPhone(id)).then(onCallOut, (/** @type {P.SignalingError} */ error) => toast(error.message));
}

/** Redraw the list of calls, wherever the dialog shows it. */
export function renderCalls() {
  const list = document.querySelector('[data-testid="callout-calls"]');
  if (!list) return;
  list.replaceChildren(...[...calls].reverse().map(([id, call]) => callRow(id, call)));
}

/** @param {string} id @param {Call} call */
function callRow(id, call) {
  const live = call.status !== "ended" && call.status !== "hanging-up";
  const text = call.status === "ended" ? endedText(call.reason) : STATUS_TEXT[call.status];
  return h(
    "li",
    { class: "callout-call", "data-participant-id": id, "data-status": call.status },
    h("span", { class: "callout-number", text: call.number }),
    h("span", { class: "muted", testid: "callout-status", text }),
    live
      ? h("button", {
          type: "button",
          class: "btn btn-danger btn-small",
          testid: "callout-hangup",
          text: "Hang up",
          onclick: () => hangUp(id),
        })
      : null,
  );
}
