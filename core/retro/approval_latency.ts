/**
 * Approval latency: minutes from the first draft of a contract's artifacts
 * to the last approval. The one measure, used by the trust metrics and the
 * retrospective (which rounds it only to print it).
 *
 * @module
 */

/**
 * Approval latency of a contract: the last approval `at` minus the first
 * `proposed_at`, in minutes, over the artifacts that carry both. Null when
 * none does (contracts written before keel recorded `proposed_at`).
 *
 * @param approvals The approval blocks of the three artifacts.
 * @returns Minutes, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { approvalLatencyMinutes } from "./approval_latency.ts";
 * const a = { at: "2026-01-01T10:30:00Z", proposed_at: "2026-01-01T10:00:00Z" };
 * assert(approvalLatencyMinutes([a]) === 30);
 * ```
 */
export function approvalLatencyMinutes(
  approvals: readonly { at: string | null; proposed_at?: string | null | undefined }[],
): number | null {
  const both = approvals.filter((a) => a.at && a.proposed_at);
  if (both.length === 0) return null;
  const first = Math.min(...both.map((a) => Date.parse(a.proposed_at!)));
  const last = Math.max(...both.map((a) => Date.parse(a.at!)));
  if (!Number.isFinite(first) || !Number.isFinite(last)) return null;
  return Math.max(0, (last - first) / 60_000);
}
