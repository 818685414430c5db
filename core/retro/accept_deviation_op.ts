/**
 * `keel deviation accept` / `deviation/accept`: accept a finding as a
 * deviation, with who, when and why, and recompute the verdict.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { Deviation, RunReport } from "../../schemas/run_report.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { updateRunReport } from "../run/run_store.ts";
import { olderRunWarnings, selectRun } from "./select_run.ts";
import { acceptanceOf, openErrors, verdictOf } from "./verdict.ts";

/** Params of {@link acceptDeviationOp}. */
export const AcceptDeviationParams = z.strictObject({
  findingId: nameParam().optional().describe("The finding's id in the run report (F1, …)."),
  findingIds: z.array(nameParam()).optional().describe(
    "Several findings accepted at once, with the same rationale (all or nothing).",
  ),
  why: z.string().describe("Rationale: why the deviation is acceptable (must not be empty)."),
  by: nameParam().describe("Who accepts it."),
  run: nameParam().optional().describe("Run id (default: the latest finished run)."),
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
  /** Every finding named, in order (the first is `deviation`). */
  accepted: { finding_id: string; code: string; already_accepted: boolean }[];
  /** Said when the run is not the latest while another run is running. */
  warnings: string[];
}

/**
 * Accept one finding, or several (`findingIds`) with the same rationale, as
 * deviations. All or nothing: an unknown id refuses them all. Idempotent:
 * accepting the same finding again records nothing new. When another run is
 * running and this run is not the latest, `warnings` says so.
 *
 * @param params `{findingId | findingIds, why, by, run?}`.
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
  params = parseParams(AcceptDeviationParams, params);
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
  const ids = [
    ...new Set([
      ...(params.findingId === undefined ? [] : [params.findingId]),
      ...(params.findingIds ?? []),
    ]),
  ];
  if (ids.length === 0) {
    throw new KeelError("USAGE", "Name at least one finding to accept (F1, F2, …)", { data: {} });
  }
  const layout = locateKeel(ctx.cwd);
  const selected = await selectRun(layout, params.run);
  const runId = selected.run_id;
  const warnings = await olderRunWarnings(layout, selected);
  let result: AcceptDeviationResult | null = null;
  await updateRunReport(layout, runId, (report: RunReport) => {
    const available = report.findings.flatMap((f) => (f.id === undefined ? [] : [f.id]));
    const missing = ids.filter((id) => !report.findings.some((f) => f.id === id));
    if (missing.length > 0) {
      throw new KeelError(
        "FINDING_NOT_FOUND",
        `No finding ${missing.join(", ")} in run ${runId}` +
          (available.length ? `; findings: ${available.join(", ")}` : "; the run has no findings") +
          (ids.length > 1 ? "; nothing was accepted" : ""),
        { data: { finding_id: missing[0]!, run_id: runId, available } },
      );
    }
    const before = report.verdict;
    const at = ctx.clock.now().toISOString();
    const accepted: AcceptDeviationResult["accepted"] = [];
    const deviations: Deviation[] = [];
    for (const id of ids) {
      const finding = report.findings.find((f) => f.id === id)!;
      const existing = acceptanceOf(finding, report.deviations);
      const deviation: Deviation = existing ?? {
        finding_id: id,
        code: finding.code,
        ...(finding.key === undefined ? {} : { finding_key: finding.key }),
        why,
        by,
        at,
      };
      if (existing === undefined) report.deviations.push(deviation);
      deviations.push(deviation);
      accepted.push({
        finding_id: id,
        code: finding.code,
        already_accepted: existing !== undefined,
      });
    }
    if (report.state === "finished") report.verdict = verdictOf(report.findings, report.deviations);
    result = {
      run_id: runId,
      contract: report.contract,
      deviation: deviations[0]!,
      already_accepted: accepted[0]!.already_accepted,
      verdict_before: before,
      verdict: report.verdict,
      open_errors: openErrors(report.findings, report.deviations).map((f) => f.id ?? f.code),
      accepted,
      warnings,
    };
    return report;
  });
  return result!;
}
