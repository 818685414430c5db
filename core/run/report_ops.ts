/**
 * `run/report` and `keel drift` / `drift/show`: a run's report and findings
 * again, optionally re-analysed from git.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { RunReport } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { applyAnalysis, collectRunFacts } from "../drift/mod.ts";
import { resolveAnyRun } from "./resolve_run.ts";
import { KeelError } from "../errors.ts";

/** Params of {@link runReportOp}. */
export const RunReportParams = z.strictObject({
  run: nameParam().optional().describe("Run id (default: the latest run)."),
  contract: nameParam().optional().describe("Only runs of this contract."),
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
  params = parseParams(RunReportParams, params);
  return await resolveAnyRun(locateKeel(ctx.cwd), params);
}

/** Params of {@link driftOp}. */
export const DriftParams = z.strictObject({
  run: nameParam().optional().describe("Run id (default: the latest run)."),
  contract: nameParam().optional().describe("Only runs of this contract."),
  reanalyze: z.boolean().optional().describe(
    "Recompute a finished run's findings from its recorded range and check they are unchanged.",
  ),
});

/**
 * A run's findings. A finished run shows what `run finish` wrote. A
 * finished run is immutable: `reanalyze` recomputes its analysis from
 * exactly the recorded range (base..head at finish) and what finish saw of
 * the worktree — never later commits — and returns the stored report when
 * nothing changed; a different result is refused (RUN_ANALYSIS_CHANGED) and
 * nothing is written. A running run is always analysed fresh, as a
 * preview, and nothing is written.
 *
 * @param params `{run?, contract?, reanalyze?}`.
 * @param ctx Operation context.
 * @returns The report; `verdict` decides the exit code (0 aligned, 1 drifted).
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID, GIT_FAILED,
 *   RUN_ANALYSIS_CHANGED (data: {run_id, added, removed}).
 */
export async function driftOp(
  params: z.input<typeof DriftParams>,
  ctx: OpContext,
): Promise<RunReport> {
  params = parseParams(DriftParams, params);
  const layout = locateKeel(ctx.cwd);
  const report = await resolveAnyRun(layout, params);
  if (report.state === "finished" && !params.reanalyze) return report;
  const facts = await collectRunFacts(report, layout, ctx);
  if (report.state === "running") {
    return applyAnalysis(report, facts, { now: ctx.clock.now() });
  }
  const fresh = applyAnalysis(report, facts, { now: ctx.clock.now() });
  const ident = (r: RunReport) => [
    ...r.findings.map((f) => `finding ${f.id} ${f.code} ${f.severity} ${f.key ?? ""}`),
    ...r.commits.map((c) => `commit ${c.sha} ${c.unit ?? "-"}`),
    ...r.files.map((f) => `file ${f.path} ${f.in_scope} ${f.forbidden}`),
  ];
  const before = new Set(ident(report));
  const after = new Set(ident(fresh));
  const added = [...after].filter((x) => !before.has(x));
  const removed = [...before].filter((x) => !after.has(x));
  if (added.length > 0 || removed.length > 0) {
    throw new KeelError(
      "RUN_ANALYSIS_CHANGED",
      `Run ${report.run_id} is finished and immutable, but analysing its recorded range again ` +
        `gives a different result (${added.length} added, ${removed.length} removed: ` +
        [...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].slice(0, 4).join("; ") +
        `); nothing was written`,
      { data: { run_id: report.run_id, added, removed } },
    );
  }
  return report;
}
