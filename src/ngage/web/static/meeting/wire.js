// @ts-check
/**
 * Protocol constants, types, errors, and the builders of client messages (docs/protocol.md).
 * @module wire
 */

export const VERSION = 1;

/** Error codes of `error` messages. */
export const ErrorCode = Object.freeze({
  BAD_MESSAGE: "bad-message",
  NOT_JOINED: "not-joined",
  LINK_REJECTED: "link-rejected",
  MEETING_ENDED: "meeting-ended",
  MEETING_LOCKED: "meeting-locked",
  DENIED: "denied",
  FORBIDDEN: "forbidden",
  WAITING: "waiting",
  NOT_AVAILABLE: "not-available",
  NOT_FOUND: "not-found",
  MEDIA_UNAVAILABLE: "media-unavailable",
  MEDIA_ERROR: "media-error",
  SERVER_ERROR: "server-error",
  // Raised by this client, never sent by the server:
  DISCONNECTED: "disconnected",
  TIMEOUT: "timeout",
});

/** WebSocket close codes the server uses. */
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  BAD_MESSAGE: 4400,
  LINK_REJECTED: 4403,
  MEETING_ENDED: 4410,
});

/**
 * Close codes that keep someone out: the host removed them (4409), the meeting is locked (4423),
 * or the host did not let them in from the waiting room (4406).
 */
export const KEPT_OUT_CLOSE = Object.freeze({ REMOVED: 4409, MEETING_LOCKED: 4423, DENIED: 4406 });

/** After these close codes the client must not reconnect. */
/** @type {readonly number[]} */
export const FINAL_CLOSE_CODES = Object.freeze([CloseCode.LINK_REJECTED, CloseCode.MEETING_ENDED]);

export const FEED_KINDS = Object.freeze(["camera", "screen"]);
export const ROLES = Object.freeze(["host", "participant"]);
/** Who shows in the roster: the two roles that join, and callees of a call-out. */
export const MEMBER_ROLES = Object.freeze([...ROLES, "phone"]);
/** What a `call-out` status says: the INVITE went out, it rings, they answered, it is over. */
export const CALL_STATUSES = Object.freeze(["calling", "ringing", "in-call", "hanging-up", "ended"]);
/** The numbers a caller may dial: digits, a leading +, and the keypad's * and #. */
export const PHONE_NUMBER = /^\+?[0-9*#]{3,32}$/;
export const RECORD_ACTIONS = Object.freeze(["start", "pause", "resume", "stop"]);
/** A cloud recording that is on: `joined.recording` is one of these, or null. */
export const RECORDING_ON = Object.freeze(["recording", "paused"]);
/** What a `recording` message says the recording is now. */
export const RECORDING_STATES = Object.freeze([...RECORDING_ON, "stopped"]);
export const MAX_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 100;
export const MAX_CHAT_LENGTH = 2000;
/** The reactions a participant may send, in the order the picker shows them. */
export const REACTIONS = Object.freeze(["👍", "👏", "😂", "😮", "❤️", "🎉"]);
export const MODERATE_ACTIONS = Object.freeze(["mute-all", "mute", "stop-video", "ask-unmute"]);
export const MEDIA = Object.freeze(["audio", "video"]);
export const MAX_CAPTION_LENGTH = 500;
export const MAX_QUESTION_LENGTH = 500;
export const QUESTION_ACTIONS = Object.freeze(["answer", "mark-answered", "dismiss"]);
export const QUESTION_STATUSES = Object.freeze(["open", "answered", "dismissed"]);
export const POLL_STATUSES = Object.freeze(["draft", "open", "ended"]);
export const POLL_KINDS = Object.freeze(["single", "multiple"]);
export const BREAKOUT_ACTIONS = Object.freeze([
  "create",
  "assign",
  "auto-assign",
  "open",
  "broadcast",
  "close",
  "join",
  "return",
]);
export const BREAKOUT_STATUSES = Object.freeze(["none", "draft", "open", "closing"]);
export const MAX_BREAKOUT_ROOMS = 50;
export const MAX_BREAKOUT_BROADCAST = 500;

/** @typedef {"camera" | "screen"} FeedKind */
/** @typedef {"host" | "participant"} Role */
/** @typedef {"start" | "pause" | "resume" | "stop"} RecordAction */
/** @typedef {"recording" | "paused"} Recording the cloud recording is on, or paused */
/** @typedef {{v: 1, type: string, id?: string} & Record<string, unknown>} ClientMessage */
/**
 * @typedef {object} Participant
 * @property {string} participant_id
 * @property {string} name
 * @property {Role | "phone"} role
 * @property {boolean} audio_muted
 * @property {boolean} video_muted
 * @property {boolean} [hand_raised]
 * @property {boolean} [cohost] a host made them co-host
 * @property {number} [room] the room they are in: 0 the main room, else a breakout room
 */
/**
 * @typedef {object} Feed
 * @property {number} feed
 * @property {string} participant_id
 * @property {FeedKind} kind
 * @property {number} [room] the room it is published in (0: the main room)
 */
/**
 * One chat message: to everyone (`to` null) or privately between two participants.
 * @typedef {object} ChatMessage
 * @property {string} message_id
 * @property {string} from the sender's participant id
 * @property {string} name the sender's name
 * @property {string | null} to the recipient's participant id, or null for everyone
 * @property {string | null} to_name the recipient's name, or null for everyone
 * @property {string} text
 * @property {number} [room] a message to everyone: the room it was sent in (0: the main room)
 * @property {number} at when the server took it, in epoch milliseconds
 */
/** @typedef {"mute-all" | "mute" | "stop-video" | "ask-unmute"} ModerateAction */
/** @typedef {{participant_id: string, name: string, text: string, at: number}} Caption */
/**
 * A Q&A question as this participant sees it.
 * @typedef {object} Question
 * @property {string} question_id
 * @property {string} text
 * @property {string} name who asked ("Anonymous" for an anonymous question)
 * @property {"open" | "answered" | "dismissed"} status
 * @property {string | null} answer
 * @property {number} votes
 * @property {boolean} voted this participant upvoted it
 * @property {boolean} mine this participant asked it
 */
/** @typedef {{text: string, kind: "single" | "multiple", options: string[]}} PollQuestion */
/**
 * A poll as a voter sees it; `voted` (in `joined.polls`) says this browser has voted in it already.
 * @typedef {{poll_id: string, title: string, questions: PollQuestion[], status: "draft" | "open" | "ended", voted?: boolean}} Poll
 */
/** @typedef {Poll & {voters: number, counts: number[][]}} PollResults */
/** @typedef {{room: number, name: string, participants: string[]}} BreakoutRoom */
/** @typedef {{status: "none" | "draft" | "open" | "closing", rooms: BreakoutRoom[]}} BreakoutState */
/** @typedef {"create" | "assign" | "auto-assign" | "open" | "broadcast" | "close" | "join" | "return"} BreakoutAction */
/** @typedef {{id: string, topic?: string, status?: string}} MeetingInfo */
/** @typedef {{join_url: string, meeting_id: string, password: string}} Invite */
/** @typedef {{allowed: boolean, configured: boolean}} CallOutState may this role call out, can this server */
/** @typedef {"calling" | "ringing" | "in-call" | "hanging-up" | "ended"} CallStatus */
/** @typedef {{urls: string | string[], username?: string, credential?: string}} IceServer */
/** @typedef {{participant_id: string, name: string}} Guest someone in the waiting room */
/**
 * @typedef {object} SecurityState
 * @property {boolean} locked nobody new gets in
 * @property {boolean} [waiting_room] arrivals wait for a host to let them in
 * @property {boolean} [allow_unmute] participants may unmute themselves
 * @property {boolean} [allow_share] participants may share their screen
 * @property {boolean} [allow_chat] participants may chat with everyone (otherwise with the hosts only)
 * @property {boolean} [allow_rename] participants may rename themselves
 */
/**
 * A validated server message. Only the fields of its type are set; `re` is the request id
 * it answers, if any.
 * @typedef {object} ServerMessage
 * @property {string} type
 * @property {string} [re]
 * @property {string} [participant_id]
 * @property {Role} [role]
 * @property {string} [name]
 * @property {MeetingInfo} [meeting]
 * @property {Record<string, boolean>} [flags]
 * @property {Invite | null} [invite]
 * @property {IceServer[]} [ice_servers]
 * @property {Participant[]} [participants]
 * @property {Feed[]} [feeds]
 * @property {Participant} [self] in `joined`: this participant as the others see it
 * @property {boolean} [waiting] in `joined`: the host has not arrived, do not publish yet
 * @property {Recording | null} [recording] in `joined`: the meeting's cloud recording (null: off)
 * @property {Recording | "stopped"} [state] in `recording`: what the recording is now
 * @property {string} [by] in `recording`: the name of who changed it
 * @property {ChatMessage[]} [chat] in `joined` and `room-changed`: the chat this participant may read where
 *   they are now, oldest first
 * @property {Participant} [participant]
 * @property {Feed | number} [feed]
 * @property {FeedKind} [kind]
 * @property {string} [sdp]
 * @property {boolean} [speaking]
 * @property {string | ChatMessage} [message] a text (`waiting`, `media-restart`, `error`); in `chat`, the message
 * @property {string} [reason]
 * @property {string} [code]
 * @property {string} [emoji] in `reaction`
 * @property {boolean} [locked] in `security` (with the other SecurityState fields)
 * @property {boolean} [waiting_room] in `security`
 * @property {boolean} [allow_unmute] in `security`
 * @property {boolean} [allow_share] in `security`
 * @property {boolean} [allow_chat] in `security`
 * @property {boolean} [allow_rename] in `security`
 * @property {SecurityState | null} [security] in `joined`: the meeting's security settings
 * @property {Guest[]} [lobby] in `joined`: who is in the waiting room (for those who can admit)
 * @property {Guest[]} [guests] in `lobby`: who is in the waiting room now
 * @property {"audio" | "video"} [medium] in `muted-by-host`
 * @property {Question} [question] in `question`
 * @property {Question[]} [questions] in `joined`: the Q&A so far
 * @property {Poll} [poll] in `poll`
 * @property {Poll[]} [polls] in `joined`: the open and ended polls (and drafts, for hosts)
 * @property {{participant_id: string, name: string | null} | null} [captioner] in `joined`: who types captions (null: the host)
 * @property {string} [poll_id] in `poll-voted`
 * @property {PollResults} [results] in `poll-results`
 * @property {boolean} [shared] in `poll-results`: shared with everyone
 * @property {string} [text] in `caption`
 * @property {number} [at] in `caption`
 * @property {string} [action] in `moderated`
 * @property {CallOutState} [callout] in `joined`: whether call-out is offered
 * @property {CallStatus} [status] in `call-out`
 * @property {string} [number] in `call-out`: the number dialled
 * @property {BreakoutState} [breakout] in `breakout` and `joined`: the breakout rooms
 * @property {number} [room] in `room-changed`: the room this participant is in now (0: main)
 * @property {number} [seconds] in `breakout-closing`: the countdown before everyone is back
 */

/** A message that breaks the protocol (sent or received). */
export class ProtocolError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** The server refused a request (`error` with `re`), or the request could not complete. */
export class SignalingError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {string} [requestType]
   */
  constructor(code, message, requestType) {
    super(message);
    this.name = "SignalingError";
    this.code = code;
    this.requestType = requestType;
  }
}

// ---------------------------------------------------------------------------------------------
// Client message builders

/**
 * @param {string} type
 * @param {Record<string, unknown>} [fields]
 * @returns {ClientMessage}
 */
function message(type, fields = {}) {
  return { v: VERSION, type, ...fields };
}

/**
 * @param {boolean} ok
 * @param {string} what
 */
export function ensure(ok, what) {
  if (!ok) throw new ProtocolError(what);
}

/** @param {unknown} kind @returns {asserts kind is FeedKind} */
function requireKind(kind) {
  ensure(FEED_KINDS.includes(/** @type {string} */ (kind)), `kind must be camera or screen`);
}

/** @param {unknown} feed */
function requireFeed(feed) {
  ensure(Number.isSafeInteger(feed), "feed must be an integer");
}

/** @param {unknown} sdp */
function requireSdp(sdp) {
  ensure(typeof sdp === "string" && sdp.length > 0, "sdp must be a non-empty string");
}

/**
 * @param {{token: string, role: Role, name: string, audioMuted?: boolean, videoMuted?: boolean, clientId?: string}} p
 * @returns {ClientMessage}
 */
export function join({ token, role, name, audioMuted, videoMuted, clientId }) {
  ensure(typeof token === "string" && token.length > 0, "token must be a non-empty string");
  ensure(ROLES.includes(role), "role must be host or participant");
  const trimmed = typeof name === "string" ? name.trim() : "";
  ensure(trimmed.length >= 1 && trimmed.length <= MAX_NAME_LENGTH, "name must be 1-100 characters");
  /** @type {Record<string, unknown>} */
  const fields = { token, role, name: trimmed };
  if (audioMuted !== undefined) fields.audio_muted = Boolean(audioMuted);
  if (videoMuted !== undefined) fields.video_muted = Boolean(videoMuted);
  if (clientId) {
    ensure(clientId.length <= MAX_ID_LENGTH, "client_id is at most 64 characters");
    fields.client_id = clientId;
  }
  return message("join", fields);
}

/** @param {FeedKind} kind @param {string} sdp */
export function publish(kind, sdp) {
  requireKind(kind);
  requireSdp(sdp);
  return message("publish", { kind, sdp });
}

/** @param {FeedKind} kind */
export function unpublish(kind) {
  requireKind(kind);
  return message("unpublish", { kind });
}

/**
 * @param {string} pc `publish:camera`, `publish:screen` or `watch:<feed>`
 * @param {object | null} candidate `RTCIceCandidate.toJSON()`, or null at the end of gathering
 */
export function trickle(pc, candidate) {
  ensure(/^(publish:(camera|screen)|watch:\d+)$/.test(pc), "pc must name a peer connection");
  ensure(candidate === null || typeof candidate === "object", "candidate must be an object or null");
  return message("trickle", { pc, candidate });
}

/** @param {FeedKind} kind */
export function publishPc(kind) {
  requireKind(kind);
  return `publish:${kind}`;
}

/** @param {number} feed */
export function watchPc(feed) {
  requireFeed(feed);
  return `watch:${feed}`;
}

/** @param {number} feed */
export function watch(feed) {
  requireFeed(feed);
  return message("watch", { feed });
}

/** @param {number} feed @param {string} sdp */
export function answer(feed, sdp) {
  requireFeed(feed);
  requireSdp(sdp);
  return message("answer", { feed, sdp });
}

/** @param {number} feed */
export function unwatch(feed) {
  requireFeed(feed);
  return message("unwatch", { feed });
}

/** @param {{audioMuted?: boolean, videoMuted?: boolean}} state */
export function mute({ audioMuted, videoMuted }) {
  /** @type {Record<string, unknown>} */
  const fields = {};
  if (audioMuted !== undefined) fields.audio_muted = Boolean(audioMuted);
  if (videoMuted !== undefined) fields.video_muted = Boolean(videoMuted);
  ensure(Object.keys(fields).length > 0, "mute needs audioMuted or videoMuted");
  return message("mute", fields);
}

/** @param {RecordAction} action */
export function record(action) {
  ensure(RECORD_ACTIONS.includes(action), "action must be start, pause, resume or stop");
  return message("record", { action });
}

/**
 * @param {string} text 1-2000 characters, not only spaces
 * @param {string | null} to a participant id for a private message, null for everyone
 */
export function chat(text, to) {
  ensure(typeof text === "string" && text.trim().length > 0, "a chat message needs some text");
  ensure(text.length <= MAX_CHAT_LENGTH, `a chat message is at most ${MAX_CHAT_LENGTH} characters`);
  ensure(to === null || (typeof to === "string" && to.length > 0), "to must be a participant id or null");
  return message("chat", { text, to });
}

/** @param {boolean} raised */
export function hand(raised) {
  return message("hand", { raised: Boolean(raised) });
}

/** @param {string} emoji one of REACTIONS */
export function reaction(emoji) {
  ensure(REACTIONS.includes(emoji), "emoji must be one of the reactions");
  return message("reaction", { emoji });
}

/**
 * @param {ModerateAction} action
 * @param {string | null} [participantId] one person (`mute-all` takes none)
 */
export function moderate(action, participantId = null) {
  ensure(MODERATE_ACTIONS.includes(action), "action must be mute-all, mute, stop-video or ask-unmute");
  ensure(action !== "mute-all" || !participantId, "mute-all takes no participant");
  ensure(action === "mute-all" || action === "ask-unmute" || !!participantId, `${action} needs a participant`);
  return message("moderate", participantId ? { action, participant_id: participantId } : { action });
}

/** What `security` can switch; only the fields sent change. */
export const SECURITY_FIELDS = Object.freeze([
  "locked",
  "waiting_room",
  "allow_unmute",
  "allow_share",
  "allow_chat",
  "allow_rename",
]);

/**
 * Lock the meeting (a boolean), or change any security settings (`{waiting_room: true}`).
 * @param {boolean | Partial<Record<string, boolean>>} changes
 */
export function security(changes) {
  const fields = typeof changes === "boolean" ? { locked: changes } : changes;
  ensure(Object.keys(fields).length > 0, "security needs something to change");
  for (const [key, value] of Object.entries(fields)) {
    ensure(SECURITY_FIELDS.includes(key), `security cannot change ${key}`);
    ensure(typeof value === "boolean", `${key} must be true or false`);
  }
  return message("security", fields);
}

/**
 * Let someone in from the waiting room, or not (`participantId` null: everyone waiting).
 * @param {"admit" | "deny"} action @param {string | null} [participantId]
 */
export function admit(action, participantId = null) {
  ensure(action === "admit" || action === "deny", "action must be admit or deny");
  return message("admit", participantId ? { action, participant_id: participantId } : { action });
}

/** Rename yourself, or (hosts) someone else. @param {string} name @param {string | null} [participantId] */
export function rename(name, participantId = null) {
  ensure(typeof name === "string" && name.trim().length > 0, "a name is needed");
  const trimmed = name.trim();
  ensure(trimmed.length <= MAX_NAME_LENGTH, `a name is at most ${MAX_NAME_LENGTH} characters`);
  return message("rename", participantId ? { name: trimmed, participant_id: participantId } : { name: trimmed });
}

/** Make someone co-host, or not (the host only). @param {string} participantId @param {boolean} on */
export function cohost(participantId, on) {
  ensure(typeof participantId === "string" && participantId.length > 0, "cohost needs a participant");
  return message("cohost", { participant_id: participantId, cohost: Boolean(on) });
}

/** @param {string} participantId */
export function remove(participantId) {
  ensure(typeof participantId === "string" && participantId.length > 0, "remove needs a participant");
  return message("remove", { participant_id: participantId });
}

/** @param {string} text 1-500 characters */
export function caption(text) {
  ensure(typeof text === "string" && text.trim().length > 0, "a caption needs some text");
  ensure(text.length <= MAX_CAPTION_LENGTH, `a caption is at most ${MAX_CAPTION_LENGTH} characters`);
  return message("caption", { text });
}

/** @param {string | null} participantId who types captions; null: the host alone */
export function captioner(participantId) {
  ensure(
    participantId === null || (typeof participantId === "string" && participantId.length > 0),
    "captioner needs a participant id or null",
  );
  return message("captioner", { participant_id: participantId });
}

/** @param {string} text 1-500 characters @param {boolean} [anonymous] */
export function askQuestion(text, anonymous = false) {
  ensure(typeof text === "string" && text.trim().length > 0, "a question needs some text");
  ensure(text.length <= MAX_QUESTION_LENGTH, `a question is at most ${MAX_QUESTION_LENGTH} characters`);
  return message("ask", { text, anonymous: Boolean(anonymous) });
}

/** Upvotes a question, or takes the vote back. @param {string} questionId */
export function vote(questionId) {
  ensure(typeof questionId === "string" && questionId.length > 0, "vote needs a question id");
  return message("vote", { question_id: questionId });
}

/**
 * The host answers, marks answered or dismisses a question.
 * @param {string} questionId @param {"answer" | "mark-answered" | "dismiss"} action @param {string} [text]
 */
export function questionAction(questionId, action, text) {
  ensure(typeof questionId === "string" && questionId.length > 0, "question needs a question id");
  ensure(QUESTION_ACTIONS.includes(action), "action must be answer, mark-answered or dismiss");
  return message("question", text ? { question_id: questionId, action, text } : { question_id: questionId, action });
}

/** The host drafts a poll. @param {string} title @param {PollQuestion[]} questions */
export function pollDraft(title, questions) {
  ensure(typeof title === "string" && title.trim().length > 0, "a poll needs a title");
  ensure(Array.isArray(questions) && questions.length >= 1 && questions.length <= 10, "a poll has 1-10 questions");
  for (const q of questions) {
    ensure(typeof q.text === "string" && q.text.trim().length > 0, "every question needs some text");
    ensure(POLL_KINDS.includes(q.kind), "a question is single or multiple choice");
    ensure(Array.isArray(q.options) && q.options.length >= 2 && q.options.length <= 10, "a question has 2-10 options");
    ensure(
      q.options.every((o) => typeof o === "string" && o.trim().length > 0),
      "every option needs some text",
    );
  }
  return message("poll", { action: "draft", title, questions });
}

/** @param {"launch" | "end" | "share"} action @param {string} pollId */
export function pollAction(action, pollId) {
  ensure(["launch", "end", "share"].includes(action), "action must be launch, end or share");
  ensure(typeof pollId === "string" && pollId.length > 0, "a poll id is needed");
  return message("poll", { action, poll_id: pollId });
}

/** @param {string} pollId @param {number[][]} answers per question, the chosen option indexes */
export function pollVote(pollId, answers) {
  ensure(typeof pollId === "string" && pollId.length > 0, "a poll id is needed");
  ensure(
    Array.isArray(answers) && answers.every((a) => Array.isArray(a) && a.every(Number.isSafeInteger)),
    "answers must be lists of option indexes",
  );
  return message("poll", { action: "vote", poll_id: pollId, answers });
}

/** Invite someone by phone. @param {string} number digits, a leading +, * and # */
export function callOut(number) {
  ensure(typeof number === "string" && PHONE_NUMBER.test(number), "a phone number is 3-32 digits (+, * and # allowed)");
  return message("call-out", { action: "dial", number });
}

/** Hang up a phone participant (the caller or the host). @param {string} participantId */
export function hangUpPhone(participantId) {
  ensure(typeof participantId === "string" && participantId.length > 0, "hang up needs the phone's participant id");
  return message("call-out", { action: "hangup", participant_id: participantId });
}

/**
 * Breakout rooms: the host creates (`count` or `names`), assigns (`participant_id`, `room`;
 * room 0 unassigns), auto-assigns, opens, broadcasts (`text`), closes (`seconds`);
 * anyone allowed joins (`room`) or returns to the main room.
 * @param {BreakoutAction} action @param {Record<string, unknown>} [fields]
 */
export function breakout(action, fields = {}) {
  ensure(BREAKOUT_ACTIONS.includes(action), `action must be one of ${BREAKOUT_ACTIONS.join(", ")}`);
  const count = fields.count;
  ensure(
    count === undefined || (Number.isSafeInteger(count) && Number(count) >= 1 && Number(count) <= MAX_BREAKOUT_ROOMS),
    `between 1 and ${MAX_BREAKOUT_ROOMS} rooms`,
  );
  const room = fields.room;
  ensure(room === undefined || (Number.isSafeInteger(room) && Number(room) >= 0), "room must be a room number");
  const text = fields.text;
  ensure(
    action !== "broadcast" ||
      (typeof text === "string" && text.trim().length > 0 && text.length <= MAX_BREAKOUT_BROADCAST),
    `a broadcast is 1-${MAX_BREAKOUT_BROADCAST} characters`,
  );
  return message("breakout", { action, ...fields });
}

export function end() {
  return message("end");
}

export function leave() {
  return message("leave");
}

export function ping() {
  return message("ping");
}
