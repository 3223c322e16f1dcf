// @ts-check
/**
 * `Signaling`: one WebSocket with request ids, replies as Promises, events, ping, reconnect.
 * @module signaling
 */

import { tryParseServerMessage } from "./parse.js";
import {
  CloseCode,
  ensure,
  ErrorCode,
  FINAL_CLOSE_CODES,
  KEPT_OUT_CLOSE,
  leave,
  ping,
  SignalingError,
} from "./wire.js";

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
    /** @type {import("./wire.js").ClientMessage | null} */
    this.joinMessage = null;
    /** @type {Map<string, {resolve: (m: import("./wire.js").ServerMessage) => void, reject: (e: Error) => void, type: string, timer: ReturnType<typeof setTimeout>}>} */
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
    /** @type {{resolve: (m: import("./wire.js").ServerMessage) => void, reject: (e: Error) => void} | null} */
    this.firstJoin = null;
  }

  /**
   * Opens the socket and joins. Resolves with the first `joined`; rejects when the server
   * refuses that `join` or closes for good before it. Lost sockets are reopened with backoff
   * and the same `join` is sent again (listen to `joined` to see every join).
   * @param {import("./wire.js").ClientMessage} joinMessage built with `join()`
   * @returns {Promise<import("./wire.js").ServerMessage>}
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
      this.request(/** @type {import("./wire.js").ClientMessage} */ (this.joinMessage)).catch(() => {});
    };
  }

  /**
   * @param {Error | null} error
   * @param {import("./wire.js").ServerMessage} [joined]
   */
  settleFirstJoin(error, joined) {
    const first = this.firstJoin;
    this.firstJoin = null;
    if (!first) return false;
    if (error) first.reject(error);
    else first.resolve(/** @type {import("./wire.js").ServerMessage} */ (joined));
    return true;
  }

  /**
   * @param {SignalingError | null} error the server's refusal, or null
   * @param {import("./wire.js").ServerMessage} reply
   */
  joinAnswered(error, reply) {
    if (this.settleFirstJoin(error, reply)) return;
    if (error) this.emit("rejoin-failed", error);
  }

  /**
   * Replaces the `join` sent on the next reconnect (so it carries the current mute state).
   * @param {import("./wire.js").ClientMessage} joinMessage
   */
  updateJoin(joinMessage) {
    ensure(joinMessage.type === "join", "updateJoin needs a join message");
    this.joinMessage = joinMessage;
  }

  /**
   * Sends a message with a fresh `id`; resolves with the reply that carries it as `re`,
   * rejects with `SignalingError` on an `error` reply, a timeout or a lost socket.
   * @param {import("./wire.js").ClientMessage} msg
   * @returns {Promise<import("./wire.js").ServerMessage>}
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
   * @param {import("./wire.js").ClientMessage} msg
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

  /** @param {import("./wire.js").ClientMessage} msg */
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
    if (msg.type === "waiting-room") this.heldInWaitingRoom();
    if (this.settle(msg)) return;
    this.emit(msg.type, msg);
    this.emit("message", msg);
  }

  /**
   * Resolves or rejects the request the message answers. True when an error was consumed.
   * @param {import("./wire.js").ServerMessage} msg
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

  /** The `join` waits for the host's decision, however long it takes: no time-out for it. */
  heldInWaitingRoom() {
    for (const request of this.pending.values()) if (request.type === "join") clearTimeout(request.timer);
  }

  /** @param {import("./wire.js").ServerMessage} msg */
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
    const keptOut = /** @type {readonly number[]} */ (Object.values(KEPT_OUT_CLOSE)).includes(event.code);
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
  if (code === KEPT_OUT_CLOSE.DENIED) return ErrorCode.DENIED;
  if (code === CloseCode.MEETING_ENDED) return ErrorCode.MEETING_ENDED;
  return ErrorCode.DISCONNECTED;
}

/** @param {{code: number, reason?: string}} event */
function closeMessage(event) {
  return event.reason || `The connection closed (${event.code})`;
}
