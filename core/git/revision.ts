/**
 * The revision syntax both adapters accept, and the error for one that does
 * not resolve.
 *
 * @module
 */

import { KeelError } from "../errors.ts";

/** A parsed revision: a name and parent steps. */
export interface Revision {
  /** A ref name or a (possibly abbreviated) sha. */
  name: string;
  /** Steps applied in order: `~N` (N first parents) or `^N` (the Nth parent, 0 = itself). */
  steps: { kind: "~" | "^"; n: number }[];
}

// deno-lint-ignore no-control-regex
const _NAME = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)[^\x00-\x20\x7f~^:?*[\\]+(?<![./])$/;

/**
 * Parse `<name>(~N|^N|~|^)*`; `null` for anything else (ranges, reflog
 * selectors, `:path`, …).
 *
 * @param ref The text.
 * @returns The parsed revision, or `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRevision } from "./revision.ts";
 * assert.ok(parseRevision("main~2")?.steps[0]?.n === 2);
 * assert.ok(parseRevision("a..b") === null);
 * ```
 */
export function parseRevision(ref: string): Revision | null {
  const m = /^(.*?)((?:[~^][0-9]*)*)$/.exec(ref);
  if (m === null) return null;
  const name = m[1]!;
  if (!_NAME.test(name) || name.endsWith(".lock") || name === "@") return null;
  const steps: Revision["steps"] = [];
  for (const s of m[2]!.matchAll(/([~^])([0-9]*)/g)) {
    const n = s[2] === "" ? 1 : Number(s[2]);
    if (!Number.isSafeInteger(n)) return null;
    steps.push({ kind: s[1] as "~" | "^", n });
  }
  return { name, steps };
}

/**
 * The error both adapters throw when a revision given to them names no
 * commit.
 *
 * @param operation The port method.
 * @param ref The revision.
 * @returns A `GIT_FAILED` error with `data: {args: [operation, ref], stderr}`.
 */
export function unknownRevision(operation: string, ref: string): KeelError {
  return new KeelError("GIT_FAILED", `Cannot resolve revision "${ref}" (${operation})`, {
    data: { args: [operation, ref], stderr: `unknown revision: ${ref}` },
  });
}
