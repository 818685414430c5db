/**
 * The human text of the guard check.
 *
 * @module
 */

import type { GuardCheckResult } from "../guard/mod.ts";

/**
 * `guard check`.
 *
 * @param r The result.
 * @returns One line per path (or that nothing is enforced).
 */
export function guardCheckText(r: GuardCheckResult): string {
  if (r.runs.length === 0) return "No active run: nothing is enforced.";
  return r.paths.map((d) => `${d.allowed ? "✓" : "✗"} ${d.path ?? d.input}  ${d.reason}`)
    .join("\n");
}
