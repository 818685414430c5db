/**
 * Which run a command is about: the one named, else the latest finished run.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../contract/layout.ts";
import { KeelError } from "../errors.ts";
import { listRunIds, loadRunReport } from "../run/run_store.ts";

/**
 * The run report named by `runId`, or the latest finished run's (run ids
 * are ULIDs, so the latest is the last in id order).
 *
 * @param layout Where .keel is.
 * @param runId A run id, or undefined for the latest finished run.
 * @returns The report.
 * @throws {KeelError} RUN_NOT_FOUND when the id is unknown or no run has finished.
 */
export async function selectRun(layout: KeelLayout, runId: string | undefined): Promise<RunReport> {
  if (runId !== undefined) return await loadRunReport(layout, runId);
  const ids = listRunIds(layout);
  for (const id of [...ids].reverse()) {
    let report: RunReport;
    try {
      report = await loadRunReport(layout, id);
    } catch {
      continue;
    }
    if (report.state === "finished") return report;
  }
  throw new KeelError(
    "RUN_NOT_FOUND",
    ids.length === 0
      ? "No runs yet: start one with `keel run start`"
      : "No finished run yet: finish one with `keel run finish`, or pass --run ID",
    { data: { available: ids } },
  );
}
