// @ts-check
/**
 * The live meeting's toolbar (microphone, camera, security, participants, chat, invite, share,
 * record with pause, more, end and leave) and the "you are sharing" notice above the stage.
 * @module toolbar
 */
import { breakoutNotices } from "./breakout.js";
import { captionsButton } from "./captions.js";
import { toggleCamera, toggleMic, togglePauseRecording, toggleRecord, toggleShare } from "./controls.js";
import { showLevel } from "./devices.js";
import { confirmEnd, openInvite, toggleMoreMenu, toggleSecurityMenu } from "./dialogs.js";
import { h, iconButton } from "./dom.js";
import { handButton, reactionsButton } from "./hands.js";
import { icon } from "./icons.js";
import { panels, togglePanel } from "./panels.js";
import { qa } from "./questions.js";
import { leaveMeeting } from "./screens.js";
import { abilities, state } from "./session.js";

/** @typedef {import("./session.js").Abilities} Abilities */

/** @type {{toolbar: HTMLElement, notice: HTMLElement} | null} */
let mounted = null;

/** Takes over a new live screen's toolbar and notice. @param {HTMLElement} toolbar @param {HTMLElement} notice */
export function mountToolbar(toolbar, notice) {
  mounted = { toolbar, notice };
}

export function renderToolbar() {
  if (!mounted) return;
  const can = abilities();
  const left = h(
    "div",
    { class: "toolbar-group" },
    can.audio ? micControls(can) : null,
    can.av ? cameraButton() : null,
  );
  const center = h("div", { class: "toolbar-group toolbar-center" }, ...centerButtons(can));
  const right = h("div", { class: "toolbar-group" }, ...endButtons());
  // Re-rendering must not drop keyboard focus from the control just used.
  const { toolbar, notice } = mounted;
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && toolbar.contains(active) ? active.dataset.testid : undefined;
  toolbar.replaceChildren(left, center, right);
  if (focused) /** @type {HTMLElement | null} */ (toolbar.querySelector(`[data-testid="${focused}"]`))?.focus();
  notice.replaceChildren(...(state.sharing ? [sharingChip()] : []), ...breakoutNotices());
}

/** The microphone button with its level, and the audio panel's caret. @param {Abilities} can */
function micControls(can) {
  const mic = iconButton({
    icon: state.audioMuted ? "micOff" : "mic",
    label: state.audioMuted ? "Unmute microphone (Alt+A)" : "Mute microphone (Alt+A)",
    text: state.audioMuted ? "Unmute" : "Mute",
    testid: "mic-toggle",
    pressed: state.audioMuted,
    class: `tool ${state.audioMuted ? "tool-off" : ""}`,
    onclick: toggleMic,
  });
  mic.append(h("span", { class: "mic-level", "aria-hidden": "true" }));
  showLevel(mic);
  const split = h("div", { class: "split" }, mic);
  if (!can.audioPanelAlwaysOpen)
    split.append(
      iconButton({
        icon: "chevronUp",
        label: "Audio settings",
        testid: "audio-panel-toggle",
        class: "tool tool-caret",
        expanded: panels.audio,
        onclick: () => togglePanel("audio"),
      }),
    );
  return split;
}

function cameraButton() {
  return iconButton({
    icon: state.videoMuted ? "cameraOff" : "camera",
    label: state.videoMuted ? "Start video (Alt+V)" : "Stop video (Alt+V)",
    text: state.videoMuted ? "Start video" : "Stop video",
    testid: "camera-toggle",
    pressed: state.videoMuted,
    class: `tool ${state.videoMuted ? "tool-off" : ""}`,
    onclick: toggleCamera,
  });
}

/** The buttons the role's flags allow, in toolbar order. @param {Abilities} can */
function centerButtons(can) {
  return [
    can.security ? securityButton() : null,
    can.participantsList ? participantsButton() : null,
    can.chat ? chatButton() : null,
    can.invite && state.invite ? inviteButton() : null,
    can.share ? shareButton() : null,
    handButton(),
    reactionsButton(),
    can.captions ? captionsButton() : null,
    can.qa ? qaButton() : null,
    can.polls && state.role === "host" ? pollsButton() : null,
    can.runBreakout ? breakoutButton() : null,
    can.record ? recordControls() : null,
    can.more ? moreButton() : null,
  ];
}

function securityButton() {
  return iconButton({
    icon: "shield",
    label: "Security",
    text: "Security",
    testid: "security-toggle",
    class: "tool",
    haspopup: "dialog",
    expanded: false,
    onclick: (e) => toggleSecurityMenu(/** @type {HTMLElement} */ (e.currentTarget)),
  });
}

function participantsButton() {
  const b = iconButton({
    icon: "people",
    label: "Participants",
    text: "Participants",
    testid: "participants-toggle",
    class: "tool",
    expanded: panels.participants,
    onclick: () => togglePanel("participants"),
  });
  b.append(h("span", { class: "badge", text: String(state.participants.size) }));
  if (state.lobby.length > 0)
    b.append(h("span", { class: "badge badge-alert", testid: "lobby-count", text: String(state.lobby.length) }));
  return b;
}

/** Chat, with the number of messages that came while its panel was closed. */
function chatButton() {
  const unread = panels.chat ? 0 : state.unread;
  const b = iconButton({
    icon: "chat",
    label: unread ? `Chat (Alt+H), ${unread} unread` : "Chat (Alt+H)",
    text: "Chat",
    testid: "chat-toggle",
    class: "tool",
    expanded: panels.chat,
    onclick: () => togglePanel("chat"),
  });
  if (unread > 0)
    b.append(
      h("span", { class: "badge badge-alert", testid: "chat-unread", text: unread > 99 ? "99+" : String(unread) }),
    );
  return b;
}

/** Q&A, with the number of questions asked while its panel was closed. */
function qaButton() {
  const unread = panels.qa ? 0 : qa.unread;
  const b = iconButton({
    icon: "question",
    label: unread ? `Q&A, ${unread} new` : "Q&A",
    text: "Q&A",
    testid: "qa-toggle",
    class: "tool",
    expanded: panels.qa,
    onclick: () => togglePanel("qa"),
  });
  if (unread > 0)
    b.append(
      h("span", { class: "badge badge-alert", testid: "qa-unread", text: unread > 99 ? "99+" : String(unread) }),
    );
  return b;
}

function pollsButton() {
  return iconButton({
    icon: "poll",
    label: "Polls",
    text: "Polls",
    testid: "polls-toggle",
    class: "tool",
    expanded: panels.polls,
    onclick: () => togglePanel("polls"),
  });
}

function breakoutButton() {
  return iconButton({
    icon: "grid",
    label: "Breakout rooms",
    text: "Breakout",
    testid: "breakout-toggle",
    class: "tool",
    expanded: panels.breakout,
    onclick: () => togglePanel("breakout"),
  });
}

function inviteButton() {
  return iconButton({
    icon: "invite",
    label: "Invite",
    text: "Invite",
    testid: "invite-toggle",
    class: "tool",
    haspopup: "dialog",
    onclick: openInvite,
  });
}

function shareButton() {
  return iconButton({
    icon: state.sharing ? "shareStop" : "share",
    label: state.sharing ? "Stop sharing" : "Share screen",
    text: state.sharing ? "Stop share" : "Share",
    testid: "share-toggle",
    pressed: state.sharing,
    class: `tool ${state.sharing ? "tool-active" : ""}`,
    onclick: toggleShare,
  });
}

/** Record; while recording (or paused), Stop recording with Pause or Resume beside it. */
function recordControls() {
  if (!state.recording)
    return iconButton({
      icon: "record",
      label: "Record (Alt+R)",
      text: "Record",
      testid: "record-toggle",
      pressed: false,
      class: "tool",
      onclick: toggleRecord,
    });
  const paused = state.recording === "paused";
  const stop = iconButton({
    icon: "stop",
    label: "Stop recording (Alt+R)",
    text: "Stop recording",
    testid: "record-toggle",
    pressed: true,
    class: `tool tool-wide ${paused ? "tool-rec-paused" : "tool-rec"}`,
    onclick: toggleRecord,
  });
  const pause = iconButton({
    icon: paused ? "play" : "pause",
    label: paused ? "Resume recording (Alt+P)" : "Pause recording (Alt+P)",
    text: paused ? "Resume" : "Pause",
    testid: "record-pause",
    pressed: paused,
    class: "tool tool-compact",
    onclick: togglePauseRecording,
  });
  return h("div", { class: "split" }, stop, pause);
}

function moreButton() {
  return iconButton({
    icon: "more",
    label: "More",
    text: "More",
    testid: "more-toggle",
    class: "tool",
    haspopup: "menu",
    expanded: false,
    onclick: (e) => toggleMoreMenu(/** @type {HTMLElement} */ (e.currentTarget)),
  });
}

/** End for all (hosts only) and leave. */
function endButtons() {
  const endForAll =
    state.role === "host"
      ? h(
          "button",
          {
            type: "button",
            class: "btn btn-danger-outline",
            testid: "end-for-all",
            "aria-label": "End meeting for all",
            title: "End meeting for all",
            onclick: confirmEnd,
          },
          h("span", { text: "End for all" }),
        )
      : null;
  const leave = iconButton({
    icon: "leave",
    label: "Leave meeting",
    text: "Leave",
    testid: "leave",
    class: "btn-danger",
    onclick: leaveMeeting,
  });
  return [endForAll, leave];
}

function sharingChip() {
  return h(
    "div",
    { class: "sharing-chip" },
    icon("share"),
    h("span", { text: "You are sharing your screen" }),
    h("button", {
      type: "button",
      class: "btn btn-danger btn-small",
      text: "Stop sharing",
      onclick: toggleShare,
    }),
  );
}
