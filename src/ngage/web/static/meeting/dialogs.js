// @ts-check
/**
 * The live meeting's popovers (security, more) and dialogs (invite, end for all, devices).
 * @module dialogs
 */
import * as P from "./protocol.js";
import { callOutSection } from "./callout.js";
import { toggleFullscreen, toggleView } from "./controls.js";
import { fillDeviceSelects, switchDevice } from "./devices.js";
import { field, h, iconButton } from "./dom.js";
import { icon } from "./icons.js";
import { closePopovers, dialog, togglePopover } from "./overlay.js";
import { securitySwitches } from "./security.js";
import { abilities, hosting, signaling, state } from "./session.js";
import { formatMeetingId } from "./text.js";
import { setSpeaker } from "./tiles.js";
import { toast } from "./toasts.js";

/** @typedef {import("./icons.js").IconName} IconName */

/** @param {HTMLElement} anchor */
export function toggleSecurityMenu(anchor) {
  togglePopover(anchor, securityMenu);
}

/** @param {HTMLElement} anchor */
export function toggleMoreMenu(anchor) {
  togglePopover(anchor, moreMenu);
}

function securityMenu() {
  const role = state.role === "host" ? "Host" : hosting() ? "Co-host" : "Participant";
  return h(
    "div",
    { class: "popover", role: "dialog", "aria-label": "Security", testid: "security-menu", tabindex: "-1" },
    h("h2", { class: "popover-title", text: "Security" }),
    h(
      "dl",
      { class: "facts" },
      h("dt", { text: "Meeting ID" }),
      h("dd", { text: formatMeetingId(state.meeting.id) }),
      h("dt", { text: "Media" }),
      h("dd", {}, icon("lock"), " Media encrypted (DTLS-SRTP)"),
      h("dt", { text: "Your role" }),
      h("dd", { text: role }),
      h("dt", { text: "Meeting" }),
      h("dd", { text: meetingAccess() }),
    ),
    securitySwitches(),
  );
}

function meetingAccess() {
  if (state.security.locked) return "Locked: nobody new can join";
  return state.security.waiting_room ? "Waiting room: the host lets people in" : "Open";
}

function moreMenu() {
  const items = [
    menuItem(
      state.view === "gallery" ? "speaker" : "grid",
      state.view === "gallery" ? "Switch to speaker view" : "Switch to gallery view",
      toggleView,
    ),
    menuItem("fullscreen", document.fullscreenElement ? "Exit full screen" : "Full screen", toggleFullscreen),
    menuItem("settings", "Device settings…", openDeviceSettings),
  ];
  const menu = h("div", { class: "popover menu", role: "menu", "aria-label": "More", testid: "more-menu" }, ...items);
  menu.addEventListener("keydown", (e) => menuKeys(e, items));
  return menu;
}

/** @param {IconName} ic @param {string} label @param {() => void} action */
function menuItem(ic, label, action) {
  return h(
    "button",
    {
      type: "button",
      role: "menuitem",
      class: "menu-item",
      onclick: () => {
        closePopovers();
        action();
      },
    },
    icon(ic),
    h("span", { text: label }),
  );
}

/** Arrow keys move between menu items. @param {KeyboardEvent} e @param {HTMLElement[]} items */
function menuKeys(e, items) {
  const i = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
  if (!step) return;
  e.preventDefault();
  items[(i + step + items.length) % items.length].focus();
}

/** A read-only value with a copy button. @param {string} label @param {string} value @param {string} testid */
function copyField(label, value, testid) {
  const id = `copy-${testid}`;
  // A read-only textarea: its value and its text are both the copied value.
  const valueEl = h("textarea", {
    id,
    class: "copy-value",
    testid,
    readonly: true,
    rows: "1",
    wrap: "off",
    spellcheck: "false",
    text: value,
  });
  const button = iconButton({
    icon: "copy",
    label: `Copy ${label.toLowerCase()}`,
    class: "btn-secondary btn-small",
    text: "Copy",
    onclick: () => copy(value, valueEl),
  });
  return h(
    "div",
    { class: "copy-row" },
    h("label", { class: "field-label", for: id, text: label }),
    h("div", { class: "copy-line" }, valueEl, button),
  );
}

/** @param {string} text @param {HTMLTextAreaElement | null} [valueEl] */
async function copy(text, valueEl = null) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    valueEl?.select();
    if (!document.execCommand("copy")) return toast("Copy failed: select the text and copy it yourself.");
  }
  toast("Copied to the clipboard", "info");
}

export function openInvite() {
  const invite = state.invite;
  if (!invite) return;
  const text = `Join my ngage meeting: ${invite.join_url}\nMeeting ID: ${formatMeetingId(invite.meeting_id)}\nPassword: ${invite.password}`;
  const body = [
    h("p", {
      class: "muted",
      text: "Share the link, or the meeting ID and password for joining from the ngage home page.",
    }),
    copyField("Join link", invite.join_url, "invite-link"),
    copyField("Meeting ID", formatMeetingId(invite.meeting_id), "invite-meeting-id"),
    copyField("Password", invite.password, "invite-password"),
    callOutSection(),
  ].filter((x) => x !== null);
  dialog("Invite people", "invite-dialog", /** @type {Node[]} */ (body), [
    h(
      "button",
      { type: "button", class: "btn btn-primary", onclick: () => copy(text) },
      icon("link"),
      h("span", { text: "Copy invitation" }),
    ),
  ]);
}

export function confirmEnd() {
  const cancel = h("button", { type: "button", class: "btn btn-secondary", text: "Cancel" });
  const confirm = h("button", {
    type: "button",
    class: "btn btn-danger",
    testid: "end-confirm",
    text: "End meeting for all",
  });
  const el = dialog(
    "End the meeting?",
    "end-dialog",
    [h("p", { text: "Everyone will be removed from the meeting. This cannot be undone." })],
    [cancel, confirm],
  );
  cancel.addEventListener("click", () => el.close());
  confirm.addEventListener("click", () => {
    el.close();
    endForAll();
  });
  cancel.focus();
}

function endForAll() {
  state.endedByMe = true;
  // The answer is `meeting-ended` (to everyone), which ends this page too.
  signaling.request(P.end()).catch((/** @type {P.SignalingError} */ error) => {
    if (error.code === P.ErrorCode.DISCONNECTED || state.phase === "ended") return;
    state.endedByMe = false;
    toast(error.message);
  });
}

function openDeviceSettings() {
  const can = abilities();
  const cameraSelect = h("select", { id: "settings-camera", "aria-label": "Camera" });
  const micSelect = h("select", { id: "settings-mic", "aria-label": "Microphone" });
  const speakerSelect = h("select", { id: "settings-speaker", "aria-label": "Speaker" });
  const canPickSpeaker = can.audio && "setSinkId" in HTMLMediaElement.prototype;
  cameraSelect.addEventListener("change", () => switchDevice("video", cameraSelect.value));
  micSelect.addEventListener("change", () => switchDevice("audio", micSelect.value));
  speakerSelect.addEventListener("change", () => setSpeaker(speakerSelect.value));
  fillDeviceSelects(cameraSelect, micSelect, canPickSpeaker ? speakerSelect : null);
  const body = [
    can.av ? field("Camera", cameraSelect, "camera") : null,
    can.audio ? field("Microphone", micSelect, "mic") : null,
    canPickSpeaker ? field("Speaker", speakerSelect, "volume") : null,
    can.av || can.audio
      ? null
      : h("p", { class: "muted", text: "This meeting does not use your camera or microphone." }),
  ].filter((x) => x !== null);
  dialog("Device settings", "device-settings", /** @type {Node[]} */ (body));
}
