// @ts-check
/**
 * The local camera and microphone: adopting and switching devices, the device lists, and the
 * microphone level meter (which also lights this participant's speaking ring).
 * @module devices
 */
import { LevelMeter, listDevices } from "./media.js";
import { h } from "./dom.js";
import { abilities, local, media, state } from "./session.js";
import { syncTiles, updateTiles } from "./tiles.js";
import { toast } from "./toasts.js";

/** @type {LevelMeter | null} */
let meter = null;
/** Elements that show the microphone level (as `--level`, and `aria-valuenow` on meters). */
/** @type {Set<HTMLElement>} */
const meterTargets = new Set();
let speakingUntil = 0;

/** Makes `stream` the local stream, its tracks on or off as the mute choices say. @param {MediaStream} stream */
export function adoptLocalStream(stream) {
  local.stream = stream;
  local.stream.getAudioTracks().forEach((t) => (t.enabled = !state.audioMuted));
  local.stream.getVideoTracks().forEach((t) => (t.enabled = !state.videoMuted));
}

/** In the meeting: switches the sent camera or microphone. @param {"audio" | "video"} kind @param {string} deviceId */
export async function switchDevice(kind, deviceId) {
  try {
    await (kind === "audio" ? media.switchMicrophone(deviceId) : media.switchCamera(deviceId));
  } catch (error) {
    toast(`Could not open that ${kind === "audio" ? "microphone" : "camera"}: ${/** @type {Error} */ (error).message}`);
    return false;
  }
  local.stream = media.localStream;
  state.devices[kind === "audio" ? "microphone" : "camera"] = deviceId;
  if (kind === "audio") startMeter(null);
  syncTiles();
  return true;
}

/**
 * Fills camera and microphone selects (labels exist once access was granted).
 * @param {HTMLSelectElement | null} cameraSelect
 * @param {HTMLSelectElement | null} micSelect
 * @param {HTMLSelectElement | null} [speakerSelect]
 */
export async function fillDeviceSelects(cameraSelect, micSelect, speakerSelect = null) {
  const devices = await listDevices().catch(() => ({ cameras: [], microphones: [], speakers: [] }));
  const current = {
    video: local.stream.getVideoTracks()[0]?.getSettings().deviceId ?? state.devices.camera,
    audio: local.stream.getAudioTracks()[0]?.getSettings().deviceId ?? state.devices.microphone,
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
  const options = devices.map((d, i) =>
    h("option", {
      value: d.deviceId,
      text: d.label || `${fallback} ${i + 1}`,
      ".selected": d.deviceId === selected,
    }),
  );
  select.replaceChildren(
    ...(options.length ? options : [h("option", { value: "", text: `No ${fallback.toLowerCase()} found` })]),
  );
  select.toggleAttribute("disabled", options.length === 0);
}

/** Keeps a level meter running for the local microphone. @param {HTMLElement | null} levelEl */
export function startMeter(levelEl) {
  stopMeter();
  const track = local.stream.getAudioTracks()[0];
  if (!track || !abilities().audio) return;
  try {
    meter = new LevelMeter(track);
  } catch {
    return;
  }
  if (levelEl) meterTargets.add(levelEl);
}

export function stopMeter() {
  meter?.close();
  meter = null;
}

/** Shows the microphone level on `el` for as long as it stays in the document. @param {HTMLElement} el */
export function showLevel(el) {
  meterTargets.add(el);
}

/** Ten times a second: meters, and the local speaking ring when the server is quiet. */
export function meterTick() {
  const level = meter && !state.audioMuted ? meter.level() : 0;
  for (const el of meterTargets) {
    if (!el.isConnected) meterTargets.delete(el);
    else {
      el.style.setProperty("--level", level.toFixed(3));
      if (el.getAttribute("role") === "meter") el.setAttribute("aria-valuenow", String(Math.round(level * 100)));
    }
  }
  const now = Date.now();
  if (level > 0.12) speakingUntil = now + 700;
  const speaking = now < speakingUntil;
  if (speaking !== state.localSpeaking) {
    state.localSpeaking = speaking;
    if (state.phase === "live") updateTiles();
  }
}
