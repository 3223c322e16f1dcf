// @ts-check
/**
 * Q&A (when the role's `isSupportQA` is true): the questions this page has seen, and the Q&A
 * panel's body: the ask box (optionally anonymous), the list sorted by votes with an upvote
 * button, and for the host an answer box and dismiss. panels.js frames the body; events.js
 * feeds it. Question text is only ever set as text.
 * @module questions
 */
import * as P from "./protocol.js";
import { h } from "./dom.js";
import { redraw, state } from "./session.js";
import { requestOrSay, toast } from "./toasts.js";

/** @typedef {import("./protocol.js").Question} Question */

export const qa = {
  /** @type {Map<string, Question>} by id, in the order first seen */
  questions: new Map(),
  /** Questions that came while the panel was closed. */
  unread: 0,
  open: false,
};

/**
 * @typedef {object} QaView
 * @property {HTMLOListElement} list @property {HTMLElement} empty @property {HTMLTextAreaElement} input
 * @property {HTMLInputElement} anonymous @property {Node[]} body
 */
/** @type {QaView | null} */
let view = null;
/** The host's answer drafts, by question, kept across redraws. @type {Map<string, HTMLInputElement>} */
const answerBoxes = new Map();

/** `joined.questions`: the list as it is now (voted and mine are this page's). @param {Question[]} list */
export function setQuestions(list) {
  qa.questions = new Map(list.map((q) => [q.question_id, { ...q, voted: !!q.voted, mine: !!q.mine }]));
  renderQuestions();
}

/**
 * A question was asked, voted, answered or dismissed. Copies that answer another's action
 * carry no `voted`/`mine` of this page: it keeps its own.
 * @param {Question} q @param {boolean} mineToo the copy answers this page's own request
 */
export function updateQuestion(q, mineToo) {
  const known = qa.questions.get(q.question_id);
  const next = mineToo
    ? { ...q, voted: !!q.voted, mine: !!q.mine }
    : { ...q, voted: known?.voted ?? false, mine: known?.mine ?? false };
  qa.questions.set(q.question_id, next);
  if (!known && !mineToo && !qa.open) {
    qa.unread += 1;
    redraw.toolbar();
  }
  renderQuestions();
}

/** The panel was opened (which reads what came while it was closed) or closed. @param {boolean} open */
export function questionsOpened(open) {
  qa.open = open;
  if (open) qa.unread = 0;
}

/** The panel is on show: put the cursor in the ask box. */
export function focusQuestions() {
  view?.input.focus();
}

/** Open first, then answered, dismissed last; most votes first; then in the order asked. */
export function ranked() {
  const order = { open: 0, answered: 1, dismissed: 2 };
  const host = state.role === "host";
  return [...qa.questions.values()]
    .filter((q) => host || q.status !== "dismissed" || q.mine)
    .map((q, i) => ({ q, i }))
    .sort((a, b) => order[a.q.status] - order[b.q.status] || b.q.votes - a.q.votes || a.i - b.i)
    .map(({ q }) => q);
}

/** The ask box and the list (the same nodes every time). @returns {Node[]} */
export function questionsBody() {
  view ??= build();
  renderQuestions();
  return view.body;
}

function build() {
  const list = h("ol", { class: "qa-list", testid: "qa-list", "aria-label": "Questions" });
  const empty = h("p", { class: "muted small", text: "No questions yet. Ask the first one." });
  const input = h("textarea", {
    class: "chat-input",
    testid: "qa-input",
    rows: "2",
    maxlength: String(P.MAX_QUESTION_LENGTH),
    placeholder: "Ask a question",
    "aria-label": "Your question",
  });
  input.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    askDraft();
  });
  const anonymous = h("input", { type: "checkbox", id: "qa-anonymous", testid: "qa-anonymous" });
  const askButton = h("button", {
    type: "button",
    class: "btn btn-primary btn-small",
    testid: "qa-ask",
    text: "Ask",
    onclick: askDraft,
  });
  const composer = h(
    "div",
    { class: "chat-compose qa-compose" },
    input,
    h(
      "div",
      { class: "qa-compose-row" },
      h("label", { class: "qa-anon", for: "qa-anonymous" }, anonymous, h("span", { text: "Ask anonymously" })),
      askButton,
    ),
  );
  const scroller = h("div", { class: "chat-scroll" }, empty, list);
  return { list, empty, input, anonymous, body: [scroller, composer] };
}

async function askDraft() {
  if (!view) return;
  const { input, anonymous } = view;
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  if (!(await requestOrSay(P.askQuestion(text, anonymous.checked), "Your question was not sent")) && !input.value)
    input.value = text;
}

export function renderQuestions() {
  if (!view) return;
  const shown = ranked();
  view.list.replaceChildren(...shown.map(questionItem));
  view.empty.hidden = shown.length > 0;
}

/** @param {Question} q */
function questionItem(q) {
  const host = state.role === "host";
  const status =
    q.status === "open" ? null : h("span", { class: `tag qa-status-${q.status}`, text: q.status, testid: "qa-status" });
  const voteButton = h(
    "button",
    {
      type: "button",
      class: `btn btn-small qa-vote${q.voted ? " on" : ""}`,
      testid: "qa-vote",
      "aria-pressed": String(q.voted),
      "aria-label": q.voted ? `Take back your vote (${q.votes} votes)` : `Upvote (${q.votes} votes)`,
      title: q.voted ? "Take back your vote" : "Upvote",
      disabled: q.status === "dismissed",
      onclick: () => requestOrSay(P.vote(q.question_id), "Your vote was not counted"),
    },
    h("span", { text: "▲", "aria-hidden": "true" }),
    h("span", { class: "qa-votes", testid: "qa-votes", text: String(q.votes) }),
  );
  return h(
    "li",
    {
      class: `qa-question qa-${q.status}${q.mine ? " mine" : ""}`,
      testid: "qa-question",
      "data-question-id": q.question_id,
      "data-status": q.status,
    },
    voteButton,
    h(
      "div",
      { class: "qa-main" },
      h(
        "div",
        { class: "chat-meta" },
        h("span", { class: "chat-from", text: q.name }),
        q.mine ? h("span", { class: "muted", text: "(you)" }) : null,
        status,
      ),
      h("p", { class: "chat-text qa-text", testid: "qa-text", text: q.text }),
      q.answer ? h("p", { class: "qa-answer-text", testid: "qa-answer-text", text: q.answer }) : null,
      host && q.status !== "dismissed" ? hostControls(q) : null,
    ),
  );
}

/** The host's answer box, "Answered" and "Dismiss". @param {Question} q */
function hostControls(q) {
  const id = q.question_id;
  let box = answerBoxes.get(id);
  if (!box) {
    const el = h("input", {
      type: "text",
      class: "qa-answer",
      testid: "qa-answer",
      maxlength: String(P.MAX_QUESTION_LENGTH),
      placeholder: "Type an answer, Enter sends",
      "aria-label": "Answer",
    });
    el.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || e.isComposing) return;
      e.preventDefault();
      answer(id, el);
    });
    answerBoxes.set(id, el);
    box = el;
  }
  const answerBox = box;
  return h(
    "div",
    { class: "qa-host" },
    answerBox,
    h(
      "div",
      { class: "qa-host-buttons" },
      h("button", {
        type: "button",
        class: "btn btn-small person-action",
        testid: "qa-answer-send",
        text: "Answer",
        onclick: () => answer(id, answerBox),
      }),
      q.status === "open"
        ? h("button", {
            type: "button",
            class: "btn btn-small person-action",
            testid: "qa-mark-answered",
            text: "Mark answered",
            onclick: () => requestOrSay(P.questionAction(id, "mark-answered"), "Could not mark it answered"),
          })
        : null,
      h("button", {
        type: "button",
        class: "btn btn-small person-action danger",
        testid: "qa-dismiss",
        text: "Dismiss",
        onclick: () => requestOrSay(P.questionAction(id, "dismiss"), "Could not dismiss it"),
      }),
    ),
  );
}

/** @param {string} id @param {HTMLInputElement} box */
async function answer(id, box) {
  const text = box.value.trim();
  if (!text) return;
  box.value = "";
  if (!(await requestOrSay(P.questionAction(id, "answer", text), "The answer was not sent")) && !box.value)
    box.value = text;
}

/** What `window.ngageMeeting.state()` shows of the Q&A. */
export function questionsSnapshot() {
  return { questions: ranked().map((q) => ({ ...q })), questionsUnread: qa.unread };
}
