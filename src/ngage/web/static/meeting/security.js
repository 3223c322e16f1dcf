// @ts-check
/**
 * The meeting's security for hosts and co-hosts (with `security_option`): the switches of the
 * Security menu (lock, waiting room, what participants may do), and the waiting room, where
 * they let arrivals in or not. The server enforces every setting; these only ask for them.
 * @module security
 */
import * as P from "./protocol.js";
import { h } from "./dom.js";
import { abilities, SECURITY_DEFAULTS, signaling, state } from "./session.js";
import { toast } from "./toasts.js";

/** @typedef {import("./protocol.js").Guest} Guest */
/** @typedef {keyof typeof SECURITY_DEFAULTS} SecurityField */

/** @type {[SecurityField, string][]} the host's switches, in the order the menu shows them */
const SWITCHES = [
  ["locked", "Lock meeting"],
  ["waiting_room", "Enable waiting room"],
];
/** @type {[SecurityField, string][]} */
const PERMISSIONS = [
  ["allow_share", "Share screen"],
  ["allow_chat", "Chat with everyone"],
  ["allow_rename", "Rename themselves"],
  ["allow_unmute", "Unmute themselves"],
];

/** @param {SecurityField} field @param {string} label */
function securitySwitch(field, label) {
  const id = field === "locked" ? "lock-toggle" : `security-${field.replace(/_/g, "-")}`;
  const input = h("input", { type: "checkbox", id, role: "switch", testid: id, ".checked": state.security[field] });
  input.addEventListener("change", async () => {
    try {
      await signaling.request(P.security({ [field]: input.checked }));
    } catch (error) {
      input.checked = state.security[field];
      toast(/** @type {Error} */ (error).message || "Could not change the meeting's security");
    }
  });
  return h("label", { class: "switch", for: id }, input, h("span", { text: label }));
}

/** The Security menu's switches (hosts and co-hosts with `security_option`), or null. */
export function securitySwitches() {
  if (!abilities().lock) return null;
  return h(
    "div",
    { class: "security-switches" },
    ...SWITCHES.map(([field, label]) => securitySwitch(field, label)),
    h("p", { class: "popover-subtitle", text: "Allow participants to:" }),
    ...PERMISSIONS.map(([field, label]) => securitySwitch(field, label)),
  );
}

/**
 * The security settings changed: what participants now may not do, said once.
 * @param {object} m a `security` message, or `joined.security`
 * @returns {string[]} what to tell this participant
 */
export function applySecurity(m) {
  const before = state.security;
  const sent = /** @type {Record<string, unknown>} */ (m);
  /** @type {Record<string, boolean>} */
  const now = { ...SECURITY_DEFAULTS };
  for (const key of Object.keys(now)) if (typeof sent[key] === "boolean") now[key] = /** @type {boolean} */ (sent[key]);
  state.security = /** @type {typeof state.security} */ (now);
  const notes = [];
  if (now.locked !== before.locked)
    notes.push(now.locked ? "The meeting is locked: nobody new can join" : "The meeting is unlocked");
  if (now.waiting_room !== before.waiting_room && abilities().lock)
    notes.push(now.waiting_room ? "The waiting room is on" : "The waiting room is off");
  for (const [field, label] of PERMISSIONS)
    if (now[field] !== before[field] && !abilities().lock)
      notes.push(`The host ${now[field] ? "lets" : "no longer lets"} participants ${label.toLowerCase()}`);
  return notes;
}

/**
 * Who waits in the waiting room now; a new arrival is announced.
 * @param {Guest[]} guests
 */
export function setLobby(guests) {
  const known = new Set(state.lobby.map((g) => g.participant_id));
  state.lobby = guests;
  const fresh = guests.filter((g) => !known.has(g.participant_id));
  if (fresh.length === 1) toast(`${fresh[0].name} is in the waiting room`, "info");
  else if (fresh.length > 1) toast(`${fresh.length} people are in the waiting room`, "info");
}

/** @param {"admit" | "deny"} action @param {string | null} participantId */
async function decide(action, participantId) {
  try {
    await signaling.request(P.admit(action, participantId));
  } catch (error) {
    toast(/** @type {Error} */ (error).message || "Could not answer the waiting room");
  }
}

/** @param {string} text @param {string} testid @param {() => void} onclick */
function smallButton(text, testid, onclick, kind = "btn-secondary") {
  return h("button", { type: "button", class: `btn btn-small ${kind}`, testid, text, onclick });
}

/** The waiting room at the top of the participants panel, for those who can admit (or null). */
export function lobbySection() {
  if (!abilities().lock || state.lobby.length === 0) return null;
  const rows = state.lobby.map((g) =>
    h(
      "li",
      { class: "person guest", "data-participant-id": g.participant_id },
      h("span", { class: "person-name" }, h("span", { class: "person-label", text: g.name })),
      h(
        "span",
        { class: "person-controls" },
        smallButton("Admit", "guest-admit", () => decide("admit", g.participant_id), "btn-primary"),
        smallButton("Deny", "guest-deny", () => decide("deny", g.participant_id)),
      ),
    ),
  );
  return h(
    "section",
    { class: "lobby", testid: "waiting-room", "aria-label": "Waiting room" },
    h(
      "div",
      { class: "people-actions" },
      h("strong", { text: `Waiting room (${state.lobby.length})` }),
      smallButton("Admit all", "guest-admit-all", () => decide("admit", null)),
    ),
    h("ul", { class: "people", role: "list" }, ...rows),
  );
}
