/**
 * The approval gate: a contract may be worked on (a run started, a brief
 * given) only when intent, test contract and commit plan are all approved
 * and unchanged since approval.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import type { KeelLayout } from "./layout.ts";
import { readContract } from "./read_contract.ts";
import { type ArtifactStatus, contractStatus } from "../status/mod.ts";

/**
 * Refuse a contract that is not approved and fresh.
 *
 * @param layout Where .keel is.
 * @param name Contract name (must exist).
 * @param options `action`: what is refused, for the message (default "start a run").
 * @returns The artifact statuses (all approved).
 * @throws {KeelError} CONTRACT_NOT_APPROVED / CONTRACT_STALE naming each
 *   offending artifact; ARTIFACT_* when an artifact cannot be read.
 */
export async function requireApprovedContract(
  layout: KeelLayout,
  name: string,
  options: { action?: string } = {},
): Promise<ArtifactStatus[]> {
  const action = options.action ?? "start a run";
  const statuses = await contractStatus(layout, name);
  const unreadable = statuses.find((s) => s.state === "missing" || s.state === "invalid");
  if (unreadable) {
    const contract = await readContract(layout, name);
    const read = contract.reads[unreadable.artifact];
    if (!read.ok) throw read.error;
  }
  const offending = statuses.filter((s) => s.state !== "approved");
  if (offending.length > 0) {
    const artifacts = offending.map((s) => ({
      artifact: s.artifact,
      path: s.path,
      state: s.state,
    }));
    const onlyStale = offending.every((s) => s.state === "stale");
    const list = offending.map((s) => `${s.path} (${s.state})`).join(", ");
    throw new KeelError(
      onlyStale ? "CONTRACT_STALE" : "CONTRACT_NOT_APPROVED",
      onlyStale
        ? `Cannot ${action}: changed since approval: ${list}. Review and approve again.`
        : `Cannot ${action}: not approved: ${list}. Run \`keel approve\` first.`,
      { data: { contract: name, artifacts } },
    );
  }
  return statuses;
}
