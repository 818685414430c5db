/**
 * `run/report` and `keel drift` / `drift/show`: a run's report and findings
 * again, optionally re-analysed from git.
 *
 * @module
 */

import { z } from "zod";
import type { RunReport } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { applyAnalysis, collectRunFacts } from "../drift/mod.ts";
import { resolveAnyRun } from "./resolve_run.ts";
import { updateRunReport } from "./run_store.ts";

/** Params of {@link runReportOp}. */
export const RunReportParams = z.strictObject({
  run: z.string().optional().describe("Run id (default: the latest run)."),
  contract: z.string().optional().describe("Only runs of this contract."),
});

/**
 * A run's report as stored.
 *
 * @param params `{run?, contract?}`.
 * @param ctx Operation context.
 * @returns The report (latest run when no id is given; ULIDs sort by time).
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID.
 */
export async function runReportOp(
  params: z.input<typeof RunReportParams>,
  ctx: OpContext,
): Promise<RunReport> {
  return await resolveAnyRun(locateKeel(ctx.cwd), params);
}

/** Params of {@link driftOp}. */
export const DriftParams = z.strictObject({
  run: z.string().optional().describe("Run id (default: the latest run)."),
  contract: z.string().optional().describe("Only runs of this contract."),
  reanalyze: z.boolean().optional().describe(
    "Recompute the findings from git and rewrite the report (a finished run).",
  ),
});

/**
 * A run's findings. A finished run shows what `run finish` wrote, or with
 * `reanalyze` a fresh analysis from git that is written back (accepted
 * deviations follow their findings). A running run is always analysed
 * fresh, as a preview, and nothing is written.
 *
 * @param params `{run?, contract?, reanalyze?}`.
 * @param ctx Operation context.
 * @returns The report; `verdict` decides the exit code (0 aligned, 1 drifted).
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID, GIT_FAILED.
 */
export async function driftOp(
  params: z.input<typeof DriftParams>,
  ctx: OpContext,
): Promise<RunReport> {
  const layout = locateKeel(ctx.cwd);
  const report = await resolveAnyRun(layout, params);
  if (report.state === "finished" && !params.reanalyze) return report;
  const facts = await collectRunFacts(report, layout, ctx);
  if (report.state === "running") {
    return applyAnalysis(report, facts, { now: ctx.clock.now() });
  }
  return await updateRunReport(
    layout,
    report.run_id,
    (current) => applyAnalysis(current, facts, { now: ctx.clock.now() }),
  );
}
