// @ts-check
/**
 * The host's polls panel body: a simple draft form (a title; questions, each single or multiple
 * choice with its options), and the polls with Launch, End, live results and Share.
 * panels.js frames it; polls.js holds the polls.
 * @module pollpanel
 */
import * as P from "./protocol.js";
import { h } from "./dom.js";
import { pollHooks, pollState, resultsView } from "./polls.js";
import { requestOrSay, toast } from "./toasts.js";

/** @typedef {import("./protocol.js").Poll} Poll */

const MAX_QUESTIONS = 10;
const MAX_OPTIONS = 10;

/** @type {{list: HTMLElement, form: HTMLElement, title: HTMLInputElement, questions: HTMLElement, body: Node[]} | null} */
let view = null;

pollHooks.changed = renderPollList;

/** The form and the list (the same nodes every time, so a draft survives redraws). @returns {Node[]} */
export function pollPanelBody() {
  view ??= build();
  renderPollList();
  return view.body;
}

function build() {
  const title = h("input", {
    type: "text",
    class: "poll-input",
    testid: "poll-title",
    maxlength: "200",
    placeholder: "Poll title",
    "aria-label": "Poll title",
  });
  const questions = h("div", { class: "poll-draft-questions" });
  questions.append(questionBlock());
  const addQuestion = h("button", {
    type: "button",
    class: "btn btn-small person-action",
    testid: "poll-add-question",
    text: "+ Question",
    onclick: () => {
      if (questions.children.length >= MAX_QUESTIONS) return toast("A poll has at most 10 questions");
      questions.append(questionBlock());
    },
  });
  const save = h("button", {
    type: "button",
    class: "btn btn-primary btn-small",
    testid: "poll-draft",
    text: "Save draft",
    onclick: () => saveDraft(),
  });
  const form = h(
    "div",
    { class: "poll-draft-form", testid: "poll-draft-form" },
    h("h3", { class: "poll-section", text: "New poll" }),
    title,
    questions,
    h("div", { class: "poll-draft-actions" }, addQuestion, save),
  );
  const list = h("ol", { class: "poll-list", testid: "poll-list", "aria-label": "Polls" });
  return { list, form, title, questions, body: [list, form] };
}

function questionBlock() {
  const options = h("div", { class: "poll-draft-options" }, optionInput(), optionInput());
  const kind = h(
    "select",
    { class: "poll-kind", testid: "poll-kind", "aria-label": "Answer type" },
    h("option", { value: "single", text: "Single choice" }),
    h("option", { value: "multiple", text: "Multiple choice" }),
  );
  const addOption = h("button", {
    type: "button",
    class: "btn btn-small btn-ghost",
    testid: "poll-add-option",
    text: "+ Option",
    onclick: () => {
      if (options.children.length >= MAX_OPTIONS) return toast("A question has at most 10 options");
      options.append(optionInput());
    },
  });
  return h(
    "fieldset",
    { class: "poll-draft-question" },
    h("input", {
      type: "text",
      class: "poll-input",
      testid: "poll-question",
      maxlength: "300",
      placeholder: "Question",
      "aria-label": "Question",
    }),
    kind,
    options,
    addOption,
  );
}

function optionInput() {
  return h("input", {
    type: "text",
    class: "poll-input poll-option",
    testid: "poll-option",
    maxlength: "200",
    placeholder: "Option",
    "aria-label": "Option",
  });
}

/** What the form holds (empty options are left out). */
function readDraft() {
  if (!view) return null;
  /** @type {P.PollQuestion[]} */
  const questions = [...view.questions.querySelectorAll(".poll-draft-question")].map((block) => ({
    text: /** @type {HTMLInputElement} */ (block.querySelector('[data-testid="poll-question"]')).value.trim(),
    kind: /** @type {"single" | "multiple"} */ (/** @type {HTMLSelectElement} */ (block.querySelector("select")).value),
    options: [...block.querySelectorAll('[data-testid="poll-option"]')]
      .map((i) => /** @type {HTMLInputElement} */ (i).value.trim())
      .filter((o) => o.length > 0),
  }));
  return { title: view.title.value.trim(), questions };
}

async function saveDraft() {
  const draft = readDraft();
  if (!view || !draft) return;
  let message;
  try {
    message = P.pollDraft(draft.title, draft.questions);
  } catch (error) {
    return toast(/** @type {Error} */ (error).message);
  }
  if (!(await requestOrSay(message, "The poll was not saved"))) return;
  view.title.value = "";
  view.questions.replaceChildren(questionBlock());
}

export function renderPollList() {
  if (!view) return;
  const polls = [...pollState.polls.values()];
  view.list.replaceChildren(...polls.map(pollItem));
  view.list.hidden = polls.length === 0;
}

/** @param {Poll} poll */
function pollItem(poll) {
  const id = poll.poll_id;
  const results = pollState.results.get(id) ?? {
    ...poll,
    voters: 0,
    counts: poll.questions.map((q) => q.options.map(() => 0)),
  };
  /** @type {(HTMLElement | null)[]} */
  const actions = [];
  if (poll.status === "draft")
    actions.push(
      action("Launch", "poll-launch", () => requestOrSay(P.pollAction("launch", id), "The poll was not launched")),
    );
  if (poll.status === "open")
    actions.push(action("End poll", "poll-end", () => requestOrSay(P.pollAction("end", id), "The poll was not ended")));
  if (poll.status === "ended")
    actions.push(
      pollState.shared.has(id)
        ? h("span", { class: "muted small", testid: "poll-shared-note", text: "Results shared" })
        : action("Share results", "poll-share", () =>
            requestOrSay(P.pollAction("share", id), "The results were not shared"),
          ),
    );
  return h(
    "li",
    { class: "poll-item", testid: "poll-item", "data-poll-id": id, "data-status": poll.status },
    h(
      "div",
      { class: "chat-meta" },
      h("span", { class: "chat-from", text: poll.title }),
      h("span", { class: `tag poll-status-${poll.status}`, testid: "poll-status", text: poll.status }),
    ),
    poll.status === "draft"
      ? h("p", { class: "muted small", text: `${poll.questions.length} question(s), not launched yet` })
      : resultsView(results),
    h("div", { class: "poll-item-actions" }, ...actions),
  );
}

/** @param {string} text @param {string} testid @param {() => void} onclick */
function action(text, testid, onclick) {
  return h("button", { type: "button", class: "btn btn-small btn-primary", testid, text, onclick });
}
