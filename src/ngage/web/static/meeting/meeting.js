// @ts-check
/**
 * The meeting page: pre-join, waiting room, the live meeting and its end. This module wires
 * the session's signaling and media events to the UI modules, starts the page's timers and
 * keyboard handling, and exposes `window.ngageMeeting` for tests. The wire protocol lives in
 * protocol.js and WebRTC in media.js.
 *
 * Modules, each importing only from those listed below it:
 *   events.js    server and media events: update the state, redraw what shows it
 *   prejoin.js   the pre-join screen, and joining
 *   live.js      the live meeting's frame, clock and recording badge
 *   toolbar.js   the toolbar and the "you are sharing" notice
 *   dialogs.js   security and more menus; invite, end-for-all and device settings dialogs
 *   controls.js  mute, camera, screen share, recording, view, full screen, shortcuts
 *   panels.js    the participants, chat, Q&A, polls and audio panels
 *   chat.js      the chat: messages seen, the list, who to send to, the composer
 *   questions.js Q&A: the questions seen, the ask box, the list by votes, the host's answers
 *   pollpanel.js the host's polls panel: the draft form, launch, end, share, live results
 *   polls.js     polls seen and their results, the participant's poll card, shared results
 *   breakout.js  breakout rooms: the host's panel, where you are, the way back, the countdown
 *   moderation.js host controls (mute, stop video, ask to unmute, lock, remove), the unmute prompt
 *   captions.js  closed captions: the CC button, the overlay, the input, who types
 *   screens.js   waiting, ended and rejected screens; leaving
 *   devices.js   local camera and microphone, device lists, the level meter
 *   tiles.js     the video tiles and what each shows
 *   hands.js     raised hands and reactions: buttons, the picker, what tiles show
 *   stage.js     where tiles go: gallery grid, or main tile and strip (share, pin, speaker)
 *   toasts.js    toasts and the reconnecting banner
 *   overlay.js   showing a screen, popovers, modal dialogs
 *   session.js   configuration, state, the signaling and media connections (no DOM rendering)
 *   dom.js, icons.js, text.js   element helpers, inline SVG icons, text formatting
 * @module meeting
 */
import { onCallOut } from "./callout.js";
import { captionsSnapshot } from "./captions.js";
import { chatSnapshot } from "./chat.js";
import { shortcut } from "./controls.js";
import { meterTick } from "./devices.js";
import * as on from "./events.js";
import { tickClock } from "./live.js";
import { closePopoverOutside, escapePopover } from "./overlay.js";
import { pollsSnapshot } from "./polls.js";
import { renderPrejoin } from "./prejoin.js";
import { questionsSnapshot } from "./questions.js";
import { everyone, media, redraw, self, signaling, state } from "./session.js";
import { tiles } from "./stage.js";
import { syncTiles } from "./tiles.js";
import { renderToolbar } from "./toolbar.js";

/** @typedef {import("./protocol.js").Participant} Participant */

redraw.toolbar = renderToolbar;

setInterval(meterTick, 100);
setInterval(tickClock, 1000);

signaling.on("joined", on.onJoined);
signaling.on("waiting", on.onWaiting);
signaling.on("meeting-started", on.onMeetingStarted);
signaling.on("participant-joined", on.onParticipant);
signaling.on("participant-updated", on.onParticipant);
signaling.on("participant-left", on.onParticipantLeft);
signaling.on("feed-added", on.onFeedAdded);
signaling.on("feed-removed", on.onFeedRemoved);
signaling.on("speaking", on.onSpeaking);
signaling.on("recording", on.onRecording);
signaling.on("chat", on.onChat);
signaling.on("reaction", on.onReaction);
signaling.on("security", on.onSecurity);
signaling.on("lobby", on.onLobby);
signaling.on("waiting-room", on.onWaitingRoom);
signaling.on("share-stopped", on.onShareStopped);
signaling.on("caption", on.onCaption);
signaling.on("captioner", on.onCaptioner);
signaling.on("question", on.onQuestion);
signaling.on("poll", on.onPoll);
signaling.on("poll-voted", on.onPollVoted);
signaling.on("poll-results", on.onPollResults);
signaling.on("removed", on.onRemoved);
signaling.on("muted-by-host", on.onMutedByHost);
signaling.on("unmute-request", on.onUnmuteRequest);
signaling.on("meeting-ended", on.onEnded);
signaling.on("error", on.onError);
signaling.on("close", on.onClose);
signaling.on("reconnecting", on.onReconnecting);
signaling.on("rejoin-failed", on.onRejoinFailed);
signaling.on("media-restart", on.onMediaRestart);
signaling.on("call-out", onCallOut);
signaling.on("breakout", on.onBreakout);
signaling.on("room-changed", on.onRoomChanged);
signaling.on("breakout-broadcast", on.onBreakoutBroadcast);
signaling.on("breakout-closing", on.onBreakoutClosing);

media.on("remote-stream", () => syncTiles());
media.on("remote-removed", () => syncTiles());
media.on("local-stream", on.onLocalStream);
media.on("published", on.onPublished);
media.on("publish-failed", on.onPublishFailed);
media.on("watch-failed", on.onWatchFailed);
media.on("restarted", on.onMediaRestarted);
media.on("screen-started", on.onScreenStarted);
media.on("screen-ended", on.onScreenEnded);

document.addEventListener("keydown", (e) => {
  if (!escapePopover(e)) shortcut(e);
});
document.addEventListener("pointerdown", closePopoverOutside);

window.addEventListener("pagehide", () => {
  if (state.phase === "live" || state.phase === "waiting") signaling.leave();
});

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
      recording: state.recording,
      speaking: [...state.speaking],
      handRaised: self()?.hand_raised === true,
      locked: state.security.locked,
      security: { ...state.security },
      lobby: state.lobby.map((g) => ({ ...g })),
      room: state.room,
      breakout: JSON.parse(JSON.stringify(state.breakout)),
      closingIn: state.closingIn,
      ...chatSnapshot(),
      ...captionsSnapshot(),
      ...questionsSnapshot(),
      ...pollsSnapshot(),
    };
  },
  async stats() {
    const watched = await media.stats();
    return watched.map((s) => {
      const key = s.kind === "screen" ? `screen:${s.feed}` : `camera:${s.participantId}`;
      const video = tiles.get(key)?.video;
      return {
        feed: s.feed,
        participantId: s.participantId,
        kind: s.kind,
        videoWidth: video?.videoWidth ?? 0,
        frameWidth: s.frameWidth,
        framesDecoded: s.framesDecoded,
        audioPacketsReceived: s.audioPacketsReceived,
      };
    });
  },
};

renderPrejoin();
