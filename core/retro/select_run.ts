/**
 * Which run a command is about: the one named, else the latest finished run.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../contract/layout.ts";
import { KeelError } from "../errors.ts";
import { listActiveRuns } from "../run/active_run.ts";
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

/**
 * Warnings for acting on a finished run while another run is running and
 * this one is not the latest (so a maintainer does not act on the wrong run).
 *
 * @param layout Where .keel is.
 * @param report The run acted on.
 * @returns The warnings (empty when nothing is running or this is the latest run).
 */
export async function olderRunWarnings(layout: KeelLayout, report: RunReport): Promise<string[]> {
  // ULIDs sort by time: a running run with a greater id started after this one.
  const running = (await listActiveRuns(layout)).filter((a) => a.active.run_id > report.run_id);
  return running.map((a) =>
    `run ${a.active.run_id} (contract "${a.contract}") is running; this acts on the older ` +
    `finished run ${report.run_id} (contract "${report.contract}") — pass --run ID to choose`
  );
}
