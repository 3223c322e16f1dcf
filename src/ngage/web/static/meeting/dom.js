// @ts-check
/**
 * The `h()` element helper and the small building blocks every screen uses.
 * @module dom
 */
import { icon } from "./icons.js";
import { hue, initials } from "./text.js";

/** @typedef {import("./icons.js").IconName} IconName */

/**
 * Creates an element. `props`: `class`, `testid`, `text`, `on<event>` listeners, `.prop`
 * for DOM properties, anything else as an attribute (skipped when null/false).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node | string | null | undefined | false | (Node | string | null | undefined | false)[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "testid") el.dataset.testid = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith(".")) /** @type {any} */ (el)[key.slice(1)] = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** @param {HTMLElement} el @param {string} name @param {boolean | string} value */
export function setData(el, name, value) {
  const text = String(value);
  if (el.dataset[name] !== text) el.dataset[name] = text;
}

/** Moves children into place without detaching the ones already there (videos keep playing). */
export function placeInOrder(/** @type {HTMLElement} */ parent, /** @type {HTMLElement[]} */ children) {
  children.forEach((child, i) => {
    if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] ?? null);
  });
  while (parent.children.length > children.length) /** @type {Element} */ (parent.lastElementChild).remove();
}

/** @param {string} name */
export function avatar(name, extraClass = "") {
  const el = h("div", { class: `avatar ${extraClass}`, "aria-hidden": "true", text: initials(name) });
  el.style.setProperty("--avatar-hue", String(hue(name)));
  return el;
}

/** An icon button with an accessible name and a tooltip. */
/** @param {{icon: IconName, label: string, testid?: string, class?: string, text?: string, onclick?: (e: Event) => void, pressed?: boolean, expanded?: boolean, haspopup?: string}} o */
export function iconButton(o) {
  return h(
    "button",
    {
      type: "button",
      class: `btn ${o.class ?? ""}`,
      testid: o.testid,
      "aria-label": o.label,
      title: o.label,
      "aria-pressed": o.pressed === undefined ? null : String(o.pressed),
      "aria-expanded": o.expanded === undefined ? null : String(o.expanded),
      "aria-haspopup": o.haspopup ?? null,
      onclick: o.onclick,
    },
    icon(o.icon),
    o.text ? h("span", { class: "btn-label", text: o.text }) : null,
  );
}

/**
 * A labelled form control with an icon.
 * @param {string} label @param {HTMLElement} control @param {IconName} ic
 */
export function field(label, control, ic) {
  return h("label", { class: "field", for: control.id }, h("span", { class: "field-label" }, icon(ic), label), control);
}

/** The brand bar at the top of the full-page screens. */
export function brandbar() {
  return h("header", { class: "brandbar" }, h("span", { class: "brand", text: "ngage" }));
}
