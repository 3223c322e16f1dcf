// @ts-check
/**
 * Raised hands and reactions: the toolbar's hand and reactions buttons, the reaction picker,
 * the hand shown on a tile, and a reaction floating over its sender's tile for a few seconds.
 * The server tells everyone (this page included) with `participant-updated` and `reaction`.
 * @module hands
 */
import * as P from "./protocol.js";
import { h, iconButton } from "./dom.js";
import { icon } from "./icons.js";
import { closePopovers, togglePopover } from "./overlay.js";
import { self, signaling } from "./session.js";
import { tiles } from "./stage.js";
import { toast } from "./toasts.js";

/** How long a reaction floats over a tile. */
const REACTION_MS = 3000;

export function handRaised() {
  return self()?.hand_raised === true;
}

export function handButton() {
  const raised = handRaised();
  return iconButton({
    icon: "hand",
    label: raised ? "Lower hand (Alt+Y)" : "Raise hand (Alt+Y)",
    text: raised ? "Lower" : "Hand",
    testid: "hand-toggle",
    pressed: raised,
    class: `tool ${raised ? "tool-on" : ""}`,
    onclick: toggleHand,
  });
}

export function reactionsButton() {
  return iconButton({
    icon: "smile",
    label: "Reactions",
    text: "React",
    testid: "reactions-toggle",
    class: "tool",
    haspopup: "menu",
    expanded: false,
    onclick: (e) => togglePopover(/** @type {HTMLElement} */ (e.currentTarget), reactionsMenu),
  });
}

/** The new state comes back to everyone as `participant-updated`; only a refusal is handled here. */
export async function toggleHand() {
  try {
    await signaling.request(P.hand(!handRaised()));
  } catch (error) {
    toast(/** @type {Error} */ (error).message || "Could not raise your hand");
  }
}

function reactionsMenu() {
  const buttons = P.REACTIONS.map((emoji, i) =>
    h("button", {
      type: "button",
      role: "menuitem",
      class: "reaction-choice",
      testid: `reaction-${i}`,
      "aria-label": `React with ${emoji}`,
      title: emoji,
      text: emoji,
      onclick: () => react(emoji),
    }),
  );
  return h(
    "div",
    { class: "popover reactions", role: "menu", "aria-label": "Reactions", testid: "reactions-menu" },
    ...buttons,
  );
}

/** @param {string} emoji */
async function react(emoji) {
  closePopovers();
  try {
    await signaling.request(P.reaction(emoji));
  } catch (error) {
    toast(/** @type {Error} */ (error).message || "Could not send your reaction");
  }
}

/** A `reaction` came: float it over the sender's camera tile. @param {string} participantId @param {string} emoji */
export function showReaction(participantId, emoji) {
  const tile = tiles.get(`camera:${participantId}`);
  if (!tile) return;
  const el = h("span", {
    class: "tile-reaction",
    testid: "tile-reaction",
    role: "img",
    "aria-label": emoji,
    text: emoji,
  });
  tile.el.append(el);
  setTimeout(() => el.remove(), REACTION_MS);
}

/**
 * Shows or takes away the raised hand on a tile.
 * @param {HTMLElement} tileEl @param {boolean} raised
 */
export function markHand(tileEl, raised) {
  const shown = tileEl.querySelector(":scope > .tile-hand");
  if (raised && !shown)
    tileEl.append(
      h(
        "span",
        { class: "tile-hand", testid: "tile-hand", role: "img", "aria-label": "Hand raised", title: "Hand raised" },
        icon("hand"),
      ),
    );
  else if (!raised && shown) shown.remove();
}
