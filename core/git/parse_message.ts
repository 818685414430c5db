/**
 * Commit messages: subject, body and trailers, parsed the same way for both
 * git adapters.
 *
 * @module
 */

/** A parsed commit message. */
export interface ParsedMessage {
  /** First paragraph, its lines trimmed and joined with one space. */
  subject: string;
  /** Everything after the subject paragraph, without leading blank lines, trimmed at the end. */
  body: string;
  /** Trailers of the body's last paragraph, keys as written, values in order. */
  trailers: Record<string, string[]>;
}

const _TRAILER = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;

/**
 * Parse a raw commit message.
 *
 * The trailer block is the last paragraph of the body when every line of it
 * is `Key: value` or a continuation line (starting with a space or tab) of
 * the trailer above. Values are trimmed; continuations are joined with one
 * space.
 *
 * @param message The message as stored in the commit.
 * @returns Subject, body and trailers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommitMessage } from "./parse_message.ts";
 * const m = parseCommitMessage("Add x\n\nWhy.\n\nKeel-Unit: u1\n");
 * assert.ok(m.subject === "Add x" && m.trailers["Keel-Unit"]?.[0] === "u1");
 * ```
 */
export function parseCommitMessage(message: string): ParsedMessage {
  const lines = message.replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const subjectLines: string[] = [];
  while (i < lines.length && lines[i]!.trim() !== "") subjectLines.push(lines[i++]!.trim());
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const body = lines.slice(i).join("\n").trimEnd();
  return {
    subject: subjectLines.join(" "),
    body,
    trailers: body === "" ? {} : _trailers(body),
  };
}

function _trailers(body: string): Record<string, string[]> {
  const lines = body.split("\n");
  let start = lines.length;
  while (start > 0 && lines[start - 1]!.trim() !== "") start--;
  const block = lines.slice(start);
  const pairs: [string, string][] = [];
  for (const line of block) {
    if (/^[ \t]/.test(line)) {
      const last = pairs[pairs.length - 1];
      if (last === undefined) return {};
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const m = _TRAILER.exec(line);
    if (m === null) return {};
    pairs.push([m[1]!, m[2]!.trim()]);
  }
  const out: Record<string, string[]> = {};
  for (const [k, v] of pairs) (out[k] ??= []).push(v);
  return out;
}
