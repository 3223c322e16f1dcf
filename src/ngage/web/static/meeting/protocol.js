// @ts-check
/**
 * The meeting signaling protocol, version 1 (docs/protocol.md), without any DOM:
 * builders for client messages, a validating parser for server messages, and `Signaling`,
 * which owns the WebSocket (request ids, replies as Promises, events, ping, reconnect).
 * @module protocol
 */

export * from "./wire.js";
export * from "./parse.js";
export * from "./signaling.js";
