// @ts-check
/**
 * The live meeting's frame: top bar (topic, encryption, clock), stage, side panels, toolbar.
 * @module live
 */
import { h } from "./dom.js";
import { icon } from "./icons.js";
import { show } from "./overlay.js";
import { mountSide, renderSide } from "./panels.js";
import { media, setPhase, state } from "./session.js";
import { mountStage } from "./stage.js";
import { syncTiles } from "./tiles.js";
import { renderReconnecting } from "./toasts.js";
import { mountToolbar, renderToolbar } from "./toolbar.js";

/** @type {HTMLElement | null} */
let clock = null;

/** Shows the meeting (or brings it up to date) and starts sending and receiving media. */
export function enterLive() {
  if (state.phase !== "live") renderLive();
  else {
    renderToolbar();
    renderSide();
    syncTiles();
  }
  renderReconnecting();
  media.goLive();
}

function renderLive() {
  setPhase("live");
  clock = h("span", { class: "clock", "aria-label": "Meeting time" });
  const notice = h("div", { class: "topbar-center", "aria-live": "polite" });
  const stage = h("section", { class: "stage", "aria-label": "Video tiles" });
  const side = h("div", { class: "side" });
  const toolbar = h("nav", { class: "toolbar", "aria-label": "Meeting controls" });
  const meeting = h(
    "main",
    { class: "screen meeting", testid: "meeting" },
    topbar(notice, clock),
    h("div", { class: "body" }, stage, side),
    toolbar,
  );
  mountSide(side, meeting);
  mountToolbar(toolbar, notice);
  show(meeting);
  mountStage(stage);
  renderToolbar();
  renderSide();
  syncTiles();
  tickClock();
}

/** @param {HTMLElement} notice @param {HTMLElement} clock */
function topbar(notice, clock) {
  return h(
    "header",
    { class: "topbar" },
    h(
      "div",
      { class: "topbar-left" },
      h("span", { class: "brand", text: "ngage" }),
      h("span", { class: "divider", "aria-hidden": "true" }),
      h("h1", { class: "topic", text: state.meeting.topic || "Meeting" }),
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

/** Time in the meeting, once a second. */
export function tickClock() {
  if (!clock || state.phase !== "live" || !state.joinedAt) return;
  const s = Math.floor((Date.now() - state.joinedAt) / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, "0");
  clock.textContent = `${hh ? `${hh}:` : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
}
