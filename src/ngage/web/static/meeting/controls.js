// @ts-check
/**
 * What the meeting controls do: mute, camera, screen share, recording, view and full screen.
 * @module controls
 */
import * as P from "./protocol.js";
import { switchDevice } from "./devices.js";
import { toggleHand } from "./hands.js";
import { panels, renderSide, togglePanel } from "./panels.js";
import { abilities, joinMessage, local, media, redraw, root, self, signaling, state } from "./session.js";
import { layout } from "./stage.js";
import { updateTiles } from "./tiles.js";
import { toast } from "./toasts.js";

export async function toggleMic() {
  if (state.audioMuted && !abilities().unmute) {
    toast("The host does not allow participants to unmute themselves");
    return;
  }
  if (state.audioMuted) state.unmuteGranted = false; // the host's request is used up
  if (local.stream.getAudioTracks().length === 0 && state.audioMuted) {
    const opened = await switchDevice("audio", state.devices.microphone);
    if (!opened) return;
  }
  await setMuted("audio", !state.audioMuted);
}

export async function toggleCamera() {
  if (local.stream.getVideoTracks().length === 0 && state.videoMuted) {
    const opened = await switchDevice("video", state.devices.camera);
    if (!opened) return;
  }
  await setMuted("video", !state.videoMuted);
}

/** @param {"audio" | "video"} kind @param {boolean} muted */
export async function setMuted(kind, muted) {
  if (kind === "audio") state.audioMuted = muted;
  else state.videoMuted = muted;
  const me = self();
  if (me)
    state.participants.set(me.participant_id, {
      ...me,
      [kind === "audio" ? "audio_muted" : "video_muted"]: muted,
    });
  signaling.updateJoin(joinMessage());
  redraw.toolbar();
  updateTiles();
  if (panels.participants || panels.audio) renderSide();
  const request = kind === "audio" ? media.setAudioMuted(muted) : media.setVideoMuted(muted);
  await request.catch((/** @type {Error} */ error) => toast(error.message));
}

export async function toggleShare() {
  if (state.sharing) return media.stopScreenShare();
  try {
    await media.startScreenShare();
  } catch (error) {
    const e = /** @type {Error} */ (error);
    if (e.name !== "NotAllowedError" && e.name !== "AbortError") toast(`Screen sharing failed: ${e.message}`);
  }
}

/** Record starts; while recording (or paused), it stops. */
export function toggleRecord() {
  return record(state.recording ? "stop" : "start");
}

export function togglePauseRecording() {
  return record(state.recording === "paused" ? "resume" : "pause");
}

export function stopRecording() {
  return record("stop");
}

let recordPending = false;

/**
 * The new state reaches everyone, this page included, as a `recording` message (events.js),
 * so only a refusal is handled here. Clicks while a request is out are ignored.
 * @param {P.RecordAction} action
 */
async function record(action) {
  if (recordPending) return;
  recordPending = true;
  try {
    await signaling.request(P.record(action));
  } catch (error) {
    toast(/** @type {Error} */ (error).message || "Recording failed");
  } finally {
    recordPending = false;
  }
}

export function toggleView() {
  state.view = state.view === "gallery" ? "speaker" : "gallery";
  layout();
}

export function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else root.requestFullscreen().catch(() => toast("Full screen is not available"));
}

/** Alt+A, Alt+V, and (as in Zoom) Alt+R and Alt+P for recording and Alt+H for chat, while in the meeting. @param {KeyboardEvent} e */
export function shortcut(e) {
  if (state.phase !== "live" || !e.altKey) return;
  const can = abilities();
  if (e.code === "KeyA" && can.audio) toggleMic();
  else if (e.code === "KeyV" && can.av) toggleCamera();
  else if (e.code === "KeyR" && can.record) toggleRecord();
  else if (e.code === "KeyP" && can.record && state.recording) togglePauseRecording();
  else if (e.code === "KeyH" && can.chat) togglePanel("chat");
  else if (e.code === "KeyY") toggleHand();
  else return;
  e.preventDefault();
}
