/**
 * `keel status` / `contract/status`: draft, approved or stale per artifact,
 * and the active run.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { OpContext } from "../context.ts";
import { readActiveRun } from "../run/active_run.ts";
import { listRunIds, loadRunReport } from "../run/run_store.ts";
import { approvalState } from "./digest.ts";
import {
  type ArtifactKind,
  ARTIFACTS,
  DEFAULT_CONTRACT,
  type KeelLayout,
  locateKeel,
  requireContract,
} from "./layout.ts";
import { readContract } from "./read_contract.ts";

/** Params of {@link statusOp}. */
export const StatusParams = z.strictObject({
  contract: nameParam().optional().describe("Contract name (default: default)."),
});

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

/** Result of {@link statusOp}. */
export interface StatusResult {
  contract: string;
  artifacts: ArtifactStatus[];
  /** All three approved and unchanged since approval. */
  ready: boolean;
  active_run: { run_id: string; started_at: string } | null;
  /** The contract's latest finished run, so "ready" never reads as "nothing happened yet". */
  last_finished_run: {
    run_id: string;
    verdict: "aligned" | "drifted" | null;
    finished_at: string | null;
  } | null;
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

/**
 * Status of a contract.
 *
 * @param params `{contract?}`.
 * @param ctx Operation context.
 * @returns The status.
 * @throws {KeelError} CONTRACT_NOT_FOUND.
 */
export async function statusOp(
  params: z.input<typeof StatusParams>,
  ctx: OpContext,
): Promise<StatusResult> {
  params = parseParams(StatusParams, params);
  const layout = locateKeel(ctx.cwd);
  const name = params.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  const artifacts = await contractStatus(layout, name);
  const active = await readActiveRun(layout, name);
  let last: StatusResult["last_finished_run"] = null;
  for (const id of listRunIds(layout).reverse()) {
    const r = await loadRunReport(layout, id).catch(() => null);
    if (r && r.contract === name && r.state === "finished") {
      last = { run_id: r.run_id, verdict: r.verdict, finished_at: r.meta.finished_at };
      break;
    }
  }
  return {
    contract: name,
    artifacts,
    ready: artifacts.every((a) => a.state === "approved"),
    active_run: active,
    last_finished_run: last,
  };
}
