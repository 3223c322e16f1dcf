// @ts-check
/**
 * In-meeting chat: the messages this page has seen, and the chat panel's body (the message
 * list, who to send to, and the composer). panels.js frames the body; events.js feeds it.
 * Message text is only ever set as text, never parsed as HTML.
 * @module chat
 */
import * as P from "./protocol.js";
import { h, iconButton } from "./dom.js";
import { abilities, everyone, signaling, state } from "./session.js";
import { clockTime } from "./text.js";
import { toast } from "./toasts.js";

/** @typedef {import("./protocol.js").ChatMessage} ChatMessage */

/** Who the composer sends to: null for everyone, else one participant (and the name last seen). */
/** @type {{id: string, name: string} | null} */
let recipient = null;

/** The body's parts, built once so that a draft, a scroll position and focus survive redraws. */
/**
 * @typedef {object} ChatView
 * @property {HTMLElement} scroller @property {HTMLOListElement} list @property {HTMLElement} empty
 * @property {HTMLSelectElement} select @property {HTMLTextAreaElement} input @property {Node[]} body
 */
/** @type {ChatView | null} */
let view = null;

/** @param {ChatMessage} m */
export const isMine = (m) => state.myIds.has(m.from);

/**
 * Adds the messages this page has not seen yet (by id), keeping the chat in time order.
 * @param {ChatMessage[]} messages @returns {ChatMessage[]} the new ones
 */
export function addChat(messages) {
  const known = new Set(state.chat.map((m) => m.message_id));
  const fresh = messages.filter((m) => !known.has(m.message_id) && known.add(m.message_id));
  if (fresh.length === 0) return fresh;
  state.chat.push(...fresh);
  state.chat.sort((a, b) => a.at - b.at);
  return fresh;
}

/** The list, the recipient select and the composer (the same nodes every time). @returns {Node[]} */
export function chatBody() {
  view ??= build();
  renderChat();
  renderRecipients();
  return view.body;
}

function build() {
  const list = h("ol", { class: "chat-list", role: "log", "aria-label": "Chat messages", "aria-live": "polite" });
  const empty = h("p", {
    class: "chat-empty muted small",
    text: "No messages yet. Messages go to everyone unless you pick one person below.",
  });
  const select = h("select", { id: "chat-to", class: "chat-to", testid: "chat-to", "aria-label": "Send to" });
  select.addEventListener("change", () => pick(select.value));
  const input = h("textarea", {
    id: "chat-input",
    class: "chat-input",
    testid: "chat-input",
    rows: "2",
    maxlength: String(P.MAX_CHAT_LENGTH),
    "aria-label": "Chat message",
    "aria-describedby": "chat-hint",
  });
  input.addEventListener("keydown", composerKeys);
  const scroller = h("div", { class: "chat-scroll" }, empty, list);
  return { scroller, list, empty, select, input, body: [scroller, composer(select, input)] };
}

/** @param {HTMLSelectElement} select @param {HTMLTextAreaElement} input */
function composer(select, input) {
  const send = iconButton({
    icon: "send",
    label: "Send message",
    testid: "chat-send",
    class: "btn-primary chat-send",
    onclick: sendDraft,
  });
  return h(
    "div",
    { class: "chat-compose" },
    h("label", { class: "chat-to-row" }, h("span", { class: "muted small", text: "To:" }), select),
    h("div", { class: "chat-line" }, input, send),
    h("span", { id: "chat-hint", class: "sr-only", text: "Enter sends, Shift+Enter starts a new line." }),
  );
}

/** Enter sends; Shift+Enter (and Enter while an input method composes) makes a new line. @param {KeyboardEvent} e */
function composerKeys(e) {
  if (e.key !== "Enter" || e.shiftKey || e.isComposing) return;
  e.preventDefault();
  sendDraft();
}

/**
 * The server answers with the message itself, which reaches this page as a `chat` event
 * (events.js); here only a refusal is handled. The draft goes back when it was not sent.
 */
async function sendDraft() {
  if (!view) return;
  const input = view.input;
  const text = input.value.trim();
  if (!text) return;
  let message;
  try {
    message = P.chat(text, recipient?.id ?? null);
  } catch (error) {
    return toast(/** @type {Error} */ (error).message);
  }
  input.value = "";
  try {
    await signaling.request(message);
  } catch (error) {
    if (!input.value) input.value = text;
    toast(/** @type {Error} */ (error).message || "Your message was not sent");
  }
}

/** @param {string} id a participant id, or "" for everyone */
function pick(id) {
  const p = state.participants.get(id);
  recipient = id && p ? { id, name: p.name } : null;
  renderRecipients();
}

/** Redraws the messages; stays at the bottom when it was there, or when the newest is ours. */
export function renderChat() {
  if (!view) return;
  const { scroller, list, empty } = view;
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  list.replaceChildren(...state.chat.map(messageItem));
  empty.hidden = state.chat.length > 0;
  const newest = state.chat[state.chat.length - 1];
  if (atBottom || (newest && isMine(newest))) scroller.scrollTop = scroller.scrollHeight;
}

/** The panel was opened: show the newest messages and put the cursor in the composer. */
export function chatOpened() {
  if (!view) return;
  view.scroller.scrollTop = view.scroller.scrollHeight;
  view.input.focus();
}

/** @param {ChatMessage} m */
function messageItem(m) {
  const mine = isMine(m);
  const privately = m.to !== null;
  const at = new Date(m.at);
  return h(
    "li",
    {
      class: `chat-message${mine ? " mine" : ""}${privately ? " private" : ""}`,
      testid: "chat-message",
      "data-private": String(privately),
      "data-message-id": m.message_id,
      "data-from": m.from,
    },
    h(
      "div",
      { class: "chat-meta" },
      h("span", { class: "chat-from", text: m.name }),
      mine ? h("span", { class: "muted", text: "(you)" }) : null,
      privately ? h("span", { class: "chat-private", testid: "chat-private", text: privateNote(m, mine) }) : null,
      h("time", { class: "chat-time", datetime: at.toISOString(), title: at.toLocaleString(), text: clockTime(m.at) }),
    ),
    h("p", { class: "chat-text", text: m.text }),
  );
}

/** @param {ChatMessage} m @param {boolean} mine */
function privateNote(m, mine) {
  if (!mine && m.to !== null && state.myIds.has(m.to)) return "to you (privately)";
  return `privately to ${m.to_name || "someone"}`;
}

/**
 * "Everyone" and each other participant. A chosen person who left stays chosen, marked as
 * gone (the server then refuses the message), so a private message never goes to everyone.
 */
export function renderRecipients() {
  if (!view) return;
  const { select, input } = view;
  const everyoneAllowed = abilities().chatEveryone;
  // Where the host allows chat with the hosts only, only they can be picked.
  const others = everyone().filter(
    (p) => p.participant_id !== state.selfId && (everyoneAllowed || p.role === "host" || p.cohost === true),
  );
  if (!everyoneAllowed && !recipient && others[0]) recipient = { id: others[0].participant_id, name: others[0].name };
  const here = recipient && others.find((p) => p.participant_id === recipient?.id);
  if (recipient && here) recipient.name = here.name;
  /** @type {[string, string][]} */
  const options = [
    ...(everyoneAllowed ? /** @type {[string, string][]} */ ([["", "Everyone"]]) : []),
    ...others.map((p) => /** @type {[string, string]} */ ([p.participant_id, p.name])),
  ];
  if (recipient && !here) options.push([recipient.id, `${recipient.name} (left the meeting)`]);
  // Rebuilding the options closes an open dropdown: only do it when they changed.
  const key = JSON.stringify(options);
  if (select.dataset.options !== key) {
    select.replaceChildren(...options.map(([value, text]) => h("option", { value, text })));
    select.dataset.options = key;
  }
  select.value = recipient?.id ?? "";
  input.disabled = !everyoneAllowed && !recipient;
  if (input.disabled) input.placeholder = "The host allows chat with the hosts only";
  else input.placeholder = recipient ? `Message ${recipient.name} privately` : "Message everyone";
}

/** What `window.ngageMeeting.state()` shows of the chat. */
export function chatSnapshot() {
  return { chat: state.chat.map((m) => ({ ...m })), unread: state.unread };
}
