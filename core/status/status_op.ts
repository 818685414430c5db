/**
 * `keel status` / `contract/status`: draft, approved or stale per artifact,
 * and the active run.
 *
 * @module
 */

import { z } from "zod";
import type { OpContext } from "../context.ts";
import { type ArtifactStatus, contractStatus } from "../contract/mod.ts";
import { DEFAULT_CONTRACT, locateKeel, requireContract } from "../layout/mod.ts";
import { listRunIds, loadRunReport, readActiveRun } from "../run_store/mod.ts";

/** Params of {@link statusOp}. */
export const StatusParams = z.strictObject({
  contract: z.string().optional().describe("Contract name (default: default)."),
});

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
