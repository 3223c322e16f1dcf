// @ts-check
/**
 * The meeting signaling protocol, version 1 (docs/protocol.md), without any DOM:
 * builders for client messages, a validating parser for server messages, and `Signaling`,
 * which owns the WebSocket (request ids, replies as Promises, events, ping, reconnect).
 * @module protocol
 */

export const VERSION = 1;

/** Error codes of `error` messages. */
export const ErrorCode = Object.freeze({
  BAD_MESSAGE: "bad-message",
  NOT_JOINED: "not-joined",
  LINK_REJECTED: "link-rejected",
  MEETING_ENDED: "meeting-ended",
  MEETING_LOCKED: "meeting-locked",
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

/** Close codes that keep someone out: the host removed them (4409), or the meeting is locked (4423). */
export const KEPT_OUT_CLOSE = Object.freeze({ REMOVED: 4409, MEETING_LOCKED: 4423 });

/** After these close codes the client must not reconnect. */
/** @type {readonly number[]} */
export const FINAL_CLOSE_CODES = Object.freeze([CloseCode.LINK_REJECTED, CloseCode.MEETING_ENDED]);

export const FEED_KINDS = Object.freeze(["camera", "screen"]);
export const ROLES = Object.freeze(["host", "participant"]);
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

/** @typedef {"camera" | "screen"} FeedKind */
/** @typedef {"host" | "participant"} Role */
/** @typedef {"start" | "pause" | "resume" | "stop"} RecordAction */
/** @typedef {"recording" | "paused"} Recording the cloud recording is on, or paused */
/** @typedef {{v: 1, type: string, id?: string} & Record<string, unknown>} ClientMessage */
/**
 * @typedef {object} Participant
 * @property {string} participant_id
 * @property {string} name
 * @property {Role} role
 * @property {boolean} audio_muted
 * @property {boolean} video_muted
 * @property {boolean} [hand_raised]
 */
/**
 * @typedef {object} Feed
 * @property {number} feed
 * @property {string} participant_id
 * @property {FeedKind} kind
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
/** @typedef {{poll_id: string, title: string, questions: PollQuestion[], status: "draft" | "open" | "ended"}} Poll */
/** @typedef {Poll & {voters: number, counts: number[][]}} PollResults */
/** @typedef {{id: string, topic?: string, status?: string}} MeetingInfo */
/** @typedef {{join_url: string, meeting_id: string, password: string}} Invite */
/** @typedef {{urls: string | string[], username?: string, credential?: string}} IceServer */
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
 * @property {ChatMessage[]} [chat] in `joined`: the chat so far this participant may read, oldest first
 * @property {Participant} [participant]
 * @property {Feed | number} [feed]
 * @property {FeedKind} [kind]
 * @property {string} [sdp]
 * @property {boolean} [speaking]
 * @property {string | ChatMessage} [message] a text (`waiting`, `media-restart`, `error`); in `chat`, the message
 * @property {string} [reason]
 * @property {string} [code]
 * @property {string} [emoji] in `reaction`
 * @property {boolean} [locked] in `security`
 * @property {{locked: boolean} | null} [security] in `joined`: whether the meeting is locked
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
function ensure(ok, what) {
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

/** @param {boolean} locked */
export function security(locked) {
  return message("security", { locked: Boolean(locked) });
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

export function end() {
  return message("end");
}

export function leave() {
  return message("leave");
}

export function ping() {
  return message("ping");
}

// ---------------------------------------------------------------------------------------------
// Server message parser

/** @typedef {(value: unknown, path: string) => unknown} Check */

/** @type {Check} */
const str = (value, path) => {
  ensure(typeof value === "string", `${path} must be a string`);
  return value;
};
/** @type {Check} */
const bool = (value, path) => {
  ensure(typeof value === "boolean", `${path} must be a boolean`);
  return value;
};
/** @type {Check} */
const integer = (value, path) => {
  ensure(Number.isSafeInteger(value), `${path} must be an integer`);
  return value;
};
/** Identifiers may come as strings or numbers; the client always holds them as strings. */
/** @type {Check} */
const ident = (value, path) => {
  const ok = (typeof value === "string" && value.length > 0) || Number.isSafeInteger(value);
  ensure(ok, `${path} must be an identifier`);
  return String(value);
};
/** @param {readonly string[]} allowed @returns {Check} */
const oneOf = (allowed) => (value, path) => {
  ensure(allowed.includes(/** @type {string} */ (value)), `${path} must be one of ${allowed}`);
  return value;
};
/** @param {Check} check @returns {Check} */
const optional = (check) => (value, path) => (value === undefined ? undefined : check(value, path));
/** @param {Check} check @returns {Check} */
const nullable = (check) => (value, path) => (value === null ? null : check(value, path));
/** Absent reads as null. @param {Check} check @returns {Check} */
const orNull = (check) => (value, path) => (value === undefined || value === null ? null : check(value, path));
/** @type {Check} */
const epochMs = (value, path) => {
  ensure(typeof value === "number" && Number.isFinite(value), `${path} must be a time in milliseconds`);
  return value;
};
/** @param {Check} check @returns {Check} */
const arrayOf = (check) => (value, path) => {
  ensure(Array.isArray(value), `${path} must be an array`);
  return /** @type {unknown[]} */ (value).map((item, i) => check(item, `${path}[${i}]`));
};
/** Keeps the items that pass and drops the rest: one bad entry must not refuse a whole message. */
/** @param {Check} check @returns {Check} */
const validItemsOf = (check) => (value, path) => {
  ensure(Array.isArray(value), `${path} must be an array`);
  return /** @type {unknown[]} */ (value).flatMap((item, i) => {
    try {
      return [check(item, `${path}[${i}]`)];
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return [];
    }
  });
};
/** @param {Record<string, Check>} shape @returns {Check} */
const object = (shape) => (value, path) => {
  ensure(isPlainObject(value), `${path} must be an object`);
  const source = /** @type {Record<string, unknown>} */ (value);
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, check] of Object.entries(shape)) {
    const checked = check(source[key], path ? `${path}.${key}` : key);
    if (checked !== undefined) out[key] = checked;
  }
  return out;
};

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The role's flags: a flat object of booleans. A `{config: {...}, view: {...}}` shape is
 * flattened too, and entries that are not booleans are dropped.
 * @type {Check}
 */
const flags = (value, path) => {
  ensure(isPlainObject(value), `${path} must be an object`);
  const source = /** @type {Record<string, unknown>} */ (value);
  /** @type {Record<string, boolean>} */
  const out = {};
  for (const [key, item] of Object.entries(source)) {
    if (typeof item === "boolean") out[key] = item;
    else if (isPlainObject(item)) Object.assign(out, flags(item, `${path}.${key}`));
  }
  return out;
};

/** @type {Check} */
const urls = (value, path) => (Array.isArray(value) ? arrayOf(str)(value, path) : str(value, path));

const participant = object({
  participant_id: ident,
  name: str,
  role: oneOf(ROLES),
  audio_muted: bool,
  video_muted: bool,
  hand_raised: optional(bool),
});
const feed = object({ feed: integer, participant_id: ident, kind: oneOf(FEED_KINDS) });
// `meeting-started` may carry only some of these.
const meeting = object({ id: ident, topic: optional(str), status: optional(str) });
const invite = object({ join_url: str, meeting_id: ident, password: str });
const iceServer = object({ urls, username: optional(str), credential: optional(str) });
const question = object({
  question_id: ident,
  text: str,
  name: str,
  status: oneOf(QUESTION_STATUSES),
  answer: orNull(str),
  votes: integer,
  voted: optional(bool),
  mine: optional(bool),
});
const pollQuestion = object({ text: str, kind: oneOf(POLL_KINDS), options: arrayOf(str) });
const pollShape = { poll_id: ident, title: str, questions: arrayOf(pollQuestion), status: oneOf(POLL_STATUSES) };
const poll = object(pollShape);
const pollResults = object({ ...pollShape, voters: integer, counts: arrayOf(arrayOf(integer)) });
const chatMessage = object({
  message_id: ident,
  from: ident,
  name: str,
  to: orNull(ident),
  to_name: orNull(str),
  text: str,
  at: epochMs,
});

/** @type {Record<string, Record<string, Check>>} */
const SERVER_MESSAGES = {
  joined: {
    participant_id: ident,
    role: oneOf(ROLES),
    name: str,
    meeting,
    flags,
    invite: nullable(invite),
    ice_servers: arrayOf(iceServer),
    participants: arrayOf(participant),
    feeds: arrayOf(feed),
    self: optional(participant),
    waiting: optional(bool),
    recording: optional(nullable(oneOf(RECORDING_ON))),
    chat: optional(validItemsOf(chatMessage)),
    security: optional(nullable(object({ locked: bool }))),
    questions: optional(validItemsOf(question)),
    polls: optional(validItemsOf(poll)),
    captioner: optional(nullable(object({ participant_id: ident, name: orNull(str) }))),
  },
  waiting: { message: str },
  "meeting-started": { meeting },
  "participant-joined": { participant },
  "participant-updated": { participant },
  "participant-left": { participant_id: ident },
  "feed-added": { feed },
  "feed-removed": { feed: integer, participant_id: ident },
  published: { kind: oneOf(FEED_KINDS), feed: integer, sdp: str },
  unpublished: { kind: oneOf(FEED_KINDS) },
  offer: { feed: integer, sdp: str },
  watching: { feed: integer },
  unwatched: { feed: integer },
  speaking: { participant_id: ident, speaking: bool },
  recording: { state: oneOf(RECORDING_STATES), by: str },
  chat: { message: chatMessage },
  reaction: { participant_id: ident, emoji: str },
  security: { locked: bool },
  removed: { by: optional(str) },
  "participant-removed": { participant_id: ident },
  "muted-by-host": { medium: oneOf(MEDIA), by: optional(str) },
  "unmute-request": { by: optional(str) },
  moderated: { action: str },
  caption: { participant_id: ident, name: str, text: str, at: epochMs },
  captioner: { participant_id: orNull(ident), name: orNull(str) },
  question: { question },
  poll: { poll },
  "poll-voted": { poll_id: ident },
  "poll-results": { results: pollResults, shared: optional(bool) },
  "media-restart": { message: str },
  "meeting-ended": { reason: str },
  pong: {},
  error: { code: str, message: str },
};

export const SERVER_MESSAGE_TYPES = Object.freeze(Object.keys(SERVER_MESSAGES));

/**
 * Validates one server message (the text of a frame, or an already decoded object) and
 * returns it with exactly the fields of its type. Throws `ProtocolError` when it is malformed.
 * @param {unknown} data
 * @returns {ServerMessage}
 */
export function parseServerMessage(data) {
  const raw = typeof data === "string" ? decode(data) : data;
  ensure(isPlainObject(raw), "a message must be a JSON object");
  const source = /** @type {Record<string, unknown>} */ (raw);
  ensure(source.v === VERSION, `unsupported protocol version ${JSON.stringify(source.v)}`);
  ensure(typeof source.type === "string", "type must be a string");
  const type = /** @type {string} */ (source.type);
  const shape = SERVER_MESSAGES[type];
  ensure(shape !== undefined, `unknown message type ${JSON.stringify(type)}`);
  const fields = /** @type {object} */ (object(shape)(source, ""));
  const parsed = /** @type {ServerMessage} */ ({ type, ...fields });
  if (source.re !== undefined) parsed.re = /** @type {string} */ (str(source.re, "re"));
  return parsed;
}

/** @param {string} text */
function decode(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError("a message must be JSON");
  }
}

/**
 * Like `parseServerMessage`, but returns `{ok: false, error}` instead of throwing.
 * @param {unknown} data
 * @returns {{ok: true, message: ServerMessage} | {ok: false, error: string}}
 */
export function tryParseServerMessage(data) {
  try {
    return { ok: true, message: parseServerMessage(data) };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { ok: false, error: error.message };
  }
}

// ---------------------------------------------------------------------------------------------
// Signaling: one WebSocket, requests and events

/**
 * The part of `WebSocket` that `Signaling` uses, so tests can pass a fake.
 * @typedef {object} WebSocketLike
 * @property {number} readyState
 * @property {(data: string) => void} send
 * @property {(code?: number, reason?: string) => void} close
 * @property {((event: any) => void) | null} onopen
 * @property {((event: any) => void) | null} onmessage gets `{data}`
 * @property {((event: any) => void) | null} onclose gets `{code, reason}`
 * @property {((event: any) => void) | null} onerror
 */
/** @typedef {(url: string) => WebSocketLike} WebSocketFactory */
/**
 * @typedef {object} SignalingOptions
 * @property {number} [pingIntervalMs] 20 000 by default
 * @property {number} [backoffInitialMs] first reconnect delay, 500 by default
 * @property {number} [backoffMaxMs] longest reconnect delay, 5 000 by default
 * @property {number} [requestTimeoutMs] a request without a reply fails after this, 20 000
 */
/**
 * Events besides the server's message types:
 * `open` (a socket opened), `close` ({code, reason, final}), `reconnecting` ({attempt, delayMs}),
 * `reconnected` (the `joined` after a reconnect), `rejoin-failed` (Error), `protocol-error`
 * ({error, data}), `send-error` (see `send`), `message` (every valid server message). Server `error` messages that answer a request reject its
 * Promise and are not dispatched.
 * @typedef {(payload: any) => void} Listener
 */

const OPEN = 1;
const MAX_UNANSWERED = 256;
/** The close code this client uses when it gives up on a silent socket. */
const ABANDONED = 4000;

export class Signaling {
  /**
   * @param {string} url
   * @param {WebSocketFactory} createSocket
   * @param {SignalingOptions} [options]
   */
  constructor(url, createSocket, options = {}) {
    this.url = url;
    this.createSocket = createSocket;
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.backoffInitialMs = options.backoffInitialMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 5_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
    /** @type {WebSocketLike | null} */
    this.socket = null;
    /** @type {ClientMessage | null} */
    this.joinMessage = null;
    /** @type {Map<string, {resolve: (m: ServerMessage) => void, reject: (e: Error) => void, type: string, timer: ReturnType<typeof setTimeout>}>} */
    this.pending = new Map();
    /** @type {Map<string, Set<Listener>>} */
    this.listeners = new Map();
    /** @type {Map<string, string>} ids of recent `send`s (no reply expected), to their types */
    this.unanswered = new Map();
    this.nextId = 1;
    this.attempt = 0;
    this.stopped = false;
    this.joinedOnce = false;
    /** @type {ReturnType<typeof setInterval> | null} */
    this.pingTimer = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.reconnectTimer = null;
    this.awaitingPong = false;
    /** @type {{resolve: (m: ServerMessage) => void, reject: (e: Error) => void} | null} */
    this.firstJoin = null;
  }

  /**
   * Opens the socket and joins. Resolves with the first `joined`; rejects when the server
   * refuses that `join` or closes for good before it. Lost sockets are reopened with backoff
   * and the same `join` is sent again (listen to `joined` to see every join).
   * @param {ClientMessage} joinMessage built with `join()`
   * @returns {Promise<ServerMessage>}
   */
  connect(joinMessage) {
    ensure(joinMessage.type === "join", "connect needs a join message");
    this.joinMessage = joinMessage;
    this.stopped = false;
    return new Promise((resolve, reject) => {
      this.firstJoin = { resolve, reject };
      this.open();
    });
  }

  open() {
    const socket = this.createSocket(this.url);
    this.socket = socket;
    socket.onmessage = (event) => this.receive(socket, event.data);
    socket.onclose = (event) => this.closed(socket, event);
    socket.onerror = () => {};
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.emit("open", {});
      // The outcome is handled in `settle` (joinAnswered), before any close that follows.
      this.request(/** @type {ClientMessage} */ (this.joinMessage)).catch(() => {});
    };
  }

  /**
   * @param {Error | null} error
   * @param {ServerMessage} [joined]
   */
  settleFirstJoin(error, joined) {
    const first = this.firstJoin;
    this.firstJoin = null;
    if (!first) return false;
    if (error) first.reject(error);
    else first.resolve(/** @type {ServerMessage} */ (joined));
    return true;
  }

  /**
   * @param {SignalingError | null} error the server's refusal, or null
   * @param {ServerMessage} reply
   */
  joinAnswered(error, reply) {
    if (this.settleFirstJoin(error, reply)) return;
    if (error) this.emit("rejoin-failed", error);
  }

  /**
   * Replaces the `join` sent on the next reconnect (so it carries the current mute state).
   * @param {ClientMessage} joinMessage
   */
  updateJoin(joinMessage) {
    ensure(joinMessage.type === "join", "updateJoin needs a join message");
    this.joinMessage = joinMessage;
  }

  /**
   * Sends a message with a fresh `id`; resolves with the reply that carries it as `re`,
   * rejects with `SignalingError` on an `error` reply, a timeout or a lost socket.
   * @param {ClientMessage} msg
   * @returns {Promise<ServerMessage>}
   */
  request(msg) {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      if (!this.isOpen()) {
        reject(new SignalingError(ErrorCode.DISCONNECTED, "Not connected to the meeting", msg.type));
        return;
      }
      const timer = setTimeout(() => this.timedOut(id), this.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, type: msg.type, timer });
      this.transmit({ ...msg, id });
    });
  }

  /**
   * Sends a message that has no reply (`trickle`). Returns false when the socket is not open.
   * It still gets an `id`, so that an `error` about it is told apart from other errors: such
   * errors are dispatched as `send-error` ({error, message}) instead of `error`.
   * @param {ClientMessage} msg
   */
  send(msg) {
    if (!this.isOpen()) return false;
    const id = `s${this.nextId++}`;
    this.unanswered.set(id, msg.type);
    if (this.unanswered.size > MAX_UNANSWERED) {
      this.unanswered.delete(/** @type {string} */ (this.unanswered.keys().next().value));
    }
    this.transmit({ ...msg, id });
    return true;
  }

  /**
   * @param {string} type a server message type or one of the events listed above
   * @param {Listener} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
    return () => set.delete(listener);
  }

  /** Sends `leave` and stops for good (no reconnect). */
  leave() {
    this.send(leave());
    this.stop(CloseCode.NORMAL);
  }

  /** Closes without `leave` and without reconnecting. */
  close() {
    this.stop(CloseCode.NORMAL);
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  /** @param {number} code */
  stop(code) {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.failPending("Left the meeting");
    this.settleFirstJoin(new SignalingError(ErrorCode.DISCONNECTED, "Left the meeting"));
    if (socket) {
      detach(socket);
      socket.close(code);
    }
  }

  /** @param {ClientMessage} msg */
  transmit(msg) {
    /** @type {WebSocketLike} */ (this.socket).send(JSON.stringify(msg));
  }

  /**
   * @param {WebSocketLike} socket
   * @param {unknown} data
   */
  receive(socket, data) {
    if (socket !== this.socket) return;
    const result = tryParseServerMessage(data);
    if (!result.ok) {
      this.emit("protocol-error", { error: result.error, data });
      return;
    }
    const msg = result.message;
    if (msg.type === "pong") this.awaitingPong = false;
    if (msg.type === "joined") this.joinedReceived(msg);
    if (this.settle(msg)) return;
    this.emit(msg.type, msg);
    this.emit("message", msg);
  }

  /**
   * Resolves or rejects the request the message answers. True when an error was consumed.
   * @param {ServerMessage} msg
   */
  settle(msg) {
    if (msg.re === undefined) return false;
    if (msg.type === "error" && this.unanswered.has(msg.re)) {
      const type = /** @type {string} */ (this.unanswered.get(msg.re));
      this.unanswered.delete(msg.re);
      const error = new SignalingError(/** @type {string} */ (msg.code), /** @type {string} */ (msg.message), type);
      this.emit("send-error", { error, message: msg });
      return true;
    }
    const request = this.pending.get(msg.re);
    if (!request) return false;
    this.pending.delete(msg.re);
    clearTimeout(request.timer);
    const error =
      msg.type === "error"
        ? new SignalingError(/** @type {string} */ (msg.code), /** @type {string} */ (msg.message), request.type)
        : null;
    if (request.type === "join") this.joinAnswered(error, msg);
    if (!error) {
      request.resolve(msg);
      return false;
    }
    request.reject(error);
    return true;
  }

  /** @param {ServerMessage} msg */
  joinedReceived(msg) {
    const again = this.joinedOnce;
    this.joinedOnce = true;
    this.attempt = 0;
    this.startPing();
    if (again) queueMicrotask(() => this.emit("reconnected", msg));
  }

  /**
   * @param {WebSocketLike} socket
   * @param {{code: number, reason?: string}} event
   */
  closed(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.clearTimers();
    this.failPending("The connection to the meeting was lost");
    const keptOut = event.code === KEPT_OUT_CLOSE.REMOVED || event.code === KEPT_OUT_CLOSE.MEETING_LOCKED;
    const final = this.stopped || keptOut || FINAL_CLOSE_CODES.includes(event.code);
    this.emit("close", { code: event.code, reason: event.reason ?? "", final });
    if (!final) this.scheduleReconnect();
    else this.settleFirstJoin(new SignalingError(closeCode(event.code), closeMessage(event)));
  }

  scheduleReconnect() {
    const delayMs = Math.min(this.backoffInitialMs * 2 ** this.attempt, this.backoffMaxMs);
    this.attempt += 1;
    this.emit("reconnecting", { attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open();
    }, delayMs);
  }

  startPing() {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.awaitingPong = false;
    this.pingTimer = setInterval(() => this.tick(), this.pingIntervalMs);
  }

  /** A ping still unanswered one interval later means the socket is dead: reopen it. */
  tick() {
    if (!this.isOpen()) return;
    if (this.awaitingPong) {
      this.abandon("no pong");
      return;
    }
    this.awaitingPong = true;
    this.request(ping()).catch(() => {});
  }

  clearTimers() {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.pingTimer = null;
    this.reconnectTimer = null;
  }

  /** Gives up on the current socket as if it had dropped (so it reconnects). @param {string} why */
  abandon(why) {
    const socket = this.socket;
    if (!socket) return;
    this.closed(socket, { code: ABANDONED, reason: why });
    detach(socket);
    socket.close(ABANDONED, why);
  }

  /** @param {string} id */
  timedOut(id) {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    request.reject(new SignalingError(ErrorCode.TIMEOUT, "The server did not answer", request.type));
    if (request.type === "join") this.abandon("join timed out");
  }

  /** @param {string} why */
  failPending(why) {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) {
      clearTimeout(request.timer);
      request.reject(new SignalingError(ErrorCode.DISCONNECTED, why, request.type));
    }
  }

  /**
   * @param {string} type
   * @param {unknown} payload
   */
  emit(type, payload) {
    for (const listener of [...(this.listeners.get(type) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** @param {WebSocketLike} socket */
function detach(socket) {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
}

/** @param {number} code */
function closeCode(code) {
  if (code === CloseCode.LINK_REJECTED) return ErrorCode.LINK_REJECTED;
  if (code === KEPT_OUT_CLOSE.MEETING_LOCKED) return ErrorCode.MEETING_LOCKED;
  if (code === CloseCode.MEETING_ENDED) return ErrorCode.MEETING_ENDED;
  return ErrorCode.DISCONNECTED;
}

/** @param {{code: number, reason?: string}} event */
function closeMessage(event) {
  return event.reason || `The connection closed (${event.code})`;
}
