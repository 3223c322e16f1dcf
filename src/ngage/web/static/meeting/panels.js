// @ts-check
/**
 * The side panels of the live meeting: participants, chat, and audio (microphone, level, speaker).
 * @module panels
 */
import { chatBody, chatOpened, renderRecipients } from "./chat.js";
import { fillDeviceSelects, showLevel, switchDevice } from "./devices.js";
import { avatar, field, h, iconButton } from "./dom.js";
import { icon } from "./icons.js";
import { abilities, everyone, redraw, state } from "./session.js";
import { layout } from "./stage.js";
import { setSpeaker } from "./tiles.js";

/** Which panels are open. */
export const panels = { participants: false, audio: false, chat: false };

/** @type {{side: HTMLElement, frame: HTMLElement} | null} */
let mounted = null;
/** The chat panel is built once and kept, so a draft and focus in it survive redraws. @type {HTMLElement | null} */
let chatFrame = null;

/**
 * Takes over a new live screen's side column. The audio panel starts open when pinned.
 * @param {HTMLElement} side @param {HTMLElement} frame the meeting screen (marked `with-side`)
 */
export function mountSide(side, frame) {
  const can = abilities();
  panels.audio = can.audio && (can.audioPanelAlwaysOpen || panels.audio);
  mounted = { side, frame };
}

/** @param {"participants" | "audio" | "chat"} name */
export function togglePanel(name) {
  if (name === "audio" && abilities().audioPanelAlwaysOpen) return;
  panels[name] = !panels[name];
  // Opening the chat reads what came while it was closed.
  if (name === "chat" && panels.chat) state.unread = 0;
  renderSide();
  redraw.toolbar();
  if (name === "chat" && panels.chat) chatOpened();
}

export function renderSide() {
  if (!mounted) return;
  const { side, frame } = mounted;
  const can = abilities();
  const rebuilt = [];
  if (panels.audio && can.audio) rebuilt.push(audioPanel(can.audioPanelAlwaysOpen));
  if (panels.participants && can.participantsList) rebuilt.push(participantsPanel());
  const chat = panels.chat && can.chat ? chatPanel() : null;
  // Moving a node drops the focus inside it: the chat panel stays where it is, last.
  for (const el of [...side.children]) if (el !== chat) el.remove();
  if (chat && chat.parentElement !== side) side.append(chat);
  side.prepend(...rebuilt);
  frame.classList.toggle("with-side", side.children.length > 0);
  requestAnimationFrame(layout);
}

function chatPanel() {
  chatFrame ??= panel("Chat", "chat-panel", chatBody(), () => togglePanel("chat"));
  renderRecipients();
  return chatFrame;
}

/** @param {string} title @param {string} testid @param {Node[]} body @param {(() => void) | null} onClose */
function panel(title, testid, body, onClose) {
  return h(
    "aside",
    { class: "panel", testid, "aria-label": title },
    h(
      "header",
      { class: "panel-head" },
      h("h2", { text: title }),
      onClose
        ? iconButton({
            icon: "close",
            label: `Close ${title.toLowerCase()}`,
            class: "btn-ghost btn-small",
            onclick: onClose,
          })
        : null,
    ),
    h("div", { class: "panel-body" }, ...body),
  );
}

function participantsPanel() {
  const list = h("ul", { class: "people", role: "list" });
  for (const p of everyone()) list.append(person(p));
  return panel(`Participants (${state.participants.size})`, "participants-panel", [list], () =>
    togglePanel("participants"),
  );
}

/** @param {import("./protocol.js").Participant} p */
function person(p) {
  const me = p.participant_id === state.selfId;
  return h(
    "li",
    {
      class: "person",
      "data-participant-id": p.participant_id,
      "data-audio-muted": String(p.audio_muted),
    },
    avatar(p.name, "small"),
    h(
      "span",
      { class: "person-name" },
      h("span", { class: "person-label", text: p.name }),
      me ? h("span", { class: "muted", text: "(you)" }) : null,
      p.role === "host" ? h("span", { class: "tag", text: "Host" }) : null,
    ),
    h(
      "span",
      {
        class: `state-icon ${p.audio_muted ? "off" : ""}`,
        role: "img",
        "aria-label": p.audio_muted ? "Microphone muted" : "Microphone on",
      },
      icon(p.audio_muted ? "micOff" : "mic"),
    ),
    h(
      "span",
      {
        class: `state-icon ${p.video_muted ? "off" : ""}`,
        role: "img",
        "aria-label": p.video_muted ? "Camera off" : "Camera on",
      },
      icon(p.video_muted ? "cameraOff" : "camera"),
    ),
  );
}

/** @param {boolean} pinned */
function audioPanel(pinned) {
  const micSelect = h("select", { id: "audio-mic-select", "aria-label": "Microphone" });
  const speakerSelect = h("select", { id: "audio-speaker-select", "aria-label": "Speaker" });
  const level = h(
    "div",
    { class: "level", role: "meter", "aria-label": "Microphone level", "aria-valuemin": "0", "aria-valuemax": "100" },
    h("div", { class: "level-fill" }),
  );
  showLevel(level);
  micSelect.addEventListener("change", () => switchDevice("audio", micSelect.value));
  speakerSelect.addEventListener("change", () => setSpeaker(speakerSelect.value));
  const canPickSpeaker = "setSinkId" in HTMLMediaElement.prototype;
  fillDeviceSelects(null, micSelect, canPickSpeaker ? speakerSelect : null);
  const body = [
    field("Microphone", micSelect, "mic"),
    level,
    h("p", {
      class: "muted small",
      text: state.audioMuted ? "You are muted." : "Speak to test your microphone.",
    }),
    canPickSpeaker ? field("Speaker", speakerSelect, "volume") : null,
  ].filter((x) => x !== null);
  return panel("Audio", "audio-panel", /** @type {Node[]} */ (body), pinned ? null : () => togglePanel("audio"));
}
