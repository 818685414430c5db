/**
 * Approval digests: sha256 over the canonical JSON of an artifact without
 * its `approval` block.
 *
 * @module
 */

import { canonicalJson, sha256Hex } from "../util/mod.ts";

/**
 * The digest of an artifact's content.
 *
 * @param artifact A parsed artifact (with or without `approval`).
 * @returns Lowercase hex sha256.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactDigest } from "./digest.ts";
 * const a = await artifactDigest({ goal: "x", approval: { state: "draft" } });
 * const b = await artifactDigest({ goal: "x" });
 * assert(a === b);
 * ```
 */
export async function artifactDigest(artifact: Record<string, unknown>): Promise<string> {
  const { approval: _approval, ...content } = artifact;
  return await sha256Hex(canonicalJson(content));
}

/** The state of an approvable artifact. */
export type ApprovalState = "draft" | "approved" | "stale";

/**
 * Whether an artifact is draft, approved (and unchanged since) or stale.
 *
 * @param artifact A parsed artifact.
 * @returns The state and the current digest.
 */
export async function approvalState(
  artifact: { approval: { state: string; digest: string | null } } & Record<string, unknown>,
): Promise<{ state: ApprovalState; digest: string }> {
  const digest = await artifactDigest(artifact);
  if (artifact.approval.state !== "approved") return { state: "draft", digest };
  return { state: artifact.approval.digest === digest ? "approved" : "stale", digest };
}
