// @ts-check
/**
 * The screens around the live meeting: waiting for the host, the end, a refused link; and
 * leaving, which hangs everything up.
 * @module screens
 */
import { stopStream } from "./media.js";
import { stopMeter } from "./devices.js";
import { avatar, brandbar, h } from "./dom.js";
import { icon } from "./icons.js";
import { show } from "./overlay.js";
import { local, media, root, setPhase, signaling, state } from "./session.js";
import { sentence } from "./text.js";
import { banners, clearToasts } from "./toasts.js";

/**
 * Waiting for the host to start the meeting, or to let this page in from the waiting room.
 * @param {string} message @param {string} [then] what happens next
 */
export function renderWaiting(message, then = "You will join automatically when the host arrives.") {
  setPhase("waiting");
  const preview = h("video", {
    class: "waiting-video mirror",
    ".muted": true,
    ".autoplay": true,
    ".playsInline": true,
    "aria-hidden": "true",
  });
  preview.srcObject = local.stream;
  const hasVideo = local.stream.getVideoTracks().length > 0 && !state.videoMuted;
  const screen = h(
    "main",
    { class: "screen waiting" },
    brandbar(),
    h(
      "div",
      { class: "center-card" },
      h(
        "div",
        { class: `waiting-self ${hasVideo ? "" : "camera-off"}` },
        avatar(state.name),
        hasVideo ? preview : null,
      ),
      h("div", { class: "pulse", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
      h("h1", { text: state.meeting.topic || "Meeting" }),
      h("p", {
        class: "waiting-banner",
        testid: "waiting-banner",
        role: "status",
        text: sentence(message || "Waiting for the host to start the meeting…"),
      }),
      h("p", { class: "muted small", testid: "waiting-next", text: then }),
      h("button", {
        type: "button",
        class: "btn btn-secondary",
        testid: "leave",
        text: "Leave",
        onclick: leaveMeeting,
      }),
    ),
  );
  show(screen);
  preview.play().catch(() => {});
}

/** @param {string} text */
export function renderEnded(text, sub = "Thanks for joining.") {
  teardown();
  setPhase("ended");
  const screen = h(
    "main",
    { class: "screen ended" },
    brandbar(),
    h(
      "div",
      { class: "center-card" },
      h("div", { class: "end-icon", "aria-hidden": "true" }, icon("leave")),
      h("h1", { testid: "ended-banner", role: "status", text }),
      h("p", { class: "muted", text: sub }),
      h("a", { class: "btn btn-secondary", href: "/", text: "Back to ngage" }),
    ),
  );
  show(screen);
}

/** @param {string} message */
export function renderRejected(message) {
  closedOut(
    "rejected-banner",
    "This link cannot be used",
    sentence(message || "The link is invalid, has expired, or is meant for someone else."),
    "Ask the organizer for a new link.",
  );
}

/** The host removed this participant. @param {string} by */
export function renderRemoved(by) {
  blocked("removed-banner", "You were removed from the meeting", `${by || "The host"} removed you from this meeting.`);
}

/** The meeting is locked, or this browser was removed: no way in. @param {string} [message] the server's reason */
export function renderLockedOut(message = "") {
  const removed = /removed/i.test(message);
  blocked(
    "locked-banner",
    removed ? "You were removed from this meeting" : "This meeting is locked",
    sentence(message || "The host has locked the meeting, so nobody new can join."),
  );
}

/** The host did not let this page in from the waiting room. */
export function renderDenied() {
  blocked("denied-banner", "The host did not let you in", "You can ask the organizer for another invitation.");
}

/** Shut out, unless the page already ended. @param {string} testid @param {string} title @param {string} text */
function blocked(testid, title, text) {
  if (state.phase === "ended" || state.phase === "rejected") return;
  closedOut(testid, title, text);
}

/**
 * The screen of a page that cannot (or can no longer) be in the meeting.
 * @param {string} testid @param {string} title @param {string} text @param {string} [hint]
 */
function closedOut(testid, title, text, hint) {
  teardown();
  setPhase("rejected");
  const screen = h(
    "main",
    { class: "screen rejected" },
    brandbar(),
    h(
      "div",
      { class: "center-card" },
      h("div", { class: "end-icon warn", "aria-hidden": "true" }, icon("lock")),
      h("h1", { testid, role: "alert", text: title }),
      h("p", { class: "muted", text }),
      hint ? h("p", { class: "muted small", text: hint }) : null,
      h("a", { class: "btn btn-secondary", href: "/", text: "Back to ngage" }),
    ),
  );
  show(screen);
}

function teardown() {
  banners.joining = false;
  clearToasts();
  banners.socket = banners.media = false;
  signaling.close();
  media.close();
  stopStream(local.stream);
  stopMeter();
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
}

export function leaveMeeting() {
  signaling.leave();
  renderEnded("You left the meeting", "You can close this tab, or rejoin with the same link.");
  const card = root.querySelector(".center-card");
  card?.append(
    h("button", {
      type: "button",
      class: "btn btn-primary",
      text: "Rejoin",
      onclick: () => location.reload(),
    }),
  );
}
