// @ts-check
/**
 * The validating parser of server messages: each type keeps only its documented fields.
 * @module parse
 */

import {
  BREAKOUT_STATUSES,
  ensure,
  FEED_KINDS,
  MEDIA,
  POLL_KINDS,
  POLL_STATUSES,
  ProtocolError,
  QUESTION_STATUSES,
  RECORDING_ON,
  RECORDING_STATES,
  ROLES,
  MEMBER_ROLES,
  CALL_STATUSES,
  VERSION,
} from "./wire.js";

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
  role: oneOf(MEMBER_ROLES),
  audio_muted: bool,
  video_muted: bool,
  hand_raised: optional(bool),
  cohost: optional(bool),
  room: optional(integer),
});
const guest = object({ participant_id: ident, name: str });
/** The meeting's security settings: in `security`, and as `joined.security`. */
const securityFields = {
  locked: bool,
  waiting_room: optional(bool),
  allow_unmute: optional(bool),
  allow_share: optional(bool),
  allow_chat: optional(bool),
  allow_rename: optional(bool),
};
const securityState = object(securityFields);
const feed = object({ feed: integer, participant_id: ident, kind: oneOf(FEED_KINDS), room: optional(integer) });
const breakoutRoom = object({ room: integer, name: str, participants: arrayOf(ident) });
const breakoutState = object({ status: oneOf(BREAKOUT_STATUSES), rooms: arrayOf(breakoutRoom) });
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
const poll = object({ ...pollShape, voted: optional(bool) });
const pollResults = object({ ...pollShape, voters: integer, counts: arrayOf(arrayOf(integer)) });
const chatMessage = object({
  message_id: ident,
  from: ident,
  name: str,
  to: orNull(ident),
  to_name: orNull(str),
  text: str,
  room: optional(integer),
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
    security: optional(nullable(securityState)),
    lobby: optional(arrayOf(guest)),
    questions: optional(validItemsOf(question)),
    polls: optional(validItemsOf(poll)),
    captioner: optional(nullable(object({ participant_id: ident, name: orNull(str) }))),
    callout: optional(object({ allowed: bool, configured: bool })),
    breakout: optional(breakoutState),
  },
  waiting: { message: str },
  "meeting-started": { meeting },
  "participant-joined": { participant },
  "participant-updated": { participant },
  "participant-left": { participant_id: ident },
  "feed-added": { feed },
  "feed-removed": { feed: integer, participant_id: ident, room: optional(integer) },
  published: { kind: oneOf(FEED_KINDS), feed: integer, sdp: str },
  unpublished: { kind: oneOf(FEED_KINDS) },
  offer: { feed: integer, sdp: str },
  watching: { feed: integer },
  unwatched: { feed: integer },
  speaking: { participant_id: ident, speaking: bool },
  recording: { state: oneOf(RECORDING_STATES), by: str },
  chat: { message: chatMessage },
  reaction: { participant_id: ident, emoji: str },
  security: securityFields,
  lobby: { guests: arrayOf(guest) },
  "waiting-room": { message: str },
  admitted: { action: str, participants: arrayOf(ident) },
  "share-stopped": { message: optional(str) },
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
  "call-out": { status: oneOf(CALL_STATUSES), participant_id: ident, number: optional(str), reason: optional(str) },
  "media-restart": { message: str },
  breakout: { breakout: breakoutState },
  "breakout-broadcast": { text: str, name: str },
  "breakout-closing": { seconds: integer },
  "room-changed": { room: integer, name: str, feeds: arrayOf(feed), chat: optional(validItemsOf(chatMessage)) },
  "meeting-ended": { reason: str },
  pong: {},
  error: { code: str, message: str },
};

export const SERVER_MESSAGE_TYPES = Object.freeze(Object.keys(SERVER_MESSAGES));

/**
 * Validates one server message (the text of a frame, or an already decoded object) and
 * returns it with exactly the fields of its type. Throws `ProtocolError` when it is malformed.
 * @param {unknown} data
 * @returns {import("./wire.js").ServerMessage}
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
  const parsed = /** @type {import("./wire.js").ServerMessage} */ ({ type, ...fields });
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
 * @returns {{ok: true, message: import("./wire.js").ServerMessage} | {ok: false, error: string}}
 */
export function tryParseServerMessage(data) {
  try {
    return { ok: true, message: parseServerMessage(data) };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { ok: false, error: error.message };
  }
}
