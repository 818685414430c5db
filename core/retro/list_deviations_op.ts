/**
 * `keel deviation list` / `deviation/list`: a run's accepted deviations and
 * the findings still open.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { Deviation, Finding } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { selectRun } from "./select_run.ts";
import { acceptanceOf } from "./verdict.ts";

/** Params of {@link listDeviationsOp}. */
export const ListDeviationsParams = z.strictObject({
  run: nameParam().optional().describe("Run id (default: the latest finished run)."),
});

/** Result of {@link listDeviationsOp}. */
export interface ListDeviationsResult {
  run_id: string;
  contract: string;
  verdict: "aligned" | "drifted" | null;
  /** Accepted deviations, in the order they were accepted. */
  deviations: Deviation[];
  /** Findings no deviation accepts (errors, warnings and infos). */
  open: Finding[];
}

/**
 * List a run's deviations.
 *
 * @param params `{run?}`.
 * @param ctx Operation context.
 * @returns Deviations and open findings.
 * @throws {KeelError} RUN_NOT_FOUND.
 */
export async function listDeviationsOp(
  params: z.input<typeof ListDeviationsParams>,
  ctx: OpContext,
): Promise<ListDeviationsResult> {
  params = parseParams(ListDeviationsParams, params);
  const report = await selectRun(locateKeel(ctx.cwd), params.run);
  return {
    run_id: report.run_id,
    contract: report.contract,
    verdict: report.verdict,
    deviations: report.deviations,
    open: report.findings.filter((f) => acceptanceOf(f, report.deviations) === undefined),
  };
}
