// @ts-check
/**
 * The layer above every screen: showing a screen, the one open popover, and modal dialogs.
 * @module overlay
 */
import { h, iconButton } from "./dom.js";
import { root } from "./session.js";

/** Holds toasts, banners, popovers and dialogs; it stays when the screen changes. */
export const overlay = h("div", { class: "overlay-layer" });

/** @type {{el: HTMLElement, anchor: HTMLElement} | null} */
let popover = null;

/** @param {HTMLElement} screen */
export function show(screen) {
  closePopovers();
  root.replaceChildren(screen, overlay);
}

export function closePopovers() {
  if (!popover) return;
  popover.anchor.setAttribute("aria-expanded", "false");
  popover.el.remove();
  popover = null;
}

/**
 * Opens the popover `build` makes above its anchor, or closes it when that anchor's is open.
 * @param {HTMLElement} anchor @param {() => HTMLElement} build
 */
export function togglePopover(anchor, build) {
  const reopen = popover?.anchor === anchor;
  closePopovers();
  if (reopen) return;
  const el = build();
  popover = { el, anchor };
  anchor.setAttribute("aria-expanded", "true");
  overlay.append(el);
  const box = anchor.getBoundingClientRect();
  el.style.left = `${Math.max(8, Math.min(window.innerWidth - el.offsetWidth - 8, box.left + box.width / 2 - el.offsetWidth / 2))}px`;
  el.style.bottom = `${window.innerHeight - box.top + 8}px`;
  (el.querySelector("button") ?? el).focus();
}

/** Escape closes the open popover and gives focus back to its anchor. @param {KeyboardEvent} e */
export function escapePopover(e) {
  if (e.key !== "Escape" || !popover) return false;
  const anchor = popover.anchor;
  closePopovers();
  anchor.focus();
  return true;
}

/** A pointer press outside the popover and its anchor closes it. @param {PointerEvent} e */
export function closePopoverOutside(e) {
  if (!popover) return;
  const target = /** @type {Node} */ (e.target);
  if (!popover.el.contains(target) && !popover.anchor.contains(target)) closePopovers();
}

/**
 * A modal dialog (native <dialog>: focus stays inside, Escape closes).
 * @param {string} title @param {string} testid @param {Node[]} body @param {Node[]} [actions]
 */
export function dialog(title, testid, body, actions = []) {
  const el = h(
    "dialog",
    { class: "dialog", testid, "aria-label": title },
    h(
      "header",
      { class: "dialog-head" },
      h("h2", { text: title }),
      iconButton({ icon: "close", label: "Close", class: "btn-ghost btn-small", onclick: () => el.close() }),
    ),
    h("div", { class: "dialog-body" }, ...body),
    actions.length ? h("footer", { class: "dialog-actions" }, ...actions) : null,
  );
  el.addEventListener("close", () => el.remove());
  overlay.append(el);
  el.showModal();
  return el;
}
