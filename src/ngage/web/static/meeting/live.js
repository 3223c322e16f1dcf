// @ts-check
/**
 * The live meeting's frame: top bar (topic, recording badge, encryption, clock), stage, side
 * panels, toolbar.
 * @module live
 */
import { mountCaptions } from "./captions.js";
import { stopRecording } from "./controls.js";
import { h, iconButton } from "./dom.js";
import { icon } from "./icons.js";
import { show } from "./overlay.js";
import { mountSide, renderSide } from "./panels.js";
import { abilities, media, setPhase, state } from "./session.js";
import { mountStage } from "./stage.js";
import { syncTiles } from "./tiles.js";
import { renderReconnecting } from "./toasts.js";
import { mountToolbar, renderToolbar } from "./toolbar.js";

/** @type {HTMLElement | null} */
let clock = null;
/** Where the recording badge goes in the top bar. @type {HTMLElement | null} */
let recordingSlot = null;
/** Where the locked badge goes. @type {HTMLElement | null} */
let lockSlot = null;

/** Shows the meeting (or brings it up to date) and starts sending and receiving media. */
export function enterLive() {
  if (state.phase !== "live") renderLive();
  else {
    renderToolbar();
    renderSide();
    syncTiles();
    renderRecording();
    renderLockBadge();
  }
  renderReconnecting();
  media.goLive();
}

function renderLive() {
  setPhase("live");
  clock = h("span", { class: "clock", "aria-label": "Meeting time" });
  recordingSlot = h("div", { class: "rec" });
  lockSlot = h("div", { class: "lock-slot" });
  const notice = h("div", { class: "topbar-center", "aria-live": "polite" });
  const stage = h("section", { class: "stage", "aria-label": "Video tiles" });
  const side = h("div", { class: "side" });
  const captionsSlot = h("div", { class: "captions-slot" });
  const toolbar = h("nav", { class: "toolbar", "aria-label": "Meeting controls" });
  const meeting = h(
    "main",
    { class: "screen meeting", testid: "meeting" },
    topbar(notice, clock, recordingSlot, lockSlot),
    h("div", { class: "body" }, h("div", { class: "stage-area" }, stage, captionsSlot), side),
    toolbar,
  );
  mountSide(side, meeting);
  mountToolbar(toolbar, notice);
  show(meeting);
  mountStage(stage);
  mountCaptions(captionsSlot);
  renderToolbar();
  renderSide();
  syncTiles();
  renderRecording();
  renderLockBadge();
  tickClock();
}

/** @param {HTMLElement} notice @param {HTMLElement} clock @param {HTMLElement} recording @param {HTMLElement} lock */
function topbar(notice, clock, recording, lock) {
  return h(
    "header",
    { class: "topbar" },
    h(
      "div",
      { class: "topbar-left" },
      h("span", { class: "brand", text: "ngage" }),
      h("span", { class: "divider", "aria-hidden": "true" }),
      h("h1", { class: "topic", text: state.meeting.topic || "Meeting" }),
      recording,
      lock,
    ),
    notice,
    h(
      "div",
      { class: "topbar-right" },
      h(
        "span",
        { class: "secure-chip", title: "Media encrypted (DTLS-SRTP)" },
        icon("lock"),
        h("span", { text: "Encrypted" }),
      ),
      clock,
    ),
  );
}

/** Everyone sees whether the meeting is being recorded; who may record can also stop it here. */
export function renderRecording() {
  if (!recordingSlot) return;
  if (!state.recording) return recordingSlot.replaceChildren();
  const stop = iconButton({
    icon: "stop",
    label: "Stop recording",
    text: "Stop",
    testid: "record-stop",
    class: "btn-small rec-stop",
    onclick: stopRecording,
  });
  recordingSlot.replaceChildren(recordingBadge(state.recording), ...(abilities().record ? [stop] : []));
}

/** Everyone sees when the host has locked the meeting. */
export function renderLockBadge() {
  if (!lockSlot) return;
  if (!state.security.locked) return lockSlot.replaceChildren();
  lockSlot.replaceChildren(
    h(
      "span",
      { class: "lock-badge", testid: "locked-badge", title: "The host locked the meeting: nobody new can join" },
      icon("lock"),
      h("span", { text: "Locked" }),
    ),
  );
}

/** @param {import("./protocol.js").Recording} now */
function recordingBadge(now) {
  const paused = now === "paused";
  return h(
    "span",
    {
      class: "rec-badge",
      testid: "recording-badge",
      "data-state": now,
      title: paused ? "The recording is paused" : "This meeting is being recorded",
    },
    paused ? icon("pause") : h("span", { class: "rec-dot", "aria-hidden": "true" }),
    h("span", { text: paused ? "Recording paused" : "Recording" }),
  );
}

/** Time in the meeting, once a second. */
export function tickClock() {
  if (!clock || state.phase !== "live" || !state.joinedAt) return;
  const s = Math.floor((Date.now() - state.joinedAt) / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, "0");
  clock.textContent = `${hh ? `${hh}:` : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
}
