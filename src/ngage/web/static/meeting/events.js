// @ts-check
/**
 * What the page does with each server message and each media event: update the state, then
 * redraw what shows it. meeting.js subscribes these.
 * @module events
 */
import * as P from "./protocol.js";
import { roomName } from "./breakout.js";
import { addCaption, setCaptioner } from "./captions.js";
import { addChat, isMine, renderChat, renderRecipients } from "./chat.js";
import { setMuted, toggleMic } from "./controls.js";
import { showReaction } from "./hands.js";
import { enterLive, renderLockBadge, renderRecording } from "./live.js";
import { unmutePrompt } from "./moderation.js";
import { panels, renderSide } from "./panels.js";
import { pollVoted, setPolls, updatePoll, updateResults } from "./polls.js";
import { setQuestions, updateQuestion } from "./questions.js";
import { renderDenied, renderEnded, renderLockedOut, renderRejected, renderRemoved, renderWaiting } from "./screens.js";
import { applySecurity, setLobby } from "./security.js";
import { abilities, config, isAudioMuted, isVideoMuted, local, media, self, state } from "./session.js";
import { tiles } from "./stage.js";
import { recordingNotice, sentence } from "./text.js";
import { syncTiles, updateTiles } from "./tiles.js";
import { banners, renderReconnecting, toast } from "./toasts.js";
import { renderToolbar } from "./toolbar.js";

/** @typedef {import("./protocol.js").Participant} Participant */
/** @typedef {import("./protocol.js").Feed} Feed */
/** @typedef {import("./protocol.js").ServerMessage} ServerMessage */
/** @typedef {import("./protocol.js").Recording} Recording */
/** @typedef {import("./protocol.js").ChatMessage} ChatMessage */

/** @param {ServerMessage} m */
export function onJoined(m) {
  banners.joining = false;
  banners.socket = false;
  renderReconnecting();
  state.selfId = /** @type {string} */ (m.participant_id);
  state.role = /** @type {import("./protocol.js").Role} */ (m.role);
  state.name = /** @type {string} */ (m.name);
  state.meeting = /** @type {import("./protocol.js").MeetingInfo} */ (m.meeting);
  state.flags = { ...config.flags, ...m.flags };
  state.invite = m.invite ?? null;
  state.callout = m.callout ?? null;
  state.joinedAt ||= Date.now();
  state.participants = new Map((m.participants ?? []).map((p) => [p.participant_id, p]));
  state.feeds = new Map((m.feeds ?? []).map((f) => [f.feed, f]));
  state.speaking.clear();
  state.audioMuted = isAudioMuted();
  state.videoMuted = isVideoMuted();
  const me = {
    participant_id: state.selfId,
    name: state.name,
    role: state.role,
    audio_muted: state.audioMuted,
    video_muted: state.videoMuted,
    hand_raised: m.self?.hand_raised === true,
    room: m.self?.room ?? 0,
  };
  state.participants.set(me.participant_id, me);
  applySecurity(m.security ?? {});
  state.lobby = m.lobby ?? [];
  state.room = me.room;
  state.roomName = roomName(me.room);
  joinedBreakout(m.breakout ?? { status: "none", rooms: [] });
  setQuestions(m.questions ?? []);
  setPolls(m.polls ?? []);
  if (m.captioner) setCaptioner(m.captioner.participant_id, m.captioner.name);
  joinedChat(m.chat ?? []);
  joinedRecording(m.recording ?? null);
  attachMedia(m);
  const waiting = m.waiting ?? (state.role === "participant" && state.meeting.status === "created");
  if (waiting) return renderWaiting("");
  enterLive();
}

/** Hands the joined session to the media connection. @param {ServerMessage} m */
function attachMedia(m) {
  const can = abilities();
  media.capabilities = { audio: can.audio, video: can.av, screen: can.share };
  media.audioMuted = state.audioMuted;
  media.videoMuted = state.videoMuted;
  media.attach(m);
  media.setLocalStream(local.stream);
}

/**
 * The chat so far. On a first join it is history, already read; after a reconnect, what
 * came while the page was away counts as unread. @param {ChatMessage[]} history
 */
function joinedChat(history) {
  const again = state.myIds.size > 0;
  state.myIds.add(state.selfId);
  const fresh = addChat(history);
  if (again) return chatArrived(fresh);
  renderChat();
  renderRecipients();
}

/** A chat message to everyone, or privately to or from this participant. @param {ServerMessage} m */
export function onChat(m) {
  chatArrived(addChat([/** @type {ChatMessage} */ (m.message)]));
}

/** @param {ChatMessage[]} fresh */
function chatArrived(fresh) {
  const unread = panels.chat ? 0 : fresh.filter((c) => !isMine(c)).length;
  state.unread += unread;
  if (fresh.length) renderChat();
  if (unread && state.phase === "live") renderToolbar();
}

/** Someone reacted (this page too): float it over their tile. @param {ServerMessage} m */
export function onReaction(m) {
  showReaction(/** @type {string} */ (m.participant_id), /** @type {string} */ (m.emoji));
}

/** A closed caption (never sent to a role without captions). @param {ServerMessage} m */
export function onCaption(m) {
  addCaption({
    participant_id: /** @type {string} */ (m.participant_id),
    name: /** @type {string} */ (m.name),
    text: /** @type {string} */ (m.text),
    at: /** @type {number} */ (m.at),
  });
}

/** Who types captions now. @param {ServerMessage} m */
export function onCaptioner(m) {
  setCaptioner(m.participant_id ?? null, m.name ?? null);
  if (panels.participants) renderSide();
}

/** A question was asked, voted, answered or dismissed. @param {ServerMessage} m */
export function onQuestion(m) {
  updateQuestion(/** @type {P.Question} */ (m.question), m.re !== undefined);
}

/** A poll was drafted (the host's own), launched or ended. @param {ServerMessage} m */
export function onPoll(m) {
  updatePoll(/** @type {P.Poll} */ (m.poll));
}

/** @param {ServerMessage} m */
export function onPollVoted(m) {
  pollVoted(/** @type {string} */ (m.poll_id));
}

/** @param {ServerMessage} m */
export function onPollResults(m) {
  updateResults(/** @type {P.PollResults} */ (m.results), m.shared === true);
}

/** The host changed the meeting's security (lock, waiting room, permissions). @param {ServerMessage} m */
export function onSecurity(m) {
  for (const note of applySecurity(m)) toast(note, "info");
  if (state.phase !== "live") return;
  renderLockBadge();
  renderToolbar();
  renderRecipients();
  if (panels.participants) renderSide();
}

/** Who waits in the waiting room (only those who can admit get this). @param {ServerMessage} m */
export function onLobby(m) {
  setLobby(m.guests ?? []);
  if (state.phase !== "live") return;
  renderToolbar();
  if (panels.participants) renderSide();
}

/** This page waits in the waiting room until a host lets it in. @param {ServerMessage} m */
export function onWaitingRoom(m) {
  banners.joining = false;
  renderWaiting(/** @type {string} */ (m.message), "You will join as soon as the host lets you in.");
}

/** The host no longer lets participants share: the server stopped this page's share. @param {ServerMessage} m */
export function onShareStopped(m) {
  if (state.sharing) media.stopScreenShare();
  toast(sentence(/** @type {string} */ (m.message || "The host stopped your screen share")), "info");
}

/** The host removed this participant; the server closes the socket (4409). @param {ServerMessage} m */
export function onRemoved(m) {
  renderRemoved(/** @type {string} */ (m.by ?? ""));
}

/** The host blocked this participant's microphone or camera: show it off. @param {ServerMessage} m */
export function onMutedByHost(m) {
  const kind = m.medium === "video" ? "video" : "audio";
  const already = kind === "audio" ? state.audioMuted : state.videoMuted;
  if (!already) setMuted(kind, true);
  const by = /** @type {string} */ (m.by || "The host");
  toast(kind === "audio" ? `${by} muted you` : `${by} stopped your video`, "info");
}

/** The host asks this participant to unmute: ask, never unmute silently. @param {ServerMessage} m */
export function onUnmuteRequest(m) {
  if (!abilities().audio || !state.audioMuted) return;
  state.unmuteGranted = true;
  unmutePrompt(/** @type {string} */ (m.by ?? ""), () => {
    if (state.audioMuted) toggleMic();
  });
}

/** @param {P.BreakoutState} breakout */
function joinedBreakout(breakout) {
  state.breakout = breakout;
  if (breakout.status !== "closing") stopCountdown();
}

/** The host created, assigned, opened or closed breakout rooms. @param {ServerMessage} m */
export function onBreakout(m) {
  joinedBreakout(/** @type {P.BreakoutState} */ (m.breakout));
  refreshPeople();
}

/** This page moved to another room (media.js publishes and watches there). @param {ServerMessage} m */
export function onRoomChanged(m) {
  const room = /** @type {number} */ (m.room);
  const moved = room !== state.room;
  state.room = room;
  state.roomName = /** @type {string} */ (m.name);
  state.feeds = new Map((m.feeds ?? []).map((f) => [f.feed, f]));
  const me = self();
  if (me) state.participants.set(me.participant_id, { ...me, room });
  if (moved) toast(room ? `You are in ${state.roomName}` : "You are back in the main room", "info");
  if (m.chat) roomChat(m.chat);
  refreshPeople();
}

/** Each room has its own chat: the new room's replaces the old one's, as already read. @param {ChatMessage[]} history */
function roomChat(history) {
  state.chat = [];
  state.unread = 0;
  addChat(history);
  renderChat();
  renderToolbar();
}

/** The host's message to every breakout room. @param {ServerMessage} m */
export function onBreakoutBroadcast(m) {
  toast(`${m.name} to everyone: ${m.text}`, "info");
}

/** @type {ReturnType<typeof setInterval> | null} */
let countdown = null;

/** The host closes the rooms: count down until the server brings everyone back. @param {ServerMessage} m */
export function onBreakoutClosing(m) {
  stopCountdown();
  state.closingIn = /** @type {number} */ (m.seconds);
  countdown = setInterval(() => {
    state.closingIn = Math.max(0, (state.closingIn ?? 0) - 1);
    refreshPeople();
  }, 1000);
  refreshPeople();
}

function stopCountdown() {
  if (countdown !== null) clearInterval(countdown);
  countdown = null;
  state.closingIn = null;
}

/** Someone who arrives (or comes back) while the meeting is recorded is told so. @param {Recording | null} now */
function joinedRecording(now) {
  const before = state.recording;
  state.recording = now;
  if (now && !before)
    toast(now === "paused" ? "This meeting's recording is paused" : "This meeting is being recorded", "info");
  else if (!now && before) toast("Recording stopped", "info");
}

/** @param {ServerMessage} m */
export function onWaiting(m) {
  media.standby();
  renderWaiting(/** @type {string} */ (m.message));
}

/** @param {ServerMessage} m */
export function onMeetingStarted(m) {
  state.meeting = { ...state.meeting, ...m.meeting };
  if (state.phase === "waiting") enterLive();
}

/** @param {ServerMessage} m */
export function onParticipant(m) {
  const p = /** @type {Participant} */ (m.participant);
  if (p.participant_id === state.selfId) {
    state.name = p.name; // a host may have renamed this participant
    const mine = /** @type {Participant} */ (self());
    state.participants.set(p.participant_id, {
      ...p,
      audio_muted: mine?.audio_muted ?? p.audio_muted,
      video_muted: mine?.video_muted ?? p.video_muted,
    });
  } else {
    state.participants.set(p.participant_id, p);
  }
  refreshPeople();
}

/** @param {ServerMessage} m */
export function onParticipantLeft(m) {
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
  renderRecipients();
  if (panels.participants || panels.breakout) renderSide();
}

/** @param {ServerMessage} m */
export function onFeedAdded(m) {
  const feed = /** @type {Feed} */ (m.feed);
  state.feeds.set(feed.feed, feed);
  syncTiles();
}

/** @param {ServerMessage} m */
export function onFeedRemoved(m) {
  state.feeds.delete(/** @type {number} */ (m.feed));
  syncTiles();
}

/** @param {ServerMessage} m */
export function onSpeaking(m) {
  const id = /** @type {string} */ (m.participant_id);
  if (m.speaking) {
    state.speaking.add(id);
    if (id !== state.selfId) state.activeSpeaker = id;
  } else {
    state.speaking.delete(id);
  }
  updateTiles();
}

/** The cloud recording started, paused, resumed or stopped. @param {ServerMessage} m */
export function onRecording(m) {
  const now = m.state === "stopped" ? null : /** @type {Recording} */ (m.state);
  // The copy that answers this page's own `record` carries `re`.
  const who = m.re === undefined ? /** @type {string} */ (m.by) : "You";
  const notice = recordingNotice(state.recording, now, who);
  state.recording = now;
  if (notice) toast(notice, "info");
  if (state.phase !== "live") return;
  renderRecording();
  renderToolbar();
}

/** @param {ServerMessage} m */
export function onEnded(m) {
  if (state.phase === "ended" || state.phase === "rejected") return;
  if (state.endedByMe) return renderEnded("You ended the meeting for everyone");
  renderEnded(m.reason === "idle" ? "The meeting ended because nobody was in it" : "The host ended the meeting");
}

/** Errors that answer no request of ours. @param {ServerMessage} m */
export function onError(m) {
  const code = m.code;
  if (code === P.ErrorCode.LINK_REJECTED) return renderRejected(/** @type {string} */ (m.message));
  if (code === P.ErrorCode.MEETING_ENDED) return onEnded({ type: "meeting-ended", reason: "host-ended" });
  if (code === P.ErrorCode.MEDIA_UNAVAILABLE) {
    banners.media = true;
    renderReconnecting();
  }
  toast(/** @type {string} */ (m.message) || "Something went wrong");
}

/** @param {{code: number, final: boolean}} event */
export function onClose(event) {
  if (state.phase === "ended" || state.phase === "rejected") return;
  if (event.code === P.CloseCode.LINK_REJECTED) return renderRejected("");
  if (event.code === P.CloseCode.MEETING_ENDED) return onEnded({ type: "meeting-ended", reason: "host-ended" });
  if (event.code === P.KEPT_OUT_CLOSE.REMOVED) return renderRemoved("");
  if (event.code === P.KEPT_OUT_CLOSE.MEETING_LOCKED) return renderLockedOut();
  if (event.code === P.KEPT_OUT_CLOSE.DENIED) return renderDenied();
  if (!event.final) {
    banners.socket = true;
    renderReconnecting();
  }
}

export function onReconnecting() {
  banners.socket = true;
  renderReconnecting();
}

/** @param {P.SignalingError} error */
export function onRejoinFailed(error) {
  if (error.code === P.ErrorCode.MEETING_LOCKED) return renderLockedOut(error.message);
  if (error.code === P.ErrorCode.DENIED) return renderDenied();
  toast(error.message);
}

export function onMediaRestart() {
  banners.media = true;
  state.feeds.clear();
  renderReconnecting();
  syncTiles();
}

// ---------------------------------------------------------------------------------------------
// Media events

/** @param {{stream: MediaStream}} event */
export function onLocalStream({ stream }) {
  local.stream = stream;
  const tile = tiles.get(`camera:${state.selfId}`);
  if (tile) tile.video.srcObject = null;
  syncTiles();
}

/** @param {{kind: "camera" | "screen", feed: number}} event */
export function onPublished({ kind, feed }) {
  state.feeds.set(feed, { feed, participant_id: state.selfId, kind });
  if (kind === "camera") {
    banners.media = false;
    renderReconnecting();
  }
}

/** @param {{kind: "camera" | "screen", error: Error}} event */
export function onPublishFailed({ kind, error }) {
  toast(`Could not send your ${kind === "screen" ? "screen" : "camera and microphone"}: ${error.message}`);
  if (kind === "screen") media.stopScreenShare();
}

/** @param {{feed: Feed, error: P.SignalingError}} event */
export function onWatchFailed({ feed, error }) {
  if (error.code !== P.ErrorCode.NOT_FOUND && error.code !== P.ErrorCode.DISCONNECTED)
    toast(`Could not receive a video: ${error.message}`);
  state.feeds.delete(feed.feed);
}

export function onMediaRestarted() {
  if (media.publishers.size > 0 || !media.cameraStream().getTracks().length) banners.media = false;
  renderReconnecting();
}

export function onScreenStarted() {
  state.sharing = true;
  renderToolbar();
  syncTiles();
}

export function onScreenEnded() {
  state.sharing = false;
  for (const [feedId, feed] of state.feeds)
    if (feed.participant_id === state.selfId && feed.kind === "screen") state.feeds.delete(feedId);
  renderToolbar();
  syncTiles();
}
