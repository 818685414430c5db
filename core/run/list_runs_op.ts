/**
 * `keel run list` / `run/list`: every run of the repository, oldest first.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { listRunIds, loadRunReport } from "./run_store.ts";

/** Params of {@link listRunsOp}. */
export const ListRunsParams = z.strictObject({
  contract: nameParam().optional().describe("Only runs of this contract."),
});

/** One run in the list. */
export interface RunListEntry {
  run_id: string;
  contract: string;
  state: "running" | "finished" | "unreadable";
  verdict: "aligned" | "drifted" | null;
  agent: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Why the report cannot be read (state `unreadable`). */
  problem?: string;
}

/** Result of {@link listRunsOp}. */
export interface ListRunsResult {
  runs: RunListEntry[];
}

/**
 * List runs (ULIDs sort by time). A report that cannot be read is listed as
 * `unreadable` with the reason, not hidden.
 *
 * @param params `{contract?}`.
 * @param ctx Operation context.
 * @returns The runs, oldest first.
 * @throws {KeelError} REPO_NOT_FOUND outside a repository.
 */
export async function listRunsOp(
  params: z.input<typeof ListRunsParams>,
  ctx: OpContext,
): Promise<ListRunsResult> {
  params = parseParams(ListRunsParams, params);
  const p = ListRunsParams.parse(params);
  const layout = locateKeel(ctx.cwd);
  const runs: RunListEntry[] = [];
  for (const id of listRunIds(layout)) {
    try {
      const r = await loadRunReport(layout, id);
      if (p.contract !== undefined && r.contract !== p.contract) continue;
      runs.push({
        run_id: r.run_id,
        contract: r.contract,
        state: r.state,
        verdict: r.verdict,
        agent: r.meta.agent,
        started_at: r.meta.started_at,
        finished_at: r.meta.finished_at,
      });
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      if (p.contract !== undefined) continue;
      runs.push({
        run_id: id,
        contract: "?",
        state: "unreadable",
        verdict: null,
        agent: null,
        started_at: null,
        finished_at: null,
        problem: `${error.code}: ${error.message}`,
      });
    }
  }
  return { runs };
}
