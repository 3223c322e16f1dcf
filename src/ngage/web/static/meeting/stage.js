// @ts-check
/**
 * The stage: where the tiles go. A gallery grid, or a main tile (someone's screen share, the
 * pinned tile or the active speaker) above a strip of the others.
 * @module stage
 */
import { h, placeInOrder } from "./dom.js";
import { state } from "./session.js";

/**
 * @typedef {object} Tile
 * @property {string} key
 * @property {HTMLElement} el
 * @property {HTMLVideoElement} video
 * @property {HTMLElement | null} name
 * @property {HTMLElement | null} mic
 * @property {HTMLElement} avatar
 */

/** Every tile on the stage, by key (`camera:<participant>`, `screen:<feed>`, `screen:local`). */
/** @type {Map<string, Tile>} */
export const tiles = new Map();

/** @type {HTMLElement | null} */
let stage = null;

/** @type {string | null} */
let pinned = null;

/** Takes over a new live screen's stage (its tiles start over). @param {HTMLElement} el */
export function mountStage(el) {
  stage = el;
  tiles.clear();
  new ResizeObserver(() => layout()).observe(el);
}

/** The stage is there to draw on: the live screen was shown and is still current. */
export function stageReady() {
  return !!stage && state.phase === "live";
}

/** @param {string} key */
export function pin(key) {
  pinned = pinned === key ? null : key;
  layout();
}

/** Gallery grid, or a stage (screen share, pinned tile or active speaker) with a strip. */
export function layout() {
  arrange();
  // Moving a <video> in the document pauses it.
  for (const tile of tiles.values()) if (tile.video.paused && tile.video.srcObject) tile.video.play().catch(() => {});
}

function arrange() {
  if (!stage) return;
  const all = [...tiles.values()];
  // Someone else's share takes the stage; your own stays a tile (no hall of mirrors).
  const screen = all.filter((t) => t.el.dataset.kind === "screen" && t.el.dataset.local !== "true").at(-1);
  let main = screen ?? (pinned ? tiles.get(pinned) : undefined);
  if (!main && state.view === "speaker" && all.length > 1) main = speakerTile() ?? all[1];
  stage.classList.toggle("has-main", !!main);
  if (!main) return gallery(stage, all);
  const strip = all.filter((t) => t !== main);
  let mainBox = stage.querySelector(".main-tile");
  let stripBox = stage.querySelector(".strip");
  if (!mainBox || !stripBox) {
    mainBox = h("div", { class: "main-tile" });
    stripBox = h("div", { class: "strip" });
    stage.replaceChildren(mainBox, stripBox);
  }
  if (main.el.parentElement !== mainBox) mainBox.replaceChildren(main.el);
  placeInOrder(
    /** @type {HTMLElement} */ (stripBox),
    strip.map((t) => t.el),
  );
  stripBox.toggleAttribute("hidden", strip.length === 0);
  for (const t of all) t.el.classList.toggle("is-main", t === main);
}

/** The most recent remote speaker's camera tile. */
function speakerTile() {
  const id = state.activeSpeaker;
  return id && id !== state.selfId ? tiles.get(`camera:${id}`) : undefined;
}

/** @param {HTMLElement} stage @param {Tile[]} all */
function gallery(stage, all) {
  let grid = stage.querySelector(".grid");
  if (!grid) {
    grid = h("div", { class: "grid" });
    stage.replaceChildren(grid);
  }
  placeInOrder(
    /** @type {HTMLElement} */ (grid),
    all.map((t) => t.el),
  );
  for (const t of all) t.el.classList.remove("is-main");
  const { width, height } = stage.getBoundingClientRect();
  const best = bestGrid(all.length, width - 16, height - 16, 10);
  const g = /** @type {HTMLElement} */ (grid);
  g.style.setProperty("--cols", String(best.cols));
  g.style.setProperty("--tile-w", `${Math.floor(best.w)}px`);
  g.style.setProperty("--tile-h", `${Math.floor(best.h)}px`);
}

/** Columns that make 16:9 tiles as large as possible. */
function bestGrid(
  /** @type {number} */ n,
  /** @type {number} */ width,
  /** @type {number} */ height,
  /** @type {number} */ gap,
) {
  let best = { cols: 1, w: 0, h: 0 };
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(n / cols);
    const w = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * (16 / 9));
    if (w > best.w) best = { cols, w, h: (w * 9) / 16 };
  }
  return best;
}
