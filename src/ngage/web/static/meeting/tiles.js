// @ts-check
/**
 * The video tiles: which ones the meeting shows (everyone's camera, then every screen share),
 * and what each shows (stream, name, mute state, the speaking ring of the active speaker).
 * @module tiles
 */
import { avatar, h, setData } from "./dom.js";
import { markHand } from "./hands.js";
import { icon } from "./icons.js";
import { abilities, everyone, local, media, state } from "./session.js";
import { layout, pin, stageReady, tiles } from "./stage.js";
import { hue, initials } from "./text.js";

/** @typedef {import("./stage.js").Tile} Tile */

/**
 * @typedef {object} TileSpec
 * @property {string} key
 * @property {string} participantId
 * @property {"camera" | "screen"} kind
 * @property {boolean} local
 * @property {MediaStream | null} stream
 * @property {string} name
 * @property {number} [feed]
 */

/** The tiles the meeting should show now: everyone's camera, then every screen share. */
function wantedTiles() {
  /** @type {TileSpec[]} */
  // Only the people of this page's room (the main room, or a breakout room) have a tile.
  const specs = everyone()
    .filter((p) => (p.room ?? 0) === state.room)
    .map(cameraSpec);
  if (state.sharing && media.screenStream) {
    specs.push({
      key: "screen:local",
      participantId: state.selfId,
      kind: "screen",
      local: true,
      stream: media.screenStream,
      name: state.name,
    });
  }
  for (const feed of state.feeds.values()) {
    if (feed.kind !== "screen" || feed.participant_id === state.selfId) continue;
    const owner = state.participants.get(feed.participant_id);
    specs.push({
      key: `screen:${feed.feed}`,
      participantId: feed.participant_id,
      kind: "screen",
      local: false,
      stream: media.remoteStream(feed.feed),
      name: owner?.name ?? "",
      feed: feed.feed,
    });
  }
  return specs;
}

/** @param {import("./protocol.js").Participant} p @returns {TileSpec} */
function cameraSpec(p) {
  const isLocal = p.participant_id === state.selfId;
  const feed = [...state.feeds.values()].find((f) => f.participant_id === p.participant_id && f.kind === "camera");
  const stream = isLocal ? local.stream : feed ? media.remoteStream(feed.feed) : null;
  return {
    key: `camera:${p.participant_id}`,
    participantId: p.participant_id,
    kind: "camera",
    local: isLocal,
    stream,
    name: p.name,
    feed: feed?.feed,
  };
}

/** @param {TileSpec} spec @returns {Tile} */
function createTile(spec) {
  const pure = spec.kind === "screen" && abilities().pureShare;
  const video = h("video", {
    testid: "tile-video",
    class: `tile-video ${spec.local && spec.kind === "camera" ? "mirror" : ""}`,
    ".autoplay": true,
    ".playsInline": true,
    ".muted": spec.local || spec.kind === "screen",
  });
  const av = avatar(spec.name, "tile-avatar");
  const mic = spec.kind === "camera" ? h("span", { class: "tile-mic", role: "img" }) : null;
  const name = pure
    ? null
    : h("div", { class: "tile-label" }, mic, h("span", { class: "tile-name", testid: "tile-name" }));
  const el = h(
    "div",
    {
      class: `tile tile-${spec.kind} ${pure ? "pure" : ""}`,
      testid: "tile",
      role: "group",
      "data-participant-id": spec.participantId,
      "data-kind": spec.kind,
      "data-local": String(spec.local),
    },
    spec.kind === "camera" ? av : null,
    video,
    name,
  );
  el.addEventListener("dblclick", () => pin(spec.key));
  applySink(video);
  return { key: spec.key, el, video, name, mic, avatar: av };
}

/** Creates, updates and removes tiles to match the state, then lays them out. */
export function syncTiles() {
  if (!stageReady()) return;
  const specs = wantedTiles();
  const keys = new Set(specs.map((s) => s.key));
  for (const [key, tile] of tiles) {
    if (!keys.has(key)) {
      tile.el.remove();
      tiles.delete(key);
    }
  }
  for (const spec of specs) {
    const tile = tiles.get(spec.key) ?? createTile(spec);
    tiles.set(spec.key, tile);
    fillTile(tile, spec);
  }
  layout();
}

/** Updates attributes only (mute, speaking, names), cheap enough for every event. */
export function updateTiles() {
  if (!stageReady()) return;
  for (const spec of wantedTiles()) {
    const tile = tiles.get(spec.key);
    if (tile) fillTile(tile, spec);
  }
  if (state.view === "speaker") layout();
}

/** @param {Tile} tile @param {TileSpec} spec */
function fillTile(tile, spec) {
  const p = state.participants.get(spec.participantId);
  const audioMuted = p ? p.audio_muted : true;
  const hasVideo = !!spec.stream && spec.stream.getVideoTracks().some((t) => t.readyState === "live");
  const videoOff = spec.kind === "camera" && (!hasVideo || (p ? p.video_muted : true));
  const speaking =
    spec.kind === "camera" &&
    !audioMuted &&
    (state.speaking.has(spec.participantId) || (spec.local && state.localSpeaking));
  if (tile.video.srcObject !== spec.stream) tile.video.srcObject = spec.stream;
  setData(tile.el, "speaking", speaking);
  setData(tile.el, "audioMuted", audioMuted);
  setData(tile.el, "videoOff", videoOff);
  if (spec.kind === "camera") markHand(tile.el, p?.hand_raised === true);
  tile.el.setAttribute(
    "aria-label",
    `${spec.kind === "screen" ? "Screen shared by " : ""}${spec.name}${spec.local ? " (you)" : ""}`,
  );
  fillLabel(tile, spec, audioMuted);
}

/** Name, avatar and microphone icon. @param {Tile} tile @param {TileSpec} spec @param {boolean} audioMuted */
function fillLabel(tile, spec, audioMuted) {
  const label =
    spec.kind === "screen"
      ? `${spec.name}${spec.local ? " (you)" : ""} · screen`
      : `${spec.name}${spec.local ? " (you)" : ""}`;
  const nameEl = tile.name?.querySelector(".tile-name");
  if (nameEl && nameEl.textContent !== label) nameEl.textContent = label;
  if (tile.avatar.textContent !== initials(spec.name)) {
    tile.avatar.textContent = initials(spec.name);
    tile.avatar.style.setProperty("--avatar-hue", String(hue(spec.name)));
  }
  if (tile.mic && tile.mic.dataset.muted !== String(audioMuted)) {
    tile.mic.dataset.muted = String(audioMuted);
    tile.mic.replaceChildren(icon(audioMuted ? "micOff" : "mic"));
    tile.mic.setAttribute("aria-label", audioMuted ? "Muted" : "Microphone on");
  }
}

/** Plays every tile through the chosen speaker. @param {string} sinkId */
export function setSpeaker(sinkId) {
  state.sinkId = sinkId;
  for (const tile of tiles.values()) applySink(tile.video);
}

/** @param {HTMLVideoElement} video */
function applySink(video) {
  const v = /** @type {HTMLVideoElement & {setSinkId?: (id: string) => Promise<void>, sinkId?: string}} */ (video);
  if (state.sinkId && v.setSinkId && v.sinkId !== state.sinkId) v.setSinkId(state.sinkId).catch(() => {});
}
