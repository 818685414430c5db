/**
 * Finding "This reverts commit <sha>" in commit messages.
 *
 * @module
 */

import type { RevertInfo } from "./types.ts";

/**
 * Revert pairs for `shas` among ordered commits, in commit order, then in the
 * order the shas appear in each message; each pair once.
 *
 * @param commits Commits with their raw messages, already ordered.
 * @param shas Full shas or prefixes of at least 4 hex digits.
 * @returns The pairs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchReverts } from "./match_reverts.ts";
 * const a = "a".repeat(40);
 * const out = matchReverts([{ sha: "b".repeat(40), message: `Revert\n\nThis reverts commit ${a}.\n` }], [a]);
 * assert.ok(out[0]?.reverted === a);
 * ```
 */
export function matchReverts(
  commits: readonly { sha: string; message: string }[],
  shas: readonly string[],
): RevertInfo[] {
  const wanted = shas.map((s) => s.toLowerCase()).filter((s) => /^[0-9a-f]{4,40}$/.test(s));
  const out: RevertInfo[] = [];
  const seen = new Set<string>();
  for (const c of commits) {
    for (const m of c.message.matchAll(/This reverts commit ([0-9a-fA-F]{40})/g)) {
      const reverted = m[1]!.toLowerCase();
      if (!wanted.some((w) => reverted.startsWith(w))) continue;
      const key = `${reverted}:${c.sha}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ reverted, by: c.sha });
    }
  }
  return out;
}

/** The fixed text a revert message carries (for `git log --grep`). */
export const REVERT_MARKER = "This reverts commit ";
