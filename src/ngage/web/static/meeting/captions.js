// @ts-check
/**
 * Closed captions (when the role's `isSupportCC` is true): the CC toolbar button, the overlay
 * at the bottom of the stage with the latest caption and its captioner's name, the input the
 * host (or the participant the host named) types captions in, and the host's choice of who
 * types. Caption text is only ever set as text.
 * @module captions
 */
import * as P from "./protocol.js";
import { h, iconButton } from "./dom.js";
import { abilities, redraw, signaling, state } from "./session.js";
import { toast } from "./toasts.js";

/** @typedef {import("./protocol.js").Caption} Caption */
/** @typedef {import("./protocol.js").Participant} Participant */

/** How long the latest caption stays before it fades. */
const FADE_MS = 6000;
/** Captions kept (for the state snapshot); the overlay shows the latest. */
const KEEP = 50;

export const captions = {
  /**
   * The overlay is shown (the CC button toggles it). Participants see captions from the start;
   * the host turns them on with CC, which also brings the input to type them.
   */
  shown: state.role !== "host",
  /** @type {Caption[]} oldest first */
  list: /** @type {Caption[]} */ ([]),
  /** Who types besides the host: null for the host alone. @type {{id: string, name: string} | null} */
  captioner: /** @type {{id: string, name: string} | null} */ (null),
  faded: true,
};

/** @type {HTMLElement | null} */
let slot = null;
/** The input is built once so that a half-typed caption survives redraws. @type {HTMLInputElement | null} */
let input = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let fadeTimer;

/** Takes over a new live screen's captions slot (over the bottom of the stage). @param {HTMLElement} el */
export function mountCaptions(el) {
  slot = el;
  renderCaptions();
}

/** This page may type captions: the host, or the participant the host named. */
export function canType() {
  if (!abilities().captions) return false;
  return state.role === "host" || captions.captioner?.id === state.selfId;
}

export function captionsButton() {
  return iconButton({
    icon: "captions",
    label: captions.shown ? "Hide captions" : "Show captions",
    text: "CC",
    testid: "cc-toggle",
    pressed: captions.shown,
    class: "tool",
    onclick: toggleCaptions,
  });
}

function toggleCaptions() {
  captions.shown = !captions.shown;
  renderCaptions();
  redraw.toolbar();
}

/** A caption arrived (this page's own too). @param {Caption} caption */
export function addCaption(caption) {
  captions.list.push(caption);
  if (captions.list.length > KEEP) captions.list.shift();
  captions.faded = false;
  clearTimeout(fadeTimer);
  fadeTimer = setTimeout(() => {
    captions.faded = true;
    renderCaptions();
  }, FADE_MS);
  renderCaptions();
}

/** The host named who types captions (null: the host alone). @param {string | null} id @param {string | null} name */
export function setCaptioner(id, name) {
  const before = captions.captioner?.id ?? null;
  captions.captioner = id ? { id, name: name ?? "" } : null;
  if (id === state.selfId && before !== id) {
    captions.shown = true;
    redraw.toolbar();
    toast("The host asked you to type the captions", "info");
  } else if (before === state.selfId && id !== state.selfId) toast("You no longer type the captions", "info");
  renderCaptions();
}

export function renderCaptions() {
  if (!slot) return;
  if (!abilities().captions || !captions.shown) return slot.replaceChildren();
  const latest = captions.list.at(-1);
  const line = latest
    ? h(
        "p",
        { class: "caption-line", testid: "caption-line", "data-faded": String(captions.faded) },
        h("span", { class: "caption-name", text: `${latest.name}: ` }),
        h("span", { class: "caption-text", text: latest.text }),
      )
    : null;
  const typing = canType() ? captionInput() : null;
  const focused = typing !== null && document.activeElement === typing;
  slot.replaceChildren(
    h(
      "div",
      { class: "captions", testid: "captions", role: "region", "aria-label": "Captions", "aria-live": "polite" },
      line,
      typing,
    ),
  );
  if (focused) typing.focus();
}

function captionInput() {
  if (input) return input;
  const el = h("input", {
    type: "text",
    class: "caption-input",
    testid: "caption-input",
    maxlength: String(P.MAX_CAPTION_LENGTH),
    placeholder: "Type captions here, Enter sends",
    "aria-label": "Caption",
    autocomplete: "off",
  });
  el.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.isComposing) return;
    e.preventDefault();
    sendCaption(el);
  });
  input = el;
  return el;
}

/** @param {HTMLInputElement} el */
async function sendCaption(el) {
  const text = el.value.trim();
  if (!text) return;
  el.value = "";
  try {
    await signaling.request(P.caption(text));
  } catch (error) {
    if (!el.value) el.value = text;
    toast(/** @type {Error} */ (error).message || "The caption was not sent");
  }
}

/** @param {string | null} id */
async function nameCaptioner(id) {
  try {
    await signaling.request(P.captioner(id));
  } catch (error) {
    toast(/** @type {Error} */ (error).message || "Could not change who types captions");
  }
}

/** The host's "Captioner" button on another participant's row, or null. @param {Participant} p */
export function captionerButton(p) {
  if (!abilities().captions || state.role !== "host" || p.participant_id === state.selfId) return null;
  if (p.role === "phone") return null; // a callee has no keyboard in the meeting
  const named = captions.captioner?.id === p.participant_id;
  return h("button", {
    type: "button",
    class: `btn btn-small person-action${named ? " on" : ""}`,
    testid: "participant-captioner",
    "aria-pressed": String(named),
    "aria-label": named ? `${p.name} types the captions; take it back` : `Let ${p.name} type the captions`,
    title: named ? "Types the captions (press to type them yourself)" : "Let them type the captions",
    text: named ? "Captioner ✓" : "Captioner",
    onclick: () => nameCaptioner(named ? null : p.participant_id),
  });
}

/** "I will type", for the host while someone else types the captions, or null. */
export function captionerSelfButton() {
  if (!abilities().captions || state.role !== "host" || !captions.captioner) return null;
  return h("button", {
    type: "button",
    class: "btn btn-secondary btn-small",
    testid: "captioner-self",
    text: "I will type the captions",
    onclick: () => nameCaptioner(null),
  });
}

/** What `window.ngageMeeting.state()` shows of the captions. */
export function captionsSnapshot() {
  return {
    captions: {
      shown: captions.shown,
      captioner: captions.captioner ? { ...captions.captioner } : null,
      canType: canType(),
      list: captions.list.map((c) => ({ ...c })),
    },
  };
}
