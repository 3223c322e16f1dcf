// @ts-check
/**
 * The side panels of the live meeting: participants, chat, and audio (microphone, level, speaker).
 * @module panels
 */
import { breakoutPanelBody, roomName } from "./breakout.js";
import { captionerButton, captionerSelfButton } from "./captions.js";
import { chatBody, chatOpened, renderRecipients } from "./chat.js";
import { fillDeviceSelects, showLevel, switchDevice } from "./devices.js";
import { avatar, field, h, iconButton } from "./dom.js";
import { icon } from "./icons.js";
import { muteAllButton, personControls } from "./moderation.js";
import { lobbySection } from "./security.js";
import { pollPanelBody, renderPollList } from "./pollpanel.js";
import { focusQuestions, questionsBody, questionsOpened, renderQuestions } from "./questions.js";
import { abilities, everyone, redraw, state } from "./session.js";
import { layout } from "./stage.js";
import { setSpeaker } from "./tiles.js";

/** Which panels are open. */
export const panels = { participants: false, audio: false, chat: false, qa: false, polls: false, breakout: false };

/** @type {{side: HTMLElement, frame: HTMLElement} | null} */
let mounted = null;
/** The chat, Q&A and polls panels are built once and kept, so drafts and focus in them survive redraws. */
/** @type {Record<"chat" | "qa" | "polls", HTMLElement | null>} */
const kept = { chat: null, qa: null, polls: null };

/**
 * Takes over a new live screen's side column. The audio panel starts open when pinned.
 * @param {HTMLElement} side @param {HTMLElement} frame the meeting screen (marked `with-side`)
 */
export function mountSide(side, frame) {
  const can = abilities();
  panels.audio = can.audio && (can.audioPanelAlwaysOpen || panels.audio);
  mounted = { side, frame };
}

/** @param {keyof typeof panels} name */
export function togglePanel(name) {
  if (name === "audio" && abilities().audioPanelAlwaysOpen) return;
  panels[name] = !panels[name];
  // Opening the chat reads what came while it was closed.
  if (name === "chat" && panels.chat) state.unread = 0;
  if (name === "qa") questionsOpened(panels.qa);
  renderSide();
  redraw.toolbar();
  if (name === "chat" && panels.chat) chatOpened();
  if (name === "qa" && panels.qa) focusQuestions();
}

export function renderSide() {
  if (!mounted) return;
  const { side, frame } = mounted;
  const can = abilities();
  const rebuilt = [];
  if (panels.audio && can.audio) rebuilt.push(audioPanel(can.audioPanelAlwaysOpen));
  if (panels.participants && can.participantsList) rebuilt.push(participantsPanel());
  if (panels.breakout && can.runBreakout)
    rebuilt.push(panel("Breakout rooms", "breakout-panel", breakoutPanelBody(), () => togglePanel("breakout")));
  const stay = [
    panels.chat && can.chat ? chatPanel() : null,
    panels.qa && can.qa ? qaPanel() : null,
    panels.polls && can.polls && state.role === "host" ? pollsPanel() : null,
  ].filter((el) => el !== null);
  // Moving a node drops the focus inside it: the chat, Q&A and polls panels stay where they are, last.
  for (const el of [...side.children]) if (!stay.includes(/** @type {HTMLElement} */ (el))) el.remove();
  for (const el of stay) if (el.parentElement !== side) side.append(el);
  side.prepend(...rebuilt);
  frame.classList.toggle("with-side", side.children.length > 0);
  requestAnimationFrame(layout);
}

function chatPanel() {
  kept.chat ??= panel("Chat", "chat-panel", chatBody(), () => togglePanel("chat"));
  renderRecipients();
  return kept.chat;
}

function qaPanel() {
  kept.qa ??= panel("Q&A", "qa-panel", questionsBody(), () => togglePanel("qa"));
  renderQuestions();
  return kept.qa;
}

function pollsPanel() {
  kept.polls ??= panel("Polls", "polls-panel", pollPanelBody(), () => togglePanel("polls"));
  renderPollList();
  return kept.polls;
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
  const actions = [muteAllButton(), captionerSelfButton()].filter((b) => b !== null);
  const lobby = lobbySection();
  const top = [
    ...(lobby ? [lobby] : []),
    ...(actions.length ? [h("div", { class: "people-actions" }, ...actions)] : []),
  ];
  return panel(`Participants (${state.participants.size})`, "participants-panel", [...top, list], () =>
    togglePanel("participants"),
  );
}

/** @param {import("./protocol.js").Participant} p */
function person(p) {
  const controls = [...personControls(p), captionerButton(p)].filter((b) => b !== null);
  return h(
    "li",
    {
      class: "person",
      "data-participant-id": p.participant_id,
      "data-audio-muted": String(p.audio_muted),
      "data-hand-raised": String(p.hand_raised === true),
      "data-room": String(p.room ?? 0),
    },
    avatar(p.name, "small"),
    personName(p),
    p.hand_raised ? badge("person-hand", "person-hand", "Hand raised", "hand") : null,
    stateIcon(p.audio_muted, p.audio_muted ? "Microphone muted" : "Microphone on", p.audio_muted ? "micOff" : "mic"),
    stateIcon(p.video_muted, p.video_muted ? "Camera off" : "Camera on", p.video_muted ? "cameraOff" : "camera"),
    controls.length ? h("span", { class: "person-controls" }, ...controls) : null,
  );
}

/** The name, with what this person is: you, host, co-host, phone, their breakout room. @param {import("./protocol.js").Participant} p */
function personName(p) {
  return h(
    "span",
    { class: "person-name" },
    h("span", { class: "person-label", text: p.name }),
    p.participant_id === state.selfId ? h("span", { class: "muted", text: "(you)" }) : null,
    p.role === "host" ? h("span", { class: "tag", text: "Host" }) : null,
    p.cohost ? h("span", { class: "tag", testid: "cohost-tag", text: "Co-host" }) : null,
    p.role === "phone" ? h("span", { class: "tag", testid: "phone-tag", text: "Phone" }) : null,
    p.room ? h("span", { class: "tag", testid: "person-room", text: roomName(p.room) }) : null,
  );
}

/** @param {string} cls @param {string} testid @param {string} label @param {import("./icons.js").IconName} name */
function badge(cls, testid, label, name) {
  return h("span", { class: cls, testid, role: "img", "aria-label": label, title: label }, icon(name));
}

/** @param {boolean} off @param {string} label @param {import("./icons.js").IconName} name */
function stateIcon(off, label, name) {
  return h("span", { class: `state-icon ${off ? "off" : ""}`, role: "img", "aria-label": label }, icon(name));
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
