// @ts-check
/**
 * Polls (when the role's `isSupportPolling` is true): the polls this page has seen and their
 * results, the card a launched poll shows participants (radio buttons or checkboxes, Submit),
 * and the results view (the host's live results, and results the host shared with everyone).
 * The host's panel (drafting, launching, ending, sharing) is pollpanel.js.
 * @module polls
 */
import * as P from "./protocol.js";
import { h, iconButton } from "./dom.js";
import { overlay } from "./overlay.js";
import { signaling, state } from "./session.js";
import { toast } from "./toasts.js";

/** @typedef {import("./protocol.js").Poll} Poll */
/** @typedef {import("./protocol.js").PollResults} PollResults */

export const pollState = {
  /** @type {Map<string, Poll>} by id, in the order first seen */
  polls: new Map(),
  /** @type {Map<string, PollResults>} the latest results this page got, by poll */
  results: new Map(),
  /** @type {Set<string>} polls this page voted in (or was told it had) */
  voted: new Set(),
  /** @type {Set<string>} polls whose shared results are on show */
  shared: new Set(),
  /** @type {Set<string>} cards the user closed */
  closed: new Set(),
};

/** Where cards go: above the toolbar, at the right. Shown only while in the meeting (CSS). */
const cards = h("div", { class: "poll-cards", "aria-live": "polite" });
overlay.append(cards);

/** What changes the host's panel when polls change (pollpanel.js fills it in). */
export const pollHooks = { changed() {} };

/** `joined.polls`. @param {Poll[]} list */
export function setPolls(list) {
  for (const p of list) {
    pollState.polls.set(p.poll_id, p);
    if (p.voted) pollState.voted.add(p.poll_id); // voted before a reload: no card again
  }
  changed();
}

/** A poll was drafted (host), launched or ended. @param {Poll} poll */
export function updatePoll(poll) {
  pollState.polls.set(poll.poll_id, poll);
  if (poll.status === "ended") pollState.closed.delete(poll.poll_id);
  changed();
}

/** Live results (host), final results (host, on end) or shared ones (everyone). @param {PollResults} results @param {boolean} shared */
export function updateResults(results, shared) {
  const id = results.poll_id;
  pollState.results.set(id, results);
  const known = pollState.polls.get(id);
  pollState.polls.set(id, { ...(known ?? results), status: results.status });
  if (shared) {
    pollState.shared.add(id);
    pollState.closed.delete(`shared:${id}`);
  }
  changed();
}

/** This page's vote was counted. @param {string} pollId */
export function pollVoted(pollId) {
  pollState.voted.add(pollId);
  changed();
}

function changed() {
  renderCards();
  pollHooks.changed();
}

/** The cards: open polls not voted in (participants), and shared results (everyone). */
export function renderCards() {
  const shown = [];
  for (const poll of pollState.polls.values()) {
    const id = poll.poll_id;
    if (poll.status === "open" && state.role !== "host" && !pollState.closed.has(id)) shown.push(voteCard(poll));
    const results = pollState.results.get(id);
    // Hosts see the results in their polls panel.
    const sharedHere = pollState.shared.has(id) && results && state.role !== "host";
    if (sharedHere && !pollState.closed.has(`shared:${id}`)) shown.push(sharedCard(results));
  }
  // A half-filled ballot must survive redraws: keep the card that is there.
  cards.replaceChildren(...shown.map((card) => cards.querySelector(`[data-key="${card.dataset.key}"]`) ?? card));
}

/**
 * @param {string} title @param {string} testid @param {string} key what makes the card the same one
 * @param {string} closeKey what closing it remembers @param {Node[]} body
 */
function card(title, testid, key, closeKey, body) {
  return h(
    "section",
    { class: "poll-card", testid, "data-key": key, "aria-label": title },
    h(
      "header",
      { class: "panel-head" },
      h("h2", { text: title }),
      iconButton({
        icon: "close",
        label: "Close",
        class: "btn-ghost btn-small",
        onclick: () => {
          pollState.closed.add(closeKey);
          renderCards();
        },
      }),
    ),
    h("div", { class: "poll-card-body" }, ...body),
  );
}

/** @param {Poll} poll */
function voteCard(poll) {
  const key = `${poll.poll_id}:${pollState.voted.has(poll.poll_id) ? "voted" : "ballot"}`;
  if (pollState.voted.has(poll.poll_id)) {
    const done = card(poll.title, "poll-card", key, poll.poll_id, [
      h("p", { class: "muted", testid: "poll-thanks", text: "Thank you: your vote is in." }),
    ]);
    done.dataset.pollId = poll.poll_id;
    return done;
  }
  const form = h("form", { class: "poll-form" });
  poll.questions.forEach((q, qi) => {
    const multiple = q.kind === "multiple";
    const set = h(
      "fieldset",
      { class: "poll-fieldset" },
      h("legend", { text: q.text }),
      h("span", { class: "muted small", text: multiple ? "Choose one or more" : "Choose one" }),
    );
    q.options.forEach((option, oi) => {
      set.append(
        h(
          "label",
          { class: "poll-choice" },
          h("input", {
            type: multiple ? "checkbox" : "radio",
            name: `${poll.poll_id}-q${qi}`,
            value: String(oi),
            testid: "poll-choice",
            "data-question": String(qi),
          }),
          h("span", { text: option }),
        ),
      );
    });
    form.append(set);
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary", testid: "poll-submit", text: "Submit" });
  form.append(submit);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitBallot(poll, form, submit);
  });
  const el = card(poll.title, "poll-card", key, poll.poll_id, [form]);
  el.dataset.pollId = poll.poll_id;
  return el;
}

/** @param {Poll} poll @param {HTMLFormElement} form @param {HTMLButtonElement} submit */
async function submitBallot(poll, form, submit) {
  const answers = poll.questions.map((_, qi) =>
    [...form.querySelectorAll(`input[data-question="${qi}"]:checked`)].map((i) =>
      Number(/** @type {HTMLInputElement} */ (i).value),
    ),
  );
  if (answers.some((a) => a.length === 0)) return toast("Please answer every question");
  submit.disabled = true;
  try {
    await signaling.request(P.pollVote(poll.poll_id, answers));
    // `poll-voted` answers; it reaches pollVoted through events.js.
  } catch (error) {
    submit.disabled = false;
    toast(/** @type {Error} */ (error).message || "Your vote was not counted");
  }
}

/** @param {PollResults} results */
function sharedCard(results) {
  const id = results.poll_id;
  return card(`Results: ${results.title}`, "poll-shared", `shared:${id}:${results.voters}`, `shared:${id}`, [
    resultsView(results),
  ]);
}

/** Votes per option of each question, as bars. @param {PollResults} results */
export function resultsView(results) {
  const total = results.voters;
  return h(
    "div",
    { class: "poll-results", testid: "poll-results", "data-voters": String(total) },
    h("p", { class: "muted small", testid: "poll-voters", text: `${total} ${total === 1 ? "vote" : "votes"}` }),
    ...results.questions.map((q, qi) =>
      h(
        "div",
        { class: "poll-result-question" },
        h("p", { class: "poll-result-title", text: q.text }),
        ...q.options.map((option, oi) => {
          const count = results.counts[qi]?.[oi] ?? 0;
          const pct = total ? Math.round((count / total) * 100) : 0;
          return h(
            "div",
            { class: "poll-bar", testid: "poll-bar", "data-count": String(count) },
            h(
              "div",
              { class: "poll-bar-label" },
              h("span", { text: option }),
              h("span", { class: "muted", text: `${count} (${pct}%)` }),
            ),
            h("div", { class: "poll-bar-track" }, barFill(pct)),
          );
        }),
      ),
    ),
  );
}

/** The page's CSP allows no style attributes; CSSOM is fine. @param {number} pct */
function barFill(pct) {
  const fill = h("div", { class: "poll-bar-fill" });
  fill.style.width = `${pct}%`;
  return fill;
}

/** What `window.ngageMeeting.state()` shows of the polls. */
export function pollsSnapshot() {
  return {
    polls: [...pollState.polls.values()].map((p) => ({
      ...p,
      voted: pollState.voted.has(p.poll_id),
      results: pollState.results.get(p.poll_id) ?? null,
      shared: pollState.shared.has(p.poll_id),
    })),
  };
}
