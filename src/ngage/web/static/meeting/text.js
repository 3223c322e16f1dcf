// @ts-check
/**
 * Pure text helpers for what the page shows: sentences, initials, avatar colours, recording
 * notices, message times, meeting IDs.
 * @module text
 */

/** @typedef {import("./protocol.js").Recording} Recording */

/** Server messages are lower-case fragments; shown alone they read as sentences. @param {string} text */
export function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @param {string} name */
export function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return (
    letters
      .map((w) => [...w][0] ?? "")
      .join("")
      .toUpperCase() || "?"
  );
}

/** A stable colour per name, for avatars. @param {string} name */
export function hue(name) {
  let sum = 0;
  for (const ch of name) sum = (sum * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return sum;
}

/**
 * What to tell everyone when the cloud recording changes; "" when it did not.
 * @param {Recording | null} before @param {Recording | null} after @param {string} who a name, or "You"
 */
export function recordingNotice(before, after, who) {
  if (before === after) return "";
  if (after === null) return `${who} stopped recording`;
  if (after === "paused") return `${who} paused recording`;
  return `${who} ${before === "paused" ? "resumed" : "started"} recording`;
}

/** A message's time of day, as the reader's locale writes it ("14:05", "2:05 PM"). @param {number} ms */
export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

/** @param {string} id */
export function formatMeetingId(id) {
  return /^\d{9,11}$/.test(id) ? id.replace(/^(\d{3})(\d{3,4})(\d{3,4})$/, "$1 $2 $3") : id;
}
