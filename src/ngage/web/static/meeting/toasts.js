// @ts-check
/**
 * Toasts (short notices) and the reconnecting banner.
 * @module toasts
 */
import { h, iconButton } from "./dom.js";
import { icon } from "./icons.js";
import { overlay } from "./overlay.js";
import { signaling, state } from "./session.js";
import { sentence } from "./text.js";

const toasts = h("div", { class: "toasts", role: "region", "aria-label": "Notifications" });
overlay.append(toasts);

/** @param {string} text @param {"error" | "info"} [tone] */
export function toast(text, tone = "error") {
  // Requests cut short by the end of the meeting have nothing left to say.
  if (state.phase === "ended" || state.phase === "rejected") return;
  const close = iconButton({ icon: "close", label: "Dismiss", class: "btn-ghost btn-small" });
  const el = h(
    "div",
    { class: `toast toast-${tone}`, testid: "toast", role: tone === "error" ? "alert" : "status" },
    icon(tone === "error" ? "alert" : "check"),
    h("span", { class: "toast-text", text: sentence(text) }),
    close,
  );
  const remove = () => el.remove();
  close.addEventListener("click", remove);
  toasts.append(el);
  setTimeout(remove, tone === "error" ? 8000 : 3500);
}

export function clearToasts() {
  toasts.replaceChildren();
}

/** What the reconnecting banner reflects. */
export const banners = {
  socket: false,
  media: false,
  /** Join was clicked and no `joined` came yet. */
  joining: false,
};

export function renderReconnecting() {
  const visible =
    (banners.socket || banners.media) && (state.phase === "live" || state.phase === "waiting" || banners.joining);
  let el = overlay.querySelector('[data-testid="reconnecting"]');
  if (!visible) return el?.remove();
  const text = banners.socket ? "Reconnecting…" : "Reconnecting media…";
  if (!el) {
    el = h(
      "div",
      { class: "reconnecting", testid: "reconnecting", role: "status" },
      h("span", { class: "spinner small", "aria-hidden": "true" }),
      h("span", { class: "reconnecting-text" }),
    );
    overlay.prepend(el);
  }
  /** @type {HTMLElement} */ (el.querySelector(".reconnecting-text")).textContent = text;
}

/**
 * Sends a request; when the server refuses it, says why in a toast (`failed` when the
 * error has no message of its own).
 * @param {import("./protocol.js").ClientMessage} message @param {string} failed
 * @returns {Promise<boolean>} whether the server took it
 */
export async function requestOrSay(message, failed) {
  try {
    await signaling.request(message);
    return true;
  } catch (error) {
    toast(/** @type {Error} */ (error).message || failed);
    return false;
  }
}
