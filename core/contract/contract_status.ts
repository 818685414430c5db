/**
 * The approval state of a contract's artifacts: draft, approved or stale.
 *
 * @module
 */

import { approvalState } from "./digest.ts";
import { type ArtifactKind, ARTIFACTS, type KeelLayout } from "../layout/mod.ts";
import { readContract } from "./read_contract.ts";

/** The state of one artifact. */
export interface ArtifactStatus {
  artifact: ArtifactKind;
  path: string;
  /** `missing` and `invalid` mean the file cannot be used at all. */
  state: "draft" | "approved" | "stale" | "missing" | "invalid";
  /** Digest of the current content (null when unreadable). */
  digest: string | null;
  /** Digest recorded at approval. */
  approved_digest: string | null;
  approved_by: string | null;
  approved_at: string | null;
  /** Why the file is invalid. */
  error: { code: string; message: string } | null;
}

/**
 * The approval state of a contract's artifacts.
 *
 * @param layout Where .keel is.
 * @param name Contract name.
 * @returns Per-artifact status.
 */
export async function contractStatus(
  layout: KeelLayout,
  name: string,
): Promise<ArtifactStatus[]> {
  const contract = await readContract(layout, name);
  const out: ArtifactStatus[] = [];
  for (const kind of ARTIFACTS) {
    const r = contract.reads[kind];
    if (!r.ok) {
      out.push({
        artifact: kind,
        path: contract.paths[kind],
        state: r.error.code === "ARTIFACT_NOT_FOUND" ? "missing" : "invalid",
        digest: null,
        approved_digest: null,
        approved_by: null,
        approved_at: null,
        error: { code: r.error.code, message: r.error.message },
      });
      continue;
    }
    const raw = r.raw as Record<string, unknown> & {
      approval: { state: string; digest: string | null; by: string | null; at: string | null };
    };
    const { state, digest } = await approvalState(raw);
    out.push({
      artifact: kind,
      path: contract.paths[kind],
      state,
      digest,
      approved_digest: raw.approval.digest,
      approved_by: raw.approval.by,
      approved_at: raw.approval.at,
      error: null,
    });
  }
  return out;
}
