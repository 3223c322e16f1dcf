// @ts-check
/**
 * The pre-join screen: name, camera preview, device choices, mute choices; and joining.
 * @module prejoin
 */
import * as P from "./protocol.js";
import { getLocalMedia } from "./media.js";
import { adoptLocalStream, fillDeviceSelects, startMeter } from "./devices.js";
import { avatar, brandbar, field, h } from "./dom.js";
import { show } from "./overlay.js";
import { abilities, config, joinMessage, local, setPhase, signaling, state } from "./session.js";
import { renderDenied, renderEnded, renderLockedOut, renderRejected } from "./screens.js";
import { formatMeetingId, hue, initials } from "./text.js";
import { banners, renderReconnecting, toast } from "./toasts.js";

/** @typedef {import("./session.js").Abilities} Abilities */

/**
 * What the preview shows and what changes it.
 * @typedef {object} PreviewUi
 * @property {HTMLVideoElement} preview
 * @property {HTMLElement} previewNote
 * @property {HTMLSelectElement} cameraSelect
 * @property {HTMLSelectElement} micSelect
 * @property {HTMLElement} level
 * @property {() => void} refreshPreview
 * @property {Abilities} can
 */

/** Settles once the pre-join devices are open (or failed): joining waits for it. */
let previewReady = Promise.resolve();

const joinLabel = () => (config.role === "host" ? "Start meeting" : "Join meeting");

/** Pre-join: name, preview, devices, mute choices. */
export function renderPrejoin() {
  setPhase("prejoin");
  const can = abilities();
  const c = controls();
  const { stage, preview, previewNote, refreshPreview } = previewStage(c, can);
  listen(c, refreshPreview);
  const screen = h(
    "main",
    { class: "screen prejoin", testid: "prejoin" },
    brandbar(),
    h("div", { class: "prejoin-card" }, stage, form(c, can)),
  );
  show(screen);
  refreshPreview();
  const { cameraSelect, micSelect, level } = c;
  previewReady = openPreview({ preview, previewNote, cameraSelect, micSelect, level, refreshPreview, can }).catch(
    () => {},
  );
}

/** The camera preview (or an avatar), with the name typed so far. @param {Controls} c @param {Abilities} can */
function previewStage(c, can) {
  const preview = h("video", {
    testid: "prejoin-preview",
    class: "preview-video mirror",
    ".muted": true,
    ".autoplay": true,
    ".playsInline": true,
    "aria-label": "Camera preview",
  });
  const previewAvatar = avatar(state.name || "?", "preview-avatar");
  const previewNote = h("p", { class: "preview-note" });
  const previewName = h("div", { class: "preview-name" });
  const stage = h(
    "div",
    { class: `preview ${can.av ? "" : "audio-only"}` },
    can.av ? preview : null,
    previewAvatar,
    previewName,
    previewNote,
  );
  const refreshPreview = () => {
    const off = !can.av || c.videoOff.checked || local.stream.getVideoTracks().length === 0;
    stage.classList.toggle("camera-off", off);
    previewAvatar.textContent = initials(c.nameInput.value || "?");
    previewAvatar.style.setProperty("--avatar-hue", String(hue(c.nameInput.value)));
    previewName.textContent = c.nameInput.value;
  };
  return { stage, preview, previewNote, refreshPreview };
}

/** The form's controls. */
function controls() {
  return {
    nameInput: h("input", {
      id: "prejoin-name",
      testid: "prejoin-name",
      type: "text",
      maxlength: "100",
      required: true,
      autocomplete: "name",
      ".value": state.name,
    }),
    level: h("div", { class: "level", "aria-hidden": "true" }, h("div", { class: "level-fill" })),
    cameraSelect: h("select", { id: "camera-select", testid: "camera-select", "aria-label": "Camera" }),
    micSelect: h("select", { id: "mic-select", testid: "mic-select", "aria-label": "Microphone" }),
    audioMuted: h("input", {
      type: "checkbox",
      id: "join-audio-muted",
      testid: "join-audio-muted",
      role: "switch",
      ".checked": state.audioMuted,
    }),
    videoOff: h("input", {
      type: "checkbox",
      id: "join-video-off",
      testid: "join-video-off",
      role: "switch",
      ".checked": state.videoMuted,
    }),
    joinButton: h("button", {
      type: "submit",
      class: "btn btn-primary btn-wide",
      testid: "join-button",
      text: joinLabel(),
    }),
  };
}

/** @typedef {ReturnType<typeof controls>} Controls */

/** The name and mute choices update the preview and the local tracks. @param {Controls} c @param {() => void} refreshPreview */
function listen(c, refreshPreview) {
  c.nameInput.addEventListener("input", refreshPreview);
  c.audioMuted.addEventListener("change", () => {
    state.audioMuted = c.audioMuted.checked;
    local.stream.getAudioTracks().forEach((t) => (t.enabled = !state.audioMuted));
  });
  c.videoOff.addEventListener("change", () => {
    state.videoMuted = c.videoOff.checked;
    local.stream.getVideoTracks().forEach((t) => (t.enabled = !state.videoMuted));
    refreshPreview();
  });
}

/** @param {Controls} c @param {Abilities} can */
function form(c, can) {
  const toggle = (/** @type {string} */ label, /** @type {HTMLElement} */ control) =>
    h("label", { class: "switch", for: control.id }, control, h("span", { text: label }));
  const el = h(
    "form",
    { class: "prejoin-form", novalidate: true },
    h("p", { class: "eyebrow", text: config.role === "host" ? "You are the host" : "Ready to join?" }),
    h("h1", { class: "prejoin-topic", text: config.topic || "Meeting" }),
    h("p", { class: "muted", text: `Meeting ID ${formatMeetingId(config.meetingId)}` }),
    h(
      "label",
      { class: "field", for: "prejoin-name" },
      h("span", { class: "field-label", text: "Your name" }),
      c.nameInput,
    ),
    can.av ? field("Camera", c.cameraSelect, "camera") : null,
    can.audio ? field("Microphone", c.micSelect, "mic") : null,
    can.audio ? c.level : null,
    h(
      "div",
      { class: "switches" },
      can.audio ? toggle("Join with mic muted", c.audioMuted) : null,
      can.av ? toggle("Join with camera off", c.videoOff) : null,
    ),
    c.joinButton,
    can.audio || can.av
      ? null
      : h("p", { class: "muted small", text: "This meeting is set to watch and listen only for you." }),
  );
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    join(c.nameInput, c.joinButton);
  });
  return el;
}

/** Opens the chosen devices for the preview and fills the device lists. @param {PreviewUi} ui */
async function openPreview(ui) {
  const { can } = ui;
  if (!can.av && can.audio) ui.previewNote.textContent = "Audio only: video is off for you in this meeting.";
  if (!can.av && !can.audio) return;
  const { stream, errors } = await getLocalMedia({ audio: can.audio, video: can.av });
  adoptLocalStream(stream);
  ui.preview.srcObject = local.stream;
  if (errors.length > 0) ui.previewNote.textContent = deviceProblem(errors);
  ui.previewNote.classList.toggle("warn", errors.length > 0);
  ui.refreshPreview();
  startMeter(ui.level);
  await fillDeviceSelects(ui.cameraSelect, ui.micSelect);
  ui.cameraSelect.addEventListener("change", (e) =>
    previewSwitch("video", /** @type {HTMLSelectElement} */ (e.target).value, ui),
  );
  ui.micSelect.addEventListener("change", (e) =>
    previewSwitch("audio", /** @type {HTMLSelectElement} */ (e.target).value, ui),
  );
}

/** @param {{kind: string, error: Error}[]} errors */
function deviceProblem(errors) {
  const what = errors.map((e) => (e.kind === "audio" ? "microphone" : "camera")).join(" and ");
  const denied = errors.some((e) => e.error.name === "NotAllowedError");
  return denied ? `Access to your ${what} was blocked. You can still join.` : `No ${what} found. You can still join.`;
}

/** @param {"audio" | "video"} kind @param {string} deviceId @param {PreviewUi} ui */
async function previewSwitch(kind, deviceId, ui) {
  const request =
    kind === "audio"
      ? { audio: true, video: false, audioDeviceId: deviceId }
      : { audio: false, video: true, videoDeviceId: deviceId };
  const { stream, errors } = await getLocalMedia(request);
  if (errors.length > 0)
    return toast(`Could not open that ${kind === "audio" ? "microphone" : "camera"}: ${errors[0].error.message}`);
  const old = kind === "audio" ? local.stream.getAudioTracks() : local.stream.getVideoTracks();
  old.forEach((t) => {
    local.stream.removeTrack(t);
    t.stop();
  });
  stream.getTracks().forEach((t) => local.stream.addTrack(t));
  adoptLocalStream(local.stream);
  ui.preview.srcObject = local.stream;
  state.devices[kind === "audio" ? "microphone" : "camera"] = deviceId;
  if (ui.previewNote.classList.contains("warn")) ui.previewNote.textContent = "";
  ui.previewNote.classList.remove("warn");
  ui.refreshPreview();
  if (kind === "audio") startMeter(ui.level);
}

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
  banners.joining = true;
  button.disabled = true;
  button.textContent = "Joining…";
  await previewReady;
  try {
    await signaling.connect(joinMessage());
  } catch (error) {
    banners.joining = false;
    joinRefused(/** @type {P.SignalingError} */ (error), button);
  }
}

/** @param {P.SignalingError} error @param {HTMLButtonElement} button */
function joinRefused(error, button) {
  if (error.code === P.ErrorCode.LINK_REJECTED) return renderRejected(error.message);
  if (error.code === P.ErrorCode.MEETING_ENDED) return renderEnded("This meeting has ended.");
  if (error.code === P.ErrorCode.MEETING_LOCKED) return renderLockedOut(error.message);
  if (error.code === P.ErrorCode.DENIED) return renderDenied();
  signaling.close();
  banners.socket = false;
  renderReconnecting();
  button.disabled = false;
  button.textContent = joinLabel();
  toast(error.message || "Could not join the meeting");
}
