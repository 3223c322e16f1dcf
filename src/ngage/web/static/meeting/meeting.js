// @ts-check
/**
 * The meeting page: pre-join, waiting room, the live meeting and its end. All rendering is
 * here; the wire protocol lives in protocol.js and WebRTC in media.js.
 * @module meeting
 */
import * as P from "./protocol.js";
import { LevelMeter, MediaSession, getLocalMedia, listDevices, stopStream } from "./media.js";

/** @typedef {import("./protocol.js").Participant} Participant */
/** @typedef {import("./protocol.js").Feed} Feed */
/** @typedef {import("./protocol.js").ServerMessage} ServerMessage */
/** @typedef {import("./protocol.js").Invite} Invite */
/** @typedef {"prejoin" | "waiting" | "live" | "ended" | "rejected"} Phase */

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

const SVG_NS = "http://www.w3.org/2000/svg";

/** Inline icons (24x24, stroked with currentColor). Constants only: never user text. */
const ICONS = {
  mic: '<rect x="9" y="2.5" width="6" height="12" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7"/>',
  micOff: '<path d="M15 10V5.5a3 3 0 0 0-5.6-1.5M9 9v2.5a3 3 0 0 0 4.6 2.5M18.5 11a6.5 6.5 0 0 1-1.1 3.6M5.5 11a6.5 6.5 0 0 0 10 5.5M12 17.5V21M8.5 21h7M3.5 3.5l17 17"/>',
  camera: '<rect x="2.5" y="6" width="13" height="12" rx="2.5"/><path d="M15.5 10.5 21 7.5v9l-5.5-3"/>',
  cameraOff: '<path d="M15.5 13.5V8.5a2.5 2.5 0 0 0-2.5-2.5H9M5 6a2.5 2.5 0 0 0-2.5 2.5v7A2.5 2.5 0 0 0 5 18h8a2.5 2.5 0 0 0 2.2-1.3M15.5 10.5 21 7.5v9l-3-1.6M3 3l18 18"/>',
  share: '<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 21h8M12 16.5V21M12 13V7.5M9.2 10.2 12 7.4l2.8 2.8"/>',
  shareStop: '<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 21h8M12 16.5V21M9.5 7.5l5 5M14.5 7.5l-5 5"/>',
  people: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20v-.5a5.5 5.5 0 0 1 5.5-5.5h2a5.5 5.5 0 0 1 5.5 5.5v.5M15.5 4.6a3.5 3.5 0 0 1 0 6.8M21.5 20v-.5a5.5 5.5 0 0 0-3.5-5.1"/>',
  invite: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20v-.5a5.5 5.5 0 0 1 5.5-5.5h2a5.5 5.5 0 0 1 5.5 5.5v.5M19 8v6M16 11h6"/>',
  record: '<circle cx="12" cy="12" r="8.5"/><circle cx="12" cy="12" r="3.5" fill="currentColor"/>',
  shield: '<path d="M12 2.5 19.5 5.5v5.6c0 4.6-3.1 8.6-7.5 10.4-4.4-1.8-7.5-5.8-7.5-10.4V5.5z"/><path d="m8.8 12 2.2 2.2 4.2-4.4"/>',
  lock: '<rect x="4.5" y="10.5" width="15" height="10" rx="2.5"/><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/>',
  more: '<circle cx="5.5" cy="12" r="1.4" fill="currentColor"/><circle cx="12" cy="12" r="1.4" fill="currentColor"/><circle cx="18.5" cy="12" r="1.4" fill="currentColor"/>',
  leave: '<path fill="currentColor" stroke="none" d="M2.2 14.6c0-1 .4-1.9 1.2-2.5C5.8 10.3 8.8 9.4 12 9.4s6.2.9 8.6 2.7c.8.6 1.2 1.5 1.2 2.5v1.3c0 .9-.8 1.6-1.7 1.5l-3.1-.5c-.7-.1-1.2-.7-1.2-1.4v-1.9a12.6 12.6 0 0 0-7.6 0v1.9c0 .7-.5 1.3-1.2 1.4l-3.1.5c-.9.1-1.7-.6-1.7-1.5z"/>',
  chevronUp: '<path d="m7 14.5 5-5 5 5"/>',
  close: '<path d="M6.5 6.5l11 11M17.5 6.5l-11 11"/>',
  copy: '<rect x="8.5" y="8.5" width="12" height="12" rx="2.5"/><path d="M15.5 8.5V6a2.5 2.5 0 0 0-2.5-2.5H6A2.5 2.5 0 0 0 3.5 6v7A2.5 2.5 0 0 0 6 15.5h2.5"/>',
  grid: '<rect x="3.5" y="3.5" width="7" height="7" rx="1.5"/><rect x="13.5" y="3.5" width="7" height="7" rx="1.5"/><rect x="3.5" y="13.5" width="7" height="7" rx="1.5"/><rect x="13.5" y="13.5" width="7" height="7" rx="1.5"/>',
  speaker: '<rect x="2.5" y="3.5" width="19" height="12" rx="2"/><rect x="3.5" y="18" width="5" height="3" rx="1"/><rect x="9.5" y="18" width="5" height="3" rx="1"/><rect x="15.5" y="18" width="5" height="3" rx="1"/>',
  fullscreen: '<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/>',
  settings: '<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/><circle cx="15" cy="7" r="2.2"/><circle cx="9" cy="17" r="2.2"/>',
  volume: '<path d="M4 9.5v5h3.5L12 18.5v-13L7.5 9.5z"/><path d="M15.5 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11"/>',
  check: '<path d="m5 12.5 4.5 4.5L19 7.5"/>',
  alert: '<circle cx="12" cy="12" r="9"/><path d="M12 7.5v5.5M12 16.5v.01"/>',
  link: '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>',
};

/** @param {keyof typeof ICONS} name */
function icon(name) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.innerHTML = ICONS[name];
  return svg;
}

/**
 * Creates an element. `props`: `class`, `testid`, `text`, `on<event>` listeners, `.prop`
 * for DOM properties, anything else as an attribute (skipped when null/false).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node | string | null | undefined | false | (Node | string | null | undefined | false)[])} children
 * @returns {HTMLElement}
 */
function h(tag, props = {}, ...children) {
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

/** @param {string} name */
function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0] ?? "").join("").toUpperCase() || "?";
}

/** A stable colour per name, for avatars. @param {string} name */
function hue(name) {
  let sum = 0;
  for (const ch of name) sum = (sum * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return sum;
}

/** @param {string} name */
function avatar(name, extraClass = "") {
  const el = h("div", { class: `avatar ${extraClass}`, "aria-hidden": "true", text: initials(name) });
  el.style.setProperty("--avatar-hue", String(hue(name)));
  return el;
}

/** An icon button with an accessible name and a tooltip. */
/** @param {{icon: keyof typeof ICONS, label: string, testid?: string, class?: string, text?: string, onclick?: (e: Event) => void, pressed?: boolean, expanded?: boolean, haspopup?: string}} o */
function iconButton(o) {
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

/** @param {HTMLElement} el @param {string} name @param {boolean | string} value */
function setData(el, name, value) {
  const text = String(value);
  if (el.dataset[name] !== text) el.dataset[name] = text;
}

// ---------------------------------------------------------------------------------------------
// Page configuration (from the template's data attributes)

const root = /** @type {HTMLElement} */ (document.getElementById("ngage-meeting"));

function readConfig() {
  const data = root.dataset;
  /** @type {Record<string, boolean>} */
  let flags = {};
  try {
    const parsed = JSON.parse(data.flags || "{}");
    flags = typeof parsed === "string" ? JSON.parse(parsed) : parsed;
  } catch {
    flags = {};
  }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return {
    role: /** @type {import("./protocol.js").Role} */ (data.role === "host" ? "host" : "participant"),
    token: data.token ?? "",
    name: data.name ?? "",
    topic: data.topic ?? "",
    meetingId: data.meetingId ?? "",
    flags,
    wsUrl: data.wsUrl || `${scheme}//${location.host}/meetings/ws`,
  };
}

const config = readConfig();

/** What the role's flags let the UI show (absent flags take the SDK's defaults). */
function abilities(flags = state.flags) {
  return {
    av: flags.isSupportAV !== false,
    audio: flags.disableJoinAudio !== true,
    share: flags.screenShare !== false,
    invite: flags.disableInvite !== true,
    record: flags.disableRecord !== true,
    audioPanelAlwaysOpen: flags.audioPanelAlwaysOpen === true,
    pureShare: flags.showPureSharingContent === true,
    participantsList: flags.participants_list !== false,
    security: flags.security_option !== false,
    more: flags.more_meeting_control !== false,
  };
}

// ---------------------------------------------------------------------------------------------
// State

const state = {
  /** @type {Phase} */
  phase: "prejoin",
  name: config.name,
  role: config.role,
  flags: config.flags,
  selfId: "",
  meeting: { id: config.meetingId, topic: config.topic, status: "" },
  /** @type {Map<string, Participant>} */
  participants: new Map(),
  /** @type {Map<number, Feed>} */
  feeds: new Map(),
  /** @type {Set<string>} */
  speaking: new Set(),
  localSpeaking: false,
  /** @type {string | null} */
  activeSpeaker: null,
  /** @type {Invite | null} */
  invite: null,
  audioMuted: false,
  videoMuted: false,
  sharing: false,
  recording: false,
  endedByMe: false,
  /** @type {"gallery" | "speaker"} */
  view: "gallery",
  sinkId: "",
  joinedAt: 0,
  devices: { camera: "", microphone: "" },
};

const signaling = new P.Signaling(config.wsUrl, (url) => new WebSocket(url));
const media = new MediaSession(signaling, { audio: false, video: false, screen: false });

/** @type {MediaStream} */
let localStream = new MediaStream();
/** @type {LevelMeter | null} */
let meter = null;

function joinMessage() {
  const can = abilities();
  return P.join({
    token: config.token,
    role: config.role,
    name: state.name,
    audioMuted: !can.audio || state.audioMuted || localStream.getAudioTracks().length === 0,
    videoMuted: !can.av || state.videoMuted || localStream.getVideoTracks().length === 0,
  });
}

/** Everyone, this participant first. */
function everyone() {
  return [...state.participants.values()].sort((a, b) => {
    if (a.participant_id === state.selfId) return -1;
    if (b.participant_id === state.selfId) return 1;
    return 0;
  });
}

function self() {
  return state.participants.get(state.selfId);
}

/** @param {Phase} phase */
function setPhase(phase) {
  state.phase = phase;
  root.dataset.phase = phase;
}

// ---------------------------------------------------------------------------------------------
// Toasts and banners

const overlay = h("div", { class: "overlay-layer" });
const toasts = h("div", { class: "toasts", role: "region", "aria-label": "Notifications" });
overlay.append(toasts);

/** @param {string} text @param {"error" | "info"} [tone] */
function toast(text, tone = "error") {
  const close = iconButton({ icon: "close", label: "Dismiss", class: "btn-ghost btn-small" });
  const el = h(
    "div",
    { class: `toast toast-${tone}`, testid: "toast", role: tone === "error" ? "alert" : "status" },
    icon(tone === "error" ? "alert" : "check"),
    h("span", { class: "toast-text", text: text.charAt(0).toUpperCase() + text.slice(1) }),
    close,
  );
  const remove = () => el.remove();
  close.addEventListener("click", remove);
  toasts.append(el);
  setTimeout(remove, tone === "error" ? 8000 : 3500);
}

const banners = { socket: false, media: false };

function renderReconnecting() {
  const show = (banners.socket || banners.media) && (state.phase === "live" || state.phase === "waiting" || joining);
  let el = overlay.querySelector('[data-testid="reconnecting"]');
  if (!show) return el?.remove();
  const text = banners.socket ? "Reconnecting…" : "Reconnecting media…";
  if (!el) {
    el = h("div", { class: "reconnecting", testid: "reconnecting", role: "status" }, h("span", { class: "spinner small", "aria-hidden": "true" }), h("span", { class: "reconnecting-text" }));
    overlay.prepend(el);
  }
  /** @type {HTMLElement} */ (el.querySelector(".reconnecting-text")).textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Screens

/** @param {HTMLElement} screen */
function show(screen) {
  closePopovers();
  root.replaceChildren(screen, overlay);
}

let joining = false;

/** Pre-join: name, preview, devices, mute choices. */
function renderPrejoin() {
  setPhase("prejoin");
  const can = abilities();
  const nameInput = h("input", {
    id: "prejoin-name", testid: "prejoin-name", type: "text", maxlength: "100", required: true,
    autocomplete: "name", ".value": state.name,
  });
  const preview = h("video", { testid: "prejoin-preview", class: "preview-video mirror", ".muted": true, ".autoplay": true, ".playsInline": true, "aria-label": "Camera preview" });
  const previewAvatar = avatar(state.name || "?", "preview-avatar");
  const previewNote = h("p", { class: "preview-note" });
  const level = h("div", { class: "level", "aria-hidden": "true" }, h("div", { class: "level-fill" }));
  const cameraSelect = h("select", { id: "camera-select", testid: "camera-select", "aria-label": "Camera" });
  const micSelect = h("select", { id: "mic-select", testid: "mic-select", "aria-label": "Microphone" });
  const audioMuted = h("input", { type: "checkbox", id: "join-audio-muted", testid: "join-audio-muted", role: "switch", ".checked": state.audioMuted });
  const videoOff = h("input", { type: "checkbox", id: "join-video-off", testid: "join-video-off", role: "switch", ".checked": state.videoMuted });
  const joinButton = h("button", { type: "submit", class: "btn btn-primary btn-wide", testid: "join-button", text: config.role === "host" ? "Start meeting" : "Join meeting" });

  const stage = h("div", { class: `preview ${can.av ? "" : "audio-only"}` }, can.av ? preview : null, previewAvatar, h("div", { class: "preview-name" }), previewNote);
  const refreshPreview = () => {
    const off = !can.av || /** @type {HTMLInputElement} */ (videoOff).checked || localStream.getVideoTracks().length === 0;
    stage.classList.toggle("camera-off", off);
    previewAvatar.textContent = initials(/** @type {HTMLInputElement} */ (nameInput).value || "?");
    previewAvatar.style.setProperty("--avatar-hue", String(hue(/** @type {HTMLInputElement} */ (nameInput).value)));
    /** @type {HTMLElement} */ (stage.querySelector(".preview-name")).textContent = /** @type {HTMLInputElement} */ (nameInput).value;
  };
  nameInput.addEventListener("input", refreshPreview);
  audioMuted.addEventListener("change", () => {
    state.audioMuted = /** @type {HTMLInputElement} */ (audioMuted).checked;
    localStream.getAudioTracks().forEach((t) => (t.enabled = !state.audioMuted));
  });
  videoOff.addEventListener("change", () => {
    state.videoMuted = /** @type {HTMLInputElement} */ (videoOff).checked;
    localStream.getVideoTracks().forEach((t) => (t.enabled = !state.videoMuted));
    refreshPreview();
  });

  const field = (/** @type {string} */ label, /** @type {HTMLElement} */ control, /** @type {keyof typeof ICONS} */ ic) =>
    h("label", { class: "field", for: control.id }, h("span", { class: "field-label" }, icon(ic), label), control);
  const toggle = (/** @type {string} */ label, /** @type {HTMLElement} */ control) =>
    h("label", { class: "switch", for: control.id }, control, h("span", { class: "switch-track", "aria-hidden": "true" }), h("span", { text: label }));

  const form = h(
    "form",
    { class: "prejoin-form", novalidate: true },
    h("p", { class: "eyebrow", text: config.role === "host" ? "You are the host" : "Ready to join?" }),
    h("h1", { class: "prejoin-topic", text: config.topic || "Meeting" }),
    h("p", { class: "muted", text: `Meeting ID ${formatMeetingId(config.meetingId)}` }),
    h("label", { class: "field", for: "prejoin-name" }, h("span", { class: "field-label", text: "Your name" }), nameInput),
    can.av ? field("Camera", cameraSelect, "camera") : null,
    can.audio ? field("Microphone", micSelect, "mic") : null,
    can.audio ? level : null,
    h("div", { class: "switches" }, can.audio ? toggle("Join with mic muted", audioMuted) : null, can.av ? toggle("Join with camera off", videoOff) : null),
    joinButton,
    can.audio || can.av ? null : h("p", { class: "muted small", text: "This meeting is set to watch and listen only for you." }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    join(/** @type {HTMLInputElement} */ (nameInput), /** @type {HTMLButtonElement} */ (joinButton));
  });

  const screen = h("main", { class: "screen prejoin", testid: "prejoin" }, h("header", { class: "brandbar" }, h("span", { class: "brand", text: "ngage" })), h("div", { class: "prejoin-card" }, stage, form));
  show(screen);
  refreshPreview();
  previewReady = openPreview({ preview, previewNote, cameraSelect, micSelect, level, refreshPreview, can }).catch(() => {});
}

/** Settles once the pre-join devices are open (or failed): joining waits for it. */
let previewReady = Promise.resolve();

/**
 * Opens the chosen devices for the preview and fills the device lists.
 * @param {{preview: HTMLElement, previewNote: HTMLElement, cameraSelect: HTMLElement, micSelect: HTMLElement, level: HTMLElement, refreshPreview: () => void, can: ReturnType<typeof abilities>}} ui
 */
async function openPreview(ui) {
  const { can } = ui;
  if (!can.av && can.audio) ui.previewNote.textContent = "Audio only: video is off for you in this meeting.";
  if (!can.av && !can.audio) return;
  const { stream, errors } = await getLocalMedia({ audio: can.audio, video: can.av });
  adoptLocalStream(stream);
  /** @type {HTMLVideoElement} */ (ui.preview).srcObject = localStream;
  if (errors.length > 0) ui.previewNote.textContent = deviceProblem(errors);
  ui.previewNote.classList.toggle("warn", errors.length > 0);
  ui.refreshPreview();
  startMeter(ui.level);
  await fillDeviceSelects(/** @type {HTMLSelectElement} */ (ui.cameraSelect), /** @type {HTMLSelectElement} */ (ui.micSelect));
  ui.cameraSelect.addEventListener("change", (e) => previewSwitch("video", /** @type {HTMLSelectElement} */ (e.target).value, ui));
  ui.micSelect.addEventListener("change", (e) => previewSwitch("audio", /** @type {HTMLSelectElement} */ (e.target).value, ui));
}

/** @param {{kind: string, error: Error}[]} errors */
function deviceProblem(errors) {
  const what = errors.map((e) => (e.kind === "audio" ? "microphone" : "camera")).join(" and ");
  const denied = errors.some((e) => e.error.name === "NotAllowedError");
  return denied ? `Access to your ${what} was blocked. You can still join.` : `No ${what} found. You can still join.`;
}

/**
 * @param {"audio" | "video"} kind
 * @param {string} deviceId
 * @param {{preview: HTMLElement, previewNote: HTMLElement, level: HTMLElement, refreshPreview: () => void}} ui
 */
async function previewSwitch(kind, deviceId, ui) {
  const request = kind === "audio" ? { audio: true, video: false, audioDeviceId: deviceId } : { audio: false, video: true, videoDeviceId: deviceId };
  const { stream, errors } = await getLocalMedia(request);
  if (errors.length > 0) return toast(`Could not open that ${kind === "audio" ? "microphone" : "camera"}: ${errors[0].error.message}`);
  const old = kind === "audio" ? localStream.getAudioTracks() : localStream.getVideoTracks();
  old.forEach((t) => {
    localStream.removeTrack(t);
    t.stop();
  });
  stream.getTracks().forEach((t) => localStream.addTrack(t));
  adoptLocalStream(localStream);
  /** @type {HTMLVideoElement} */ (ui.preview).srcObject = localStream;
  state.devices[kind === "audio" ? "microphone" : "camera"] = deviceId;
  if (ui.previewNote.classList.contains("warn")) ui.previewNote.textContent = "";
  ui.previewNote.classList.remove("warn");
  ui.refreshPreview();
  if (kind === "audio") startMeter(ui.level);
}

/** @param {MediaStream} stream */
function adoptLocalStream(stream) {
  localStream = stream;
  localStream.getAudioTracks().forEach((t) => (t.enabled = !state.audioMuted));
  localStream.getVideoTracks().forEach((t) => (t.enabled = !state.videoMuted));
}

/**
 * Fills camera and microphone selects (labels exist once access was granted).
 * @param {HTMLSelectElement | null} cameraSelect
 * @param {HTMLSelectElement | null} micSelect
 * @param {HTMLSelectElement | null} [speakerSelect]
 */
async function fillDeviceSelects(cameraSelect, micSelect, speakerSelect = null) {
  const devices = await listDevices().catch(() => ({ cameras: [], microphones: [], speakers: [] }));
  const current = {
    video: localStream.getVideoTracks()[0]?.getSettings().deviceId ?? state.devices.camera,
    audio: localStream.getAudioTracks()[0]?.getSettings().deviceId ?? state.devices.microphone,
  };
  fillSelect(cameraSelect, devices.cameras, current.video, "Camera");
  fillSelect(micSelect, devices.microphones, current.audio, "Microphone");
  fillSelect(speakerSelect, devices.speakers, state.sinkId, "Speaker");
}

/**
 * @param {HTMLSelectElement | null} select
 * @param {MediaDeviceInfo[]} devices
 * @param {string | undefined} selected
 * @param {string} fallback
 */
function fillSelect(select, devices, selected, fallback) {
  if (!select) return;
  const options = devices.map((d, i) => h("option", { value: d.deviceId, text: d.label || `${fallback} ${i + 1}`, ".selected": d.deviceId === selected }));
  select.replaceChildren(...(options.length ? options : [h("option", { value: "", text: `No ${fallback.toLowerCase()} found` })]));
  select.toggleAttribute("disabled", options.length === 0);
}

/** Keeps a level meter running for the local microphone. @param {HTMLElement | null} levelEl */
function startMeter(levelEl) {
  meter?.close();
  meter = null;
  const track = localStream.getAudioTracks()[0];
  if (!track || !abilities().audio) return;
  try {
    meter = new LevelMeter(track);
  } catch {
    return;
  }
  if (levelEl) meterTargets.add(levelEl);
}

/** @type {Set<HTMLElement>} */
const meterTargets = new Set();
let speakingUntil = 0;

/** Ten times a second: meters, and the local speaking ring when the server is quiet. */
function meterTick() {
  const level = meter && !state.audioMuted ? meter.level() : 0;
  for (const el of meterTargets) {
    if (!el.isConnected) meterTargets.delete(el);
    else el.style.setProperty("--level", level.toFixed(3));
  }
  const now = Date.now();
  if (level > 0.12) speakingUntil = now + 700;
  const speaking = now < speakingUntil;
  if (speaking !== state.localSpeaking) {
    state.localSpeaking = speaking;
    if (state.phase === "live") updateTiles();
  }
}
setInterval(meterTick, 100);

/** @param {HTMLInputElement} nameInput @param {HTMLButtonElement} button */
async function join(nameInput, button) {
  const name = nameInput.value.trim();
  if (name.length < 1 || name.length > P.MAX_NAME_LENGTH) {
    nameInput.setAttribute("aria-invalid", "true");
    nameInput.focus();
    return toast("Please enter your name (up to 100 characters).");
  }
  nameInput.removeAttribute("aria-invalid");
  state.name = name;
  joining = true;
  button.disabled = true;
  button.textContent = "Joining…";
  await previewReady;
  try {
    await signaling.connect(joinMessage());
  } catch (error) {
    joining = false;
    joinRefused(/** @type {P.SignalingError} */ (error), button);
  }
}

/** @param {P.SignalingError} error @param {HTMLButtonElement} button */
function joinRefused(error, button) {
  if (error.code === P.ErrorCode.LINK_REJECTED) return renderRejected(error.message);
  if (error.code === P.ErrorCode.MEETING_ENDED) return renderEnded("This meeting has ended.");
  signaling.close();
  banners.socket = false;
  renderReconnecting();
  button.disabled = false;
  button.textContent = config.role === "host" ? "Start meeting" : "Join meeting";
  toast(error.message || "Could not join the meeting");
}

/** Waiting for the host. @param {string} message */
function renderWaiting(message) {
  setPhase("waiting");
  const preview = h("video", { class: "waiting-video mirror", ".muted": true, ".autoplay": true, ".playsInline": true, "aria-hidden": "true" });
  /** @type {HTMLVideoElement} */ (preview).srcObject = localStream;
  const hasVideo = localStream.getVideoTracks().length > 0 && !state.videoMuted;
  const screen = h(
    "main",
    { class: "screen waiting" },
    h("header", { class: "brandbar" }, h("span", { class: "brand", text: "ngage" })),
    h(
      "div",
      { class: "center-card" },
      h("div", { class: `waiting-self ${hasVideo ? "" : "camera-off"}` }, avatar(state.name), hasVideo ? preview : null),
      h("div", { class: "pulse", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
      h("h1", { text: state.meeting.topic || "Meeting" }),
      h("p", { class: "waiting-banner", testid: "waiting-banner", role: "status", text: message || "Waiting for the host to start the meeting…" }),
      h("p", { class: "muted small", text: "You will join automatically when the host arrives." }),
      h("button", { type: "button", class: "btn btn-secondary", testid: "leave", text: "Leave", onclick: leaveMeeting }),
    ),
  );
  show(screen);
  /** @type {HTMLVideoElement} */ (preview).play().catch(() => {});
}

/** @param {string} text */
function renderEnded(text, sub = "Thanks for joining.") {
  teardown();
  setPhase("ended");
  const screen = h(
    "main",
    { class: "screen ended" },
    h("header", { class: "brandbar" }, h("span", { class: "brand", text: "ngage" })),
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
function renderRejected(message) {
  teardown();
  setPhase("rejected");
  const screen = h(
    "main",
    { class: "screen rejected" },
    h("header", { class: "brandbar" }, h("span", { class: "brand", text: "ngage" })),
    h(
      "div",
      { class: "center-card" },
      h("div", { class: "end-icon warn", "aria-hidden": "true" }, icon("lock")),
      h("h1", { testid: "rejected-banner", role: "alert", text: "This link cannot be used" }),
      h("p", { class: "muted", text: message || "The link is invalid, has expired, or is meant for someone else." }),
      h("p", { class: "muted small", text: "Ask the organizer for a new link." }),
      h("a", { class: "btn btn-secondary", href: "/", text: "Back to ngage" }),
    ),
  );
  show(screen);
}

function teardown() {
  joining = false;
  toasts.replaceChildren();
  banners.socket = banners.media = false;
  signaling.close();
  media.close();
  stopStream(localStream);
  meter?.close();
  meter = null;
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
}

function leaveMeeting() {
  signaling.leave();
  renderEnded("You left the meeting", "You can close this tab, or rejoin with the same link.");
  const card = root.querySelector(".center-card");
  card?.append(h("button", { type: "button", class: "btn btn-primary", text: "Rejoin", onclick: () => location.reload() }));
}

// ---------------------------------------------------------------------------------------------
// The live meeting: frame, toolbar and panels

/** @type {{root: HTMLElement, stage: HTMLElement, side: HTMLElement, toolbar: HTMLElement, clock: HTMLElement, notice: HTMLElement} | null} */
let ui = null;
const panels = { participants: false, audio: false };

function renderLive() {
  setPhase("live");
  const can = abilities();
  panels.audio = can.audio && (can.audioPanelAlwaysOpen || panels.audio);
  const clock = h("span", { class: "clock", "aria-label": "Meeting time" });
  const notice = h("div", { class: "topbar-center", "aria-live": "polite" });
  const topbar = h(
    "header",
    { class: "topbar" },
    h("div", { class: "topbar-left" }, h("span", { class: "brand", text: "ngage" }), h("span", { class: "divider", "aria-hidden": "true" }), h("h1", { class: "topic", text: state.meeting.topic || "Meeting" })),
    notice,
    h("div", { class: "topbar-right" }, h("span", { class: "secure-chip", title: "Media encrypted (DTLS-SRTP)" }, icon("lock"), h("span", { text: "Encrypted" })), clock),
  );
  const stage = h("section", { class: "stage", "aria-label": "Video tiles" });
  const side = h("div", { class: "side" });
  const toolbar = h("nav", { class: "toolbar", "aria-label": "Meeting controls" });
  const meeting = h("main", { class: "screen meeting", testid: "meeting" }, topbar, h("div", { class: "body" }, stage, side), toolbar);
  ui = { root: meeting, stage, side, toolbar, clock, notice };
  tiles.clear();
  show(meeting);
  new ResizeObserver(() => layout()).observe(stage);
  renderToolbar();
  renderSide();
  syncTiles();
}

setInterval(() => {
  if (!ui || state.phase !== "live" || !state.joinedAt) return;
  const s = Math.floor((Date.now() - state.joinedAt) / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, "0");
  ui.clock.textContent = `${hh ? `${hh}:` : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
}, 1000);

function renderToolbar() {
  if (!ui) return;
  const can = abilities();
  const left = h("div", { class: "toolbar-group" });
  const center = h("div", { class: "toolbar-group toolbar-center" });
  const right = h("div", { class: "toolbar-group" });

  if (can.audio) {
    const mic = iconButton({ icon: state.audioMuted ? "micOff" : "mic", label: state.audioMuted ? "Unmute microphone (Alt+A)" : "Mute microphone (Alt+A)", text: state.audioMuted ? "Unmute" : "Mute", testid: "mic-toggle", pressed: state.audioMuted, class: `tool ${state.audioMuted ? "tool-off" : ""}`, onclick: toggleMic });
    mic.append(h("span", { class: "mic-level", "aria-hidden": "true" }));
    meterTargets.add(mic);
    const split = h("div", { class: "split" }, mic);
    if (!can.audioPanelAlwaysOpen) split.append(iconButton({ icon: "chevronUp", label: "Audio settings", testid: "audio-panel-toggle", class: "tool tool-caret", expanded: panels.audio, onclick: () => togglePanel("audio") }));
    left.append(split);
  }
  if (can.av) {
    left.append(iconButton({ icon: state.videoMuted ? "cameraOff" : "camera", label: state.videoMuted ? "Start video (Alt+V)" : "Stop video (Alt+V)", text: state.videoMuted ? "Start video" : "Stop video", testid: "camera-toggle", pressed: state.videoMuted, class: `tool ${state.videoMuted ? "tool-off" : ""}`, onclick: toggleCamera }));
  }
  if (can.security) center.append(iconButton({ icon: "shield", label: "Security", text: "Security", testid: "security-toggle", class: "tool", haspopup: "dialog", expanded: false, onclick: (e) => openPopover("security", /** @type {HTMLElement} */ (e.currentTarget)) }));
  if (can.participantsList) {
    const b = iconButton({ icon: "people", label: "Participants", text: "Participants", testid: "participants-toggle", class: "tool", expanded: panels.participants, onclick: () => togglePanel("participants") });
    b.append(h("span", { class: "badge", text: String(state.participants.size) }));
    center.append(b);
  }
  if (can.invite && state.invite) center.append(iconButton({ icon: "invite", label: "Invite", text: "Invite", testid: "invite-toggle", class: "tool", haspopup: "dialog", onclick: openInvite }));
  if (can.share) center.append(iconButton({ icon: state.sharing ? "shareStop" : "share", label: state.sharing ? "Stop sharing" : "Share screen", text: state.sharing ? "Stop share" : "Share", testid: "share-toggle", pressed: state.sharing, class: `tool ${state.sharing ? "tool-active" : ""}`, onclick: toggleShare }));
  if (can.record) center.append(iconButton({ icon: "record", label: state.recording ? "Stop recording" : "Record", text: state.recording ? "Stop rec" : "Record", testid: "record-toggle", pressed: state.recording, class: `tool ${state.recording ? "tool-rec" : ""}`, onclick: toggleRecord }));
  if (can.more) center.append(iconButton({ icon: "more", label: "More", text: "More", testid: "more-toggle", class: "tool", haspopup: "menu", expanded: false, onclick: (e) => openPopover("more", /** @type {HTMLElement} */ (e.currentTarget)) }));

  if (state.role === "host") right.append(h("button", { type: "button", class: "btn btn-danger-outline", testid: "end-for-all", "aria-label": "End meeting for all", title: "End meeting for all", onclick: confirmEnd }, h("span", { text: "End for all" })));
  right.append(iconButton({ icon: "leave", label: "Leave meeting", text: "Leave", testid: "leave", class: "btn-danger", onclick: leaveMeeting }));
  ui.toolbar.replaceChildren(left, center, right);
  ui.notice.replaceChildren(
    ...(state.sharing
      ? [h("div", { class: "sharing-chip" }, icon("share"), h("span", { text: "You are sharing your screen" }), h("button", { type: "button", class: "btn btn-danger btn-small", text: "Stop sharing", onclick: toggleShare }))]
      : []),
  );
}

/** @param {"participants" | "audio"} name */
function togglePanel(name) {
  if (name === "audio" && abilities().audioPanelAlwaysOpen) return;
  panels[name] = !panels[name];
  renderSide();
  renderToolbar();
}

function renderSide() {
  if (!ui) return;
  const can = abilities();
  const children = [];
  if (panels.audio && can.audio) children.push(audioPanel(can.audioPanelAlwaysOpen));
  if (panels.participants && can.participantsList) children.push(participantsPanel());
  ui.side.replaceChildren(...children);
  ui.root.classList.toggle("with-side", children.length > 0);
  requestAnimationFrame(layout);
}

/** @param {string} title @param {string} testid @param {Node[]} body @param {(() => void) | null} onClose */
function panel(title, testid, body, onClose) {
  return h(
    "aside",
    { class: "panel", testid, "aria-label": title },
    h("header", { class: "panel-head" }, h("h2", { text: title }), onClose ? iconButton({ icon: "close", label: `Close ${title.toLowerCase()}`, class: "btn-ghost btn-small", onclick: onClose }) : null),
    h("div", { class: "panel-body" }, ...body),
  );
}

function participantsPanel() {
  const list = h("ul", { class: "people", role: "list" });
  for (const p of everyone()) {
    const me = p.participant_id === state.selfId;
    list.append(
      h(
        "li",
        { class: "person", "data-participant-id": p.participant_id, "data-audio-muted": String(p.audio_muted) },
        avatar(p.name, "small"),
        h("span", { class: "person-name" }, h("span", { class: "person-label", text: p.name }), me ? h("span", { class: "muted", text: "(you)" }) : null, p.role === "host" ? h("span", { class: "tag", text: "Host" }) : null),
        h("span", { class: `state-icon ${p.audio_muted ? "off" : ""}`, role: "img", "aria-label": p.audio_muted ? "Microphone muted" : "Microphone on" }, icon(p.audio_muted ? "micOff" : "mic")),
        h("span", { class: `state-icon ${p.video_muted ? "off" : ""}`, role: "img", "aria-label": p.video_muted ? "Camera off" : "Camera on" }, icon(p.video_muted ? "cameraOff" : "camera")),
      ),
    );
  }
  return panel(`Participants (${state.participants.size})`, "participants-panel", [list], () => togglePanel("participants"));
}

/** @param {boolean} pinned */
function audioPanel(pinned) {
  const micSelect = h("select", { id: "audio-mic-select", "aria-label": "Microphone" });
  const speakerSelect = h("select", { id: "audio-speaker-select", "aria-label": "Speaker" });
  const level = h("div", { class: "level", role: "meter", "aria-label": "Microphone level" }, h("div", { class: "level-fill" }));
  meterTargets.add(level);
  micSelect.addEventListener("change", () => switchDevice("audio", /** @type {HTMLSelectElement} */ (micSelect).value));
  speakerSelect.addEventListener("change", () => setSpeaker(/** @type {HTMLSelectElement} */ (speakerSelect).value));
  const canPickSpeaker = "setSinkId" in HTMLMediaElement.prototype;
  fillDeviceSelects(null, /** @type {HTMLSelectElement} */ (micSelect), canPickSpeaker ? /** @type {HTMLSelectElement} */ (speakerSelect) : null);
  const body = [
    h("label", { class: "field", for: "audio-mic-select" }, h("span", { class: "field-label" }, icon("mic"), "Microphone"), micSelect),
    level,
    h("p", { class: "muted small", text: state.audioMuted ? "You are muted." : "Speak to test your microphone." }),
    canPickSpeaker ? h("label", { class: "field", for: "audio-speaker-select" }, h("span", { class: "field-label" }, icon("volume"), "Speaker"), speakerSelect) : null,
  ].filter((x) => x !== null);
  return panel("Audio", "audio-panel", /** @type {Node[]} */ (body), pinned ? null : () => togglePanel("audio"));
}

// ---------------------------------------------------------------------------------------------
// Popovers (security, more) and dialogs (invite, end, devices)

/** @type {{el: HTMLElement, anchor: HTMLElement} | null} */
let popover = null;

function closePopovers() {
  if (!popover) return;
  popover.anchor.setAttribute("aria-expanded", "false");
  popover.el.remove();
  popover = null;
}

/** @param {"security" | "more"} which @param {HTMLElement} anchor */
function openPopover(which, anchor) {
  const reopen = popover?.anchor === anchor;
  closePopovers();
  if (reopen) return;
  const el = which === "security" ? securityMenu() : moreMenu();
  popover = { el, anchor };
  anchor.setAttribute("aria-expanded", "true");
  overlay.append(el);
  const box = anchor.getBoundingClientRect();
  el.style.left = `${Math.max(8, Math.min(window.innerWidth - el.offsetWidth - 8, box.left + box.width / 2 - el.offsetWidth / 2))}px`;
  el.style.bottom = `${window.innerHeight - box.top + 8}px`;
  /** @type {HTMLElement | null} */ (el.querySelector("button, [tabindex]"))?.focus();
}

function securityMenu() {
  const role = state.role === "host" ? "Host" : "Participant";
  return h(
    "div",
    { class: "popover", role: "dialog", "aria-label": "Security", testid: "security-menu", tabindex: "-1" },
    h("h2", { class: "popover-title", text: "Security" }),
    h(
      "dl",
      { class: "facts" },
      h("dt", { text: "Meeting ID" }), h("dd", { text: formatMeetingId(state.meeting.id) }),
      h("dt", { text: "Media" }), h("dd", {}, icon("lock"), " Media encrypted (DTLS-SRTP)"),
      h("dt", { text: "Your role" }), h("dd", { text: role }),
    ),
  );
}

function moreMenu() {
  const items = [
    menuItem(state.view === "gallery" ? "speaker" : "grid", state.view === "gallery" ? "Switch to speaker view" : "Switch to gallery view", toggleView),
    menuItem("fullscreen", document.fullscreenElement ? "Exit full screen" : "Full screen", toggleFullscreen),
    menuItem("settings", "Device settings…", openDeviceSettings),
  ];
  const menu = h("div", { class: "popover menu", role: "menu", "aria-label": "More", testid: "more-menu" }, ...items);
  menu.addEventListener("keydown", (e) => menuKeys(e, items));
  return menu;
}

/** @param {keyof typeof ICONS} ic @param {string} label @param {() => void} action */
function menuItem(ic, label, action) {
  return h("button", { type: "button", role: "menuitem", class: "menu-item", onclick: () => { closePopovers(); action(); } }, icon(ic), h("span", { text: label }));
}

/** Arrow keys move between menu items. @param {KeyboardEvent} e @param {HTMLElement[]} items */
function menuKeys(e, items) {
  const i = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
  if (!step) return;
  e.preventDefault();
  items[(i + step + items.length) % items.length].focus();
}

/**
 * A modal dialog (native <dialog>: focus stays inside, Escape closes).
 * @param {string} title @param {string} testid @param {Node[]} body @param {Node[]} [actions]
 */
function dialog(title, testid, body, actions = []) {
  const el = /** @type {HTMLDialogElement} */ (
    h("dialog", { class: "dialog", testid, "aria-label": title },
      h("header", { class: "dialog-head" }, h("h2", { text: title }), iconButton({ icon: "close", label: "Close", class: "btn-ghost btn-small", onclick: () => el.close() })),
      h("div", { class: "dialog-body" }, ...body),
      actions.length ? h("footer", { class: "dialog-actions" }, ...actions) : null)
  );
  el.addEventListener("close", () => el.remove());
  overlay.append(el);
  el.showModal();
  return el;
}

/** A read-only value with a copy button. @param {string} label @param {string} value @param {string} testid */
function copyField(label, value, testid) {
  const id = `copy-${testid}`;
  // A read-only textarea: its value and its text are both the copied value.
  const field = h("textarea", { id, class: "copy-value", testid, readonly: true, rows: "1", wrap: "off", spellcheck: "false", text: value });
  const button = iconButton({ icon: "copy", label: `Copy ${label.toLowerCase()}`, class: "btn-secondary btn-small", text: "Copy", onclick: () => copy(value, /** @type {HTMLTextAreaElement} */ (field)) });
  return h("div", { class: "copy-row" }, h("label", { class: "field-label", for: id, text: label }), h("div", { class: "copy-line" }, field, button));
}

/** @param {string} text @param {HTMLTextAreaElement | null} [field] */
async function copy(text, field = null) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    field?.select();
    if (!document.execCommand("copy")) return toast("Copy failed: select the text and copy it yourself.");
  }
  toast("Copied to the clipboard", "info");
}

function openInvite() {
  const invite = state.invite;
  if (!invite) return;
  const text = `Join my ngage meeting: ${invite.join_url}\nMeeting ID: ${formatMeetingId(invite.meeting_id)}\nPassword: ${invite.password}`;
  dialog(
    "Invite people",
    "invite-dialog",
    [
      h("p", { class: "muted", text: "Share the link, or the meeting ID and password for joining from the ngage home page." }),
      copyField("Join link", invite.join_url, "invite-link"),
      copyField("Meeting ID", formatMeetingId(invite.meeting_id), "invite-meeting-id"),
      copyField("Password", invite.password, "invite-password"),
    ],
    [h("button", { type: "button", class: "btn btn-primary", onclick: () => copy(text) }, icon("link"), h("span", { text: "Copy invitation" }))],
  );
}

function confirmEnd() {
  const cancel = h("button", { type: "button", class: "btn btn-secondary", text: "Cancel" });
  const confirm = h("button", { type: "button", class: "btn btn-danger", testid: "end-confirm", text: "End meeting for all" });
  const el = dialog("End the meeting?", "end-dialog", [h("p", { text: "Everyone will be removed from the meeting. This cannot be undone." })], [cancel, confirm]);
  cancel.addEventListener("click", () => el.close());
  confirm.addEventListener("click", () => {
    el.close();
    state.endedByMe = true;
    signaling.request(P.end()).catch((error) => {
      state.endedByMe = false;
      toast(error.message);
    });
  });
  cancel.focus();
}

function openDeviceSettings() {
  const can = abilities();
  const cameraSelect = h("select", { id: "settings-camera", "aria-label": "Camera" });
  const micSelect = h("select", { id: "settings-mic", "aria-label": "Microphone" });
  const speakerSelect = h("select", { id: "settings-speaker", "aria-label": "Speaker" });
  const canPickSpeaker = can.audio && "setSinkId" in HTMLMediaElement.prototype;
  cameraSelect.addEventListener("change", () => switchDevice("video", /** @type {HTMLSelectElement} */ (cameraSelect).value));
  micSelect.addEventListener("change", () => switchDevice("audio", /** @type {HTMLSelectElement} */ (micSelect).value));
  speakerSelect.addEventListener("change", () => setSpeaker(/** @type {HTMLSelectElement} */ (speakerSelect).value));
  fillDeviceSelects(/** @type {HTMLSelectElement} */ (cameraSelect), /** @type {HTMLSelectElement} */ (micSelect), canPickSpeaker ? /** @type {HTMLSelectElement} */ (speakerSelect) : null);
  const field = (/** @type {string} */ label, /** @type {HTMLElement} */ control, /** @type {keyof typeof ICONS} */ ic) =>
    h("label", { class: "field", for: control.id }, h("span", { class: "field-label" }, icon(ic), label), control);
  const body = [
    can.av ? field("Camera", cameraSelect, "camera") : null,
    can.audio ? field("Microphone", micSelect, "mic") : null,
    canPickSpeaker ? field("Speaker", speakerSelect, "volume") : null,
    can.av || can.audio ? null : h("p", { class: "muted", text: "This meeting does not use your camera or microphone." }),
  ].filter((x) => x !== null);
  dialog("Device settings", "device-settings", /** @type {Node[]} */ (body));
}

// ---------------------------------------------------------------------------------------------
// Controls

async function toggleMic() {
  if (localStream.getAudioTracks().length === 0 && state.audioMuted) {
    const opened = await switchDevice("audio", state.devices.microphone);
    if (!opened) return;
  }
  await setMuted("audio", !state.audioMuted);
}

async function toggleCamera() {
  if (localStream.getVideoTracks().length === 0 && state.videoMuted) {
    const opened = await switchDevice("video", state.devices.camera);
    if (!opened) return;
  }
  await setMuted("video", !state.videoMuted);
}

/** @param {"audio" | "video"} kind @param {boolean} muted */
async function setMuted(kind, muted) {
  if (kind === "audio") state.audioMuted = muted;
  else state.videoMuted = muted;
  const me = self();
  if (me) state.participants.set(me.participant_id, { ...me, [kind === "audio" ? "audio_muted" : "video_muted"]: muted });
  signaling.updateJoin(joinMessage());
  renderToolbar();
  updateTiles();
  if (panels.participants || panels.audio) renderSide();
  const request = kind === "audio" ? media.setAudioMuted(muted) : media.setVideoMuted(muted);
  await request.catch((/** @type {Error} */ error) => toast(error.message));
}

/** @param {"audio" | "video"} kind @param {string} deviceId */
async function switchDevice(kind, deviceId) {
  try {
    await (kind === "audio" ? media.switchMicrophone(deviceId) : media.switchCamera(deviceId));
  } catch (error) {
    toast(`Could not open that ${kind === "audio" ? "microphone" : "camera"}: ${/** @type {Error} */ (error).message}`);
    return false;
  }
  localStream = media.localStream;
  state.devices[kind === "audio" ? "microphone" : "camera"] = deviceId;
  if (kind === "audio") startMeter(null);
  syncTiles();
  return true;
}

/** @param {string} sinkId */
function setSpeaker(sinkId) {
  state.sinkId = sinkId;
  for (const tile of tiles.values()) applySink(tile.video);
}

/** @param {HTMLVideoElement} video */
function applySink(video) {
  const v = /** @type {HTMLVideoElement & {setSinkId?: (id: string) => Promise<void>, sinkId?: string}} */ (video);
  if (state.sinkId && v.setSinkId && v.sinkId !== state.sinkId) v.setSinkId(state.sinkId).catch(() => {});
}

async function toggleShare() {
  if (state.sharing) return media.stopScreenShare();
  try {
    await media.startScreenShare();
  } catch (error) {
    const e = /** @type {Error} */ (error);
    if (e.name !== "NotAllowedError" && e.name !== "AbortError") toast(`Screen sharing failed: ${e.message}`);
  }
}

async function toggleRecord() {
  try {
    await signaling.request(P.record(state.recording ? "stop" : "start"));
    state.recording = !state.recording;
    toast(state.recording ? "Recording started" : "Recording stopped", "info");
    renderToolbar();
  } catch (error) {
    toast(/** @type {Error} */ (error).message || "Recording is not available");
  }
}

function toggleView() {
  state.view = state.view === "gallery" ? "speaker" : "gallery";
  layout();
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else root.requestFullscreen().catch(() => toast("Full screen is not available"));
}

// ---------------------------------------------------------------------------------------------
// Tiles

/**
 * @typedef {object} Tile
 * @property {string} key
 * @property {HTMLElement} el
 * @property {HTMLVideoElement} video
 * @property {HTMLElement | null} name
 * @property {HTMLElement | null} mic
 * @property {HTMLElement} avatar
 */

/** @type {Map<string, Tile>} */
const tiles = new Map();

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
  const specs = [];
  for (const p of everyone()) {
    const local = p.participant_id === state.selfId;
    const feed = [...state.feeds.values()].find((f) => f.participant_id === p.participant_id && f.kind === "camera");
    const stream = local ? localStream : feed ? media.remoteStream(feed.feed) : null;
    specs.push({ key: `camera:${p.participant_id}`, participantId: p.participant_id, kind: "camera", local, stream, name: p.name, feed: feed?.feed });
  }
  if (state.sharing && media.screenStream) {
    specs.push({ key: "screen:local", participantId: state.selfId, kind: "screen", local: true, stream: media.screenStream, name: state.name });
  }
  for (const feed of state.feeds.values()) {
    if (feed.kind !== "screen" || feed.participant_id === state.selfId) continue;
    const owner = state.participants.get(feed.participant_id);
    specs.push({ key: `screen:${feed.feed}`, participantId: feed.participant_id, kind: "screen", local: false, stream: media.remoteStream(feed.feed), name: owner?.name ?? "", feed: feed.feed });
  }
  return specs;
}

/** @param {TileSpec} spec @returns {Tile} */
function createTile(spec) {
  const pure = spec.kind === "screen" && abilities().pureShare;
  const video = /** @type {HTMLVideoElement} */ (h("video", { testid: "tile-video", class: `tile-video ${spec.local && spec.kind === "camera" ? "mirror" : ""}`, ".autoplay": true, ".playsInline": true, ".muted": spec.local || spec.kind === "screen" }));
  const av = avatar(spec.name, "tile-avatar");
  const mic = spec.kind === "camera" ? h("span", { class: "tile-mic", role: "img" }) : null;
  const name = pure ? null : h("div", { class: "tile-label" }, mic, h("span", { class: "tile-name", testid: "tile-name" }));
  const el = h("div", { class: `tile tile-${spec.kind} ${pure ? "pure" : ""}`, testid: "tile", role: "group", "data-participant-id": spec.participantId, "data-kind": spec.kind, "data-local": String(spec.local) }, spec.kind === "camera" ? av : null, video, name);
  el.addEventListener("dblclick", () => pin(spec.key));
  applySink(video);
  return { key: spec.key, el, video, name, mic, avatar: av };
}

/** Creates, updates and removes tiles to match the state, then lays them out. */
function syncTiles() {
  if (!ui || state.phase !== "live") return;
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
function updateTiles() {
  if (!ui || state.phase !== "live") return;
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
  const speaking = spec.kind === "camera" && !audioMuted && (state.speaking.has(spec.participantId) || (spec.local && state.localSpeaking));
  if (tile.video.srcObject !== spec.stream) tile.video.srcObject = spec.stream;
  setData(tile.el, "speaking", speaking);
  setData(tile.el, "audioMuted", audioMuted);
  setData(tile.el, "videoOff", videoOff);
  tile.el.setAttribute("aria-label", `${spec.kind === "screen" ? "Screen shared by " : ""}${spec.name}${spec.local ? " (you)" : ""}`);
  const label = spec.kind === "screen" ? `${spec.name}${spec.local ? " (you)" : ""} · screen` : `${spec.name}${spec.local ? " (you)" : ""}`;
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

/** @type {string | null} */
let pinned = null;

/** @param {string} key */
function pin(key) {
  pinned = pinned === key ? null : key;
  layout();
}

/** Gallery grid, or a stage (screen share, pinned tile or active speaker) with a strip. */
function layout() {
  arrange();
  // Moving a <video> in the document pauses it.
  for (const tile of tiles.values()) if (tile.video.paused && tile.video.srcObject) tile.video.play().catch(() => {});
}

function arrange() {
  if (!ui) return;
  const all = [...tiles.values()];
  // Someone else's share takes the stage; your own stays a tile (no hall of mirrors).
  const screen = all.filter((t) => t.el.dataset.kind === "screen" && t.el.dataset.local !== "true").at(-1);
  let main = screen ?? (pinned ? tiles.get(pinned) : undefined);
  if (!main && state.view === "speaker" && all.length > 1) main = speakerTile() ?? all[1];
  ui.stage.classList.toggle("has-main", !!main);
  if (!main) return gallery(all);
  const strip = all.filter((t) => t !== main);
  let mainBox = ui.stage.querySelector(".main-tile");
  let stripBox = ui.stage.querySelector(".strip");
  if (!mainBox || !stripBox) {
    mainBox = h("div", { class: "main-tile" });
    stripBox = h("div", { class: "strip" });
    ui.stage.replaceChildren(mainBox, stripBox);
  }
  if (main.el.parentElement !== mainBox) mainBox.replaceChildren(main.el);
  placeInOrder(/** @type {HTMLElement} */ (stripBox), strip.map((t) => t.el));
  stripBox.toggleAttribute("hidden", strip.length === 0);
  for (const t of all) t.el.classList.toggle("is-main", t === main);
}

/** The most recent remote speaker's camera tile. */
function speakerTile() {
  const id = state.activeSpeaker;
  return id && id !== state.selfId ? tiles.get(`camera:${id}`) : undefined;
}

/** @param {Tile[]} all */
function gallery(all) {
  if (!ui) return;
  let grid = ui.stage.querySelector(".grid");
  if (!grid) {
    grid = h("div", { class: "grid" });
    ui.stage.replaceChildren(grid);
  }
  placeInOrder(/** @type {HTMLElement} */ (grid), all.map((t) => t.el));
  for (const t of all) t.el.classList.remove("is-main");
  const { width, height } = ui.stage.getBoundingClientRect();
  const best = bestGrid(all.length, width - 16, height - 16, 10);
  const g = /** @type {HTMLElement} */ (grid);
  g.style.setProperty("--cols", String(best.cols));
  g.style.setProperty("--tile-w", `${Math.floor(best.w)}px`);
  g.style.setProperty("--tile-h", `${Math.floor(best.h)}px`);
}

/** Columns that make 16:9 tiles as large as possible. */
function bestGrid(/** @type {number} */ n, /** @type {number} */ width, /** @type {number} */ height, /** @type {number} */ gap) {
  let best = { cols: 1, w: 0, h: 0 };
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(n / cols);
    const w = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * (16 / 9));
    if (w > best.w) best = { cols, w, h: (w * 9) / 16 };
  }
  return best;
}

/** Moves children into place without detaching the ones already there (videos keep playing). */
function placeInOrder(/** @type {HTMLElement} */ parent, /** @type {HTMLElement[]} */ children) {
  children.forEach((child, i) => {
    if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] ?? null);
  });
  while (parent.children.length > children.length) /** @type {Element} */ (parent.lastElementChild).remove();
}

// ---------------------------------------------------------------------------------------------
// Server events

/** @param {ServerMessage} m */
function onJoined(m) {
  joining = false;
  banners.socket = false;
  state.selfId = /** @type {string} */ (m.participant_id);
  state.role = /** @type {import("./protocol.js").Role} */ (m.role);
  state.name = /** @type {string} */ (m.name);
  state.meeting = /** @type {import("./protocol.js").MeetingInfo} */ (m.meeting);
  state.flags = { ...config.flags, ...m.flags };
  state.invite = m.invite ?? null;
  state.joinedAt ||= Date.now();
  state.participants = new Map((m.participants ?? []).map((p) => [p.participant_id, p]));
  state.feeds = new Map((m.feeds ?? []).map((f) => [f.feed, f]));
  state.speaking.clear();
  state.audioMuted = isAudioMuted();
  state.videoMuted = isVideoMuted();
  const me = { participant_id: state.selfId, name: state.name, role: state.role, audio_muted: state.audioMuted, video_muted: state.videoMuted };
  state.participants.set(me.participant_id, me);
  const can = abilities();
  media.capabilities = { audio: can.audio, video: can.av, screen: can.share };
  media.audioMuted = state.audioMuted;
  media.videoMuted = state.videoMuted;
  media.attach(m);
  media.setLocalStream(localStream);
  if (state.role === "participant" && state.meeting.status === "created") return renderWaiting("");
  enterLive();
}

function isAudioMuted() {
  return !abilities().audio || state.audioMuted || localStream.getAudioTracks().length === 0;
}

function isVideoMuted() {
  return !abilities().av || state.videoMuted || localStream.getVideoTracks().length === 0;
}

function enterLive() {
  if (state.phase !== "live") renderLive();
  else {
    renderToolbar();
    renderSide();
    syncTiles();
  }
  renderReconnecting();
  media.goLive();
}

/** @param {ServerMessage} m */
function onWaiting(m) {
  media.standby();
  renderWaiting(/** @type {string} */ (m.message));
}

/** @param {ServerMessage} m */
function onMeetingStarted(m) {
  state.meeting = { ...state.meeting, ...m.meeting };
  if (state.phase === "waiting") enterLive();
}

/** @param {ServerMessage} m */
function onParticipant(m) {
  const p = /** @type {Participant} */ (m.participant);
  if (p.participant_id === state.selfId) {
    const mine = /** @type {Participant} */ (self());
    state.participants.set(p.participant_id, { ...p, audio_muted: mine?.audio_muted ?? p.audio_muted, video_muted: mine?.video_muted ?? p.video_muted });
  } else {
    state.participants.set(p.participant_id, p);
  }
  refreshPeople();
}

/** @param {ServerMessage} m */
function onParticipantLeft(m) {
  const id = /** @type {string} */ (m.participant_id);
  state.participants.delete(id);
  state.speaking.delete(id);
  for (const [feedId, feed] of state.feeds) if (feed.participant_id === id) state.feeds.delete(feedId);
  if (state.activeSpeaker === id) state.activeSpeaker = null;
  refreshPeople();
}

function refreshPeople() {
  if (state.phase !== "live") return;
  syncTiles();
  renderToolbar();
  if (panels.participants) renderSide();
}

/** @param {ServerMessage} m */
function onFeedAdded(m) {
  const feed = /** @type {Feed} */ (m.feed);
  state.feeds.set(feed.feed, feed);
  syncTiles();
}

/** @param {ServerMessage} m */
function onFeedRemoved(m) {
  state.feeds.delete(/** @type {number} */ (m.feed));
  syncTiles();
}

/** @param {ServerMessage} m */
function onSpeaking(m) {
  const id = /** @type {string} */ (m.participant_id);
  if (m.speaking) {
    state.speaking.add(id);
    if (id !== state.selfId) state.activeSpeaker = id;
  } else {
    state.speaking.delete(id);
  }
  updateTiles();
}

/** @param {ServerMessage} m */
function onEnded(m) {
  if (state.phase === "ended" || state.phase === "rejected") return;
  if (state.endedByMe) return renderEnded("You ended the meeting for everyone");
  renderEnded(m.reason === "idle" ? "The meeting ended because nobody was in it" : "The host ended the meeting");
}

/** Errors that answer no request of ours. @param {ServerMessage} m */
function onError(m) {
  const code = m.code;
  if (code === P.ErrorCode.LINK_REJECTED) return renderRejected(/** @type {string} */ (m.message));
  if (code === P.ErrorCode.MEETING_ENDED) return onEnded({ type: "meeting-ended", reason: "host-ended" });
  if (code === P.ErrorCode.MEDIA_UNAVAILABLE) {
    banners.media = true;
    renderReconnecting();
  }
  toast(m.message || "Something went wrong");
}

/** @param {{code: number, final: boolean}} event */
function onClose(event) {
  if (state.phase === "ended" || state.phase === "rejected") return;
  if (event.code === P.CloseCode.LINK_REJECTED) return renderRejected("");
  if (event.code === P.CloseCode.MEETING_ENDED) return onEnded({ type: "meeting-ended", reason: "host-ended" });
  if (!event.final) {
    banners.socket = true;
    renderReconnecting();
  }
}

signaling.on("joined", onJoined);
signaling.on("waiting", onWaiting);
signaling.on("meeting-started", onMeetingStarted);
signaling.on("participant-joined", onParticipant);
signaling.on("participant-updated", onParticipant);
signaling.on("participant-left", onParticipantLeft);
signaling.on("feed-added", onFeedAdded);
signaling.on("feed-removed", onFeedRemoved);
signaling.on("speaking", onSpeaking);
signaling.on("meeting-ended", onEnded);
signaling.on("error", onError);
signaling.on("close", onClose);
signaling.on("reconnecting", () => {
  banners.socket = true;
  renderReconnecting();
});
signaling.on("rejoin-failed", (/** @type {Error} */ error) => toast(error.message));
signaling.on("media-restart", () => {
  banners.media = true;
  state.feeds.clear();
  renderReconnecting();
  syncTiles();
});

media.on("remote-stream", () => syncTiles());
media.on("remote-removed", () => syncTiles());
media.on("local-stream", ({ stream }) => {
  localStream = stream;
  const tile = tiles.get(`camera:${state.selfId}`);
  if (tile) tile.video.srcObject = null;
  syncTiles();
});
media.on("published", ({ kind, feed }) => {
  state.feeds.set(feed, { feed, participant_id: state.selfId, kind });
  if (kind === "camera") {
    banners.media = false;
    renderReconnecting();
  }
});
media.on("publish-failed", ({ kind, error }) => {
  toast(`Could not send your ${kind === "screen" ? "screen" : "camera and microphone"}: ${error.message}`);
  if (kind === "screen") media.stopScreenShare();
});
media.on("watch-failed", ({ feed, error }) => {
  if (error.code !== P.ErrorCode.NOT_FOUND && error.code !== P.ErrorCode.DISCONNECTED) toast(`Could not receive a video: ${error.message}`);
  state.feeds.delete(feed.feed);
});
media.on("restarted", () => {
  if (media.publishers.size > 0 || !media.cameraStream().getTracks().length) banners.media = false;
  renderReconnecting();
});
media.on("screen-started", () => {
  state.sharing = true;
  renderToolbar();
  syncTiles();
});
media.on("screen-ended", () => {
  state.sharing = false;
  for (const [feedId, feed] of state.feeds) if (feed.participant_id === state.selfId && feed.kind === "screen") state.feeds.delete(feedId);
  renderToolbar();
  syncTiles();
});

// ---------------------------------------------------------------------------------------------
// Keyboard, page lifecycle, test hooks

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && popover) {
    const anchor = popover.anchor;
    closePopovers();
    anchor.focus();
    return;
  }
  if (state.phase !== "live" || !e.altKey) return;
  if (e.code === "KeyA" && abilities().audio) toggleMic();
  else if (e.code === "KeyV" && abilities().av) toggleCamera();
  else return;
  e.preventDefault();
});

document.addEventListener("pointerdown", (e) => {
  if (!popover) return;
  const target = /** @type {Node} */ (e.target);
  if (!popover.el.contains(target) && !popover.anchor.contains(target)) closePopovers();
});

window.addEventListener("pagehide", () => {
  if (state.phase === "live" || state.phase === "waiting") signaling.leave();
});

/** @param {string} id */
function formatMeetingId(id) {
  return /^\d{9,11}$/.test(id) ? id.replace(/^(\d{3})(\d{3,4})(\d{3,4})$/, "$1 $2 $3") : id;
}

/** @param {Participant} p */
const plain = (p) => ({ ...p });

/** @type {any} */ (window).ngageMeeting = {
  state() {
    return {
      phase: state.phase,
      participantId: state.selfId || null,
      role: state.role,
      participants: everyone().map(plain),
      feeds: [...state.feeds.values()].map((f) => ({ ...f })),
      audioMuted: state.audioMuted,
      videoMuted: state.videoMuted,
      sharing: state.sharing,
      speaking: [...state.speaking],
    };
  },
  async stats() {
    const watched = await media.stats();
    return watched.map((s) => {
      const key = s.kind === "screen" ? `screen:${s.feed}` : `camera:${s.participantId}`;
      const video = tiles.get(key)?.video;
      return { feed: s.feed, participantId: s.participantId, kind: s.kind, videoWidth: video?.videoWidth ?? 0, frameWidth: s.frameWidth, framesDecoded: s.framesDecoded, audioPacketsReceived: s.audioPacketsReceived };
    });
  },
};

renderPrejoin();
