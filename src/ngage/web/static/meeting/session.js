// @ts-check
/**
 * The page's one meeting session: its configuration (from the template's data attributes),
 * the meeting state every view reads, the signaling and media connections, and the local
 * camera and microphone. No rendering here.
 * @module session
 */
import * as P from "./protocol.js";
import { MediaSession } from "./media.js";

/** @typedef {import("./protocol.js").Participant} Participant */
/** @typedef {import("./protocol.js").Feed} Feed */
/** @typedef {import("./protocol.js").Invite} Invite */
/** @typedef {"prejoin" | "waiting" | "live" | "ended" | "rejected"} Phase */

/** The element the template gives the meeting; every screen renders into it. */
export const root = /** @type {HTMLElement} */ (document.getElementById("ngage-meeting"));

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

export const config = readConfig();

export const SECURITY_DEFAULTS = Object.freeze({
  locked: false,
  waiting_room: false,
  allow_unmute: true,
  allow_share: true,
  allow_chat: true,
  allow_rename: true,
});

export const state = {
  /** @type {Phase} */
  phase: "prejoin",
  name: config.name,
  role: config.role,
  flags: config.flags,
  selfId: "",
  /** @type {import("./protocol.js").MeetingInfo} */
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
  /** @type {import("./protocol.js").CallOutState | null} whether this page may call out */
  callout: null,
  audioMuted: false,
  videoMuted: false,
  sharing: false,
  /** @type {import("./protocol.js").Recording | null} the meeting's cloud recording (null: off) */
  recording: null,
  endedByMe: false,
  /** @type {"gallery" | "speaker"} */
  view: "gallery",
  sinkId: "",
  joinedAt: 0,
  devices: { camera: "", microphone: "" },
  /** @type {import("./protocol.js").ChatMessage[]} the chat this page has seen, oldest first */
  chat: [],
  /** Chat messages from others that came while the chat panel was closed. */
  unread: 0,
  /** @type {Set<string>} every participant id this page has had (a reconnect brings a new one) */
  myIds: new Set(),
  /** @type {Required<import("./protocol.js").SecurityState>} the meeting's security settings */
  security: { ...SECURITY_DEFAULTS },
  /** @type {import("./protocol.js").Guest[]} who waits in the waiting room (seen by those who can admit) */
  lobby: [],
  /** The host asked this participant to unmute: allowed once, even where unmuting is not. */
  unmuteGranted: false,
  /** The room this page is in: 0 the main room, else a breakout room. */
  room: 0,
  roomName: "Main room",
  /** @type {import("./protocol.js").BreakoutState} */
  breakout: { status: "none", rooms: [] },
  /** Seconds left before the breakout rooms close (null: not closing). @type {number | null} */
  closingIn: null,
};

/** Whether this participant hosts: the host, or a co-host a host named. */
export function hosting() {
  return state.role === "host" || self()?.cohost === true;
}

/** What the role's flags let the UI show (absent flags take the SDK's defaults). */
export function abilities(flags = state.flags) {
  return {
    av: flags.isSupportAV !== false,
    audio: flags.disableJoinAudio !== true,
    /** Share the screen: the role's flag, and the host's leave for participants. */
    share: flags.screenShare !== false && (hosting() || state.security.allow_share),
    invite: flags.disableInvite !== true,
    record: flags.disableRecord !== true,
    audioPanelAlwaysOpen: flags.audioPanelAlwaysOpen === true,
    pureShare: flags.showPureSharingContent === true,
    participantsList: flags.participants_list !== false,
    security: flags.security_option !== false,
    more: flags.more_meeting_control !== false,
    chat: flags.isSupportChat !== false,
    captions: flags.isSupportCC !== false,
    qa: flags.isSupportQA !== false,
    polls: flags.isSupportPolling !== false,
    /** Host controls: mute all, mute, stop video, ask to unmute (hosts and co-hosts). */
    moderate: hosting() && flags.more_meeting_control !== false,
    /** Make someone co-host: the host only. */
    nameCohosts: state.role === "host" && flags.more_meeting_control !== false,
    /** Lock the meeting, the waiting room, participants' permissions, remove people. */
    lock: hosting() && flags.security_option !== false,
    /** Chat with everyone (otherwise with the hosts only, when chat is on at all). */
    chatEveryone: hosting() || state.security.allow_chat,
    rename: hosting() || state.security.allow_rename,
    /** Unmute yourself: hosts always; participants when the host allows it or asked them to. */
    unmute: hosting() || state.security.allow_unmute || state.unmuteGranted,
    /** Go into breakout rooms (and come back). */
    breakout: flags.isSupportBreakout !== false,
    /** Create, assign, open, broadcast to and close breakout rooms. */
    runBreakout: state.role === "host" && flags.isSupportBreakout !== false,
  };
}

/** @typedef {ReturnType<typeof abilities>} Abilities */

export const signaling = new P.Signaling(config.wsUrl, (url) => new WebSocket(url));
export const media = new MediaSession(signaling, { audio: false, video: false, screen: false });

/** The camera and microphone this page previews and sends (replaced when devices change). */
export const local = {
  /** @type {MediaStream} */
  stream: new MediaStream(),
};

/**
 * Redraws that controls ask for but cannot import (the toolbar imports the controls):
 * meeting.js fills them in.
 */
export const redraw = {
  toolbar() {},
};

const CLIENT_ID_KEY = "ngage.client_id";

/** A random id this browser keeps, so the server knows it again (a removed browser stays out). */
function clientId() {
  try {
    let id = localStorage.getItem(CLIENT_ID_KEY);
    if (!id || id.length > P.MAX_ID_LENGTH) {
      // randomUUID needs a secure context; getRandomValues does not.
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      id = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
      localStorage.setItem(CLIENT_ID_KEY, id);
    }
    return id;
  } catch {
    return undefined;
  }
}

export function joinMessage() {
  const can = abilities();
  return P.join({
    token: config.token,
    role: config.role,
    name: state.name,
    clientId: clientId(),
    audioMuted: !can.audio || state.audioMuted || local.stream.getAudioTracks().length === 0,
    videoMuted: !can.av || state.videoMuted || local.stream.getVideoTracks().length === 0,
  });
}

export function isAudioMuted() {
  return !abilities().audio || state.audioMuted || local.stream.getAudioTracks().length === 0;
}

export function isVideoMuted() {
  return !abilities().av || state.videoMuted || local.stream.getVideoTracks().length === 0;
}

/** Everyone, this participant first. */
export function everyone() {
  return [...state.participants.values()].sort((a, b) => {
    if (a.participant_id === state.selfId) return -1;
    if (b.participant_id === state.selfId) return 1;
    return 0;
  });
}

export function self() {
  return state.participants.get(state.selfId);
}

/** @param {Phase} phase */
export function setPhase(phase) {
  state.phase = phase;
  root.dataset.phase = phase;
}
