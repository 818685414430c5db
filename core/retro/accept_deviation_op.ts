/**
 * `keel deviation accept` / `deviation/accept`: accept a finding as a
 * deviation, with who, when and why, and recompute the verdict.
 *
 * @module
 */

import { z } from "zod";
import type { Deviation, RunReport } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { updateRunReport } from "../run/run_store.ts";
import { selectRun } from "./select_run.ts";
import { acceptanceOf, openErrors, verdictOf } from "./verdict.ts";

/** Params of {@link acceptDeviationOp}. */
export const AcceptDeviationParams = z.strictObject({
  findingId: z.string().min(1).describe("The finding's id in the run report (F1, …)."),
  why: z.string().describe("Rationale: why the deviation is acceptable (must not be empty)."),
  by: z.string().min(1).describe("Who accepts it."),
  run: z.string().optional().describe("Run id (default: the latest finished run)."),
});

/** Result of {@link acceptDeviationOp}. */
export interface AcceptDeviationResult {
  run_id: string;
  contract: string;
  /** The recorded deviation (the earlier one when it was already accepted). */
  deviation: Deviation;
  /** The finding was already accepted; nothing was written. */
  already_accepted: boolean;
  verdict_before: "aligned" | "drifted" | null;
  verdict: "aligned" | "drifted" | null;
  /** Ids of the error findings still not accepted. */
  open_errors: string[];
}

/**
 * Accept a finding as a deviation. Idempotent: accepting the same finding
 * again records nothing new.
 *
 * @param params `{findingId, why, by, run?}`.
 * @param ctx Operation context.
 * @returns The deviation and the verdict before and after.
 * @throws {KeelError} RATIONALE_REQUIRED (exit 2) for an empty `why`;
 *   USAGE for an empty `by`; RUN_NOT_FOUND; FINDING_NOT_FOUND (exit 3) with
 *   the ids that exist.
 */
export async function acceptDeviationOp(
  params: z.input<typeof AcceptDeviationParams>,
  ctx: OpContext,
): Promise<AcceptDeviationResult> {
  const why = params.why.trim();
  if (why === "") {
    throw new KeelError(
      "RATIONALE_REQUIRED",
      "A deviation needs a rationale: say why it is acceptable with --why TEXT",
      { data: {} },
    );
  }
  const by = params.by.trim();
  if (by === "") throw new KeelError("USAGE", "--by needs a name", { data: {} });
  const layout = locateKeel(ctx.cwd);
  const runId = (await selectRun(layout, params.run)).run_id;
  let result: AcceptDeviationResult | null = null;
  await updateRunReport(layout, runId, (report: RunReport) => {
    const finding = report.findings.find((f) => f.id === params.findingId);
    if (finding === undefined) {
      const available = report.findings.flatMap((f) => (f.id === undefined ? [] : [f.id]));
      throw new KeelError(
        "FINDING_NOT_FOUND",
        `No finding ${params.findingId} in run ${runId}` +
          (available.length ? `; findings: ${available.join(", ")}` : "; the run has no findings"),
        { data: { finding_id: params.findingId, run_id: runId, available } },
      );
    }
    const before = report.verdict;
    const existing = acceptanceOf(finding, report.deviations);
    const deviation: Deviation = existing ?? {
      finding_id: params.findingId,
      code: finding.code,
      ...(finding.key === undefined ? {} : { finding_key: finding.key }),
      why,
      by,
      at: ctx.clock.now().toISOString(),
    };
    if (existing === undefined) report.deviations.push(deviation);
    if (report.state === "finished") report.verdict = verdictOf(report.findings, report.deviations);
    result = {
      run_id: runId,
      contract: report.contract,
      deviation,
      already_accepted: existing !== undefined,
      verdict_before: before,
      verdict: report.verdict,
      open_errors: openErrors(report.findings, report.deviations).map((f) => f.id ?? f.code),
    };
    return report;
  });
  return result!;
}
