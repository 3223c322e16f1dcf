// @ts-check
/**
 * Host controls and their effects: mute all, mute, stop video, ask to unmute and co-hosts (with
 * `more_meeting_control`), remove someone (with `security_option`), renaming, and on the
 * participant's side the prompt that asks to unmute. The server enforces the rights;
 * these controls are shown only to a role that may use them.
 * @module moderation
 */
import * as P from "./protocol.js";
import { h } from "./dom.js";
import { dialog } from "./overlay.js";
import { abilities, hosting, state } from "./session.js";
import { requestOrSay, toast } from "./toasts.js";

/** @typedef {import("./protocol.js").Participant} Participant */

/**
 * A small text button on a participant's row.
 * @param {string} text @param {string} label @param {string} testid @param {() => void} onclick
 */
function rowButton(text, label, testid, onclick, danger = false) {
  return h("button", {
    type: "button",
    class: `btn btn-small person-action${danger ? " danger" : ""}`,
    testid,
    "aria-label": label,
    title: label,
    text,
    onclick,
  });
}

/** "Mute all", above the participants list (hosts with `more_meeting_control`). */
export function muteAllButton() {
  if (!abilities().moderate) return null;
  return h("button", {
    type: "button",
    class: "btn btn-secondary btn-small",
    testid: "mute-all",
    text: "Mute all",
    onclick: () => requestOrSay(P.moderate("mute-all"), "Could not mute everyone"),
  });
}

/** The buttons on a participant's row: the host's controls, and renaming. @param {Participant} p @returns {HTMLElement[]} */
export function personControls(p) {
  const can = abilities();
  // A phone cannot unmute itself or rejoin: the host simply hangs it up.
  if (p.role === "phone") return state.role === "host" ? [phoneHangUp(p)] : [];
  const me = p.participant_id === state.selfId;
  const renaming =
    (me && can.rename) || (!me && hosting())
      ? [rowButton("Rename", `Rename ${p.name}`, "participant-rename", () => renameDialog(p))]
      : [];
  if (me || !(can.moderate || can.lock)) return renaming;
  const id = p.participant_id;
  const buttons = [...renaming];
  if (can.nameCohosts && p.role !== "host")
    buttons.push(
      rowButton(p.cohost ? "Remove co-host" : "Make co-host", `Co-host: ${p.name}`, "participant-cohost", () =>
        requestOrSay(P.cohost(id, !p.cohost), "Could not change the co-host"),
      ),
    );
  if (can.moderate) {
    if (p.audio_muted)
      buttons.push(
        rowButton("Ask to unmute", `Ask ${p.name} to unmute`, "participant-ask-unmute", () =>
          requestOrSay(P.moderate("ask-unmute", id), "Could not ask to unmute"),
        ),
      );
    else
      buttons.push(
        rowButton("Mute", `Mute ${p.name}`, "participant-mute", () =>
          requestOrSay(P.moderate("mute", id), "Could not mute"),
        ),
      );
    if (!p.video_muted)
      buttons.push(
        rowButton("Stop video", `Stop ${p.name}'s video`, "participant-stop-video", () =>
          requestOrSay(P.moderate("stop-video", id), "Could not stop the video"),
        ),
      );
  }
  if (can.lock && p.role !== "host" && (!p.cohost || state.role === "host"))
    buttons.push(rowButton("Remove", `Remove ${p.name}`, "participant-remove", () => confirmRemove(p), true));
  return buttons;
}

/** @param {Participant} p */
function renameDialog(p) {
  const input = h("input", {
    type: "text",
    class: "input",
    testid: "rename-input",
    maxlength: String(P.MAX_NAME_LENGTH),
    "aria-label": "New name",
    ".value": p.name,
  });
  const cancel = h("button", { type: "button", class: "btn btn-secondary", text: "Cancel" });
  const save = h("button", { type: "button", class: "btn btn-primary", testid: "rename-save", text: "Rename" });
  const el = dialog(
    `Rename ${p.participant_id === state.selfId ? "yourself" : p.name}`,
    "rename-dialog",
    [input],
    [cancel, save],
  );
  cancel.addEventListener("click", () => el.close());
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") save.click();
  });
  save.addEventListener("click", () => {
    const name = input.value.trim();
    if (!name) return;
    el.close();
    const mine = p.participant_id === state.selfId;
    requestOrSay(P.rename(name, mine ? null : p.participant_id), "Could not rename");
  });
  input.focus();
  input.select();
}

/** @param {Participant} p */
function phoneHangUp(p) {
  const label = `Hang up ${p.name}`;
  const hangUp = () => requestOrSay(P.hangUpPhone(p.participant_id), "Could not hang up");
  return rowButton("Hang up", label, "participant-hang-up", hangUp, true);
}

/** @param {Participant} p */
function confirmRemove(p) {
  const cancel = h("button", { type: "button", class: "btn btn-secondary", text: "Cancel" });
  const confirm = h("button", { type: "button", class: "btn btn-danger", testid: "remove-confirm", text: "Remove" });
  const el = dialog(
    `Remove ${p.name}?`,
    "remove-dialog",
    [h("p", { text: `${p.name} will leave the meeting and cannot join it again from this browser.` })],
    [cancel, confirm],
  );
  cancel.addEventListener("click", () => el.close());
  confirm.addEventListener("click", () => {
    el.close();
    requestOrSay(P.remove(p.participant_id), "Could not remove them");
  });
  cancel.focus();
}

/** @type {HTMLDialogElement | null} */
let prompt = null;

/**
 * The host asks this participant to unmute: ask the user, never unmute silently.
 * @param {string} by the host's name @param {() => void} unmute
 */
export function unmutePrompt(by, unmute) {
  prompt?.close();
  const stay = h("button", { type: "button", class: "btn btn-secondary", testid: "unmute-stay", text: "Stay muted" });
  const yes = h("button", { type: "button", class: "btn btn-primary", testid: "unmute-accept", text: "Unmute" });
  const el = dialog(
    "Unmute?",
    "unmute-prompt",
    [h("p", { text: `${by || "The host"} asks you to unmute.` })],
    [stay, yes],
  );
  prompt = el;
  el.addEventListener("close", () => {
    if (prompt === el) prompt = null;
  });
  stay.addEventListener("click", () => el.close());
  yes.addEventListener("click", () => {
    el.close();
    unmute();
  });
  yes.focus();
}
