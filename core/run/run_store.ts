/**
 * Run reports on disk: `.keel/runs/<run_id>/run_report.json`, written
 * atomically; updates take the run's lock and re-read under it so
 * concurrent recorders lose nothing.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import { RunReport } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../contract/layout.ts";
import { loadArtifact } from "../contract/load_artifact.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteJson } from "../store/atomic_write.ts";
import { withLock } from "../store/lock.ts";
import { listRunIds, runDir, runReportPath } from "./run_paths.ts";

export { listRunIds, runDir, runReportPath } from "./run_paths.ts";

/**
 * Load a run report.
 *
 * @param layout Where .keel is.
 * @param runId Run id.
 * @returns The report.
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID.
 */
export async function loadRunReport(layout: KeelLayout, runId: string): Promise<RunReport> {
  const path = runReportPath(layout, runId);
  try {
    return await loadArtifact(path, RunReport, { display: `.keel/runs/${runId}/run_report.json` });
  } catch (error) {
    if (error instanceof KeelError && error.code === "ARTIFACT_NOT_FOUND") {
      throw new KeelError("RUN_NOT_FOUND", `No run ${runId}`, {
        data: { run_id: runId, available: listRunIds(layout) },
      });
    }
    // A refused path (symlink, special file, too large) keeps its own code.
    if (error instanceof KeelError && error.code.startsWith("ARTIFACT_")) {
      throw new KeelError("RUN_REPORT_INVALID", error.message, { data: error.data });
    }
    throw error;
  }
}

/**
 * Write a run report atomically (no lock: the caller holds it or owns the run).
 *
 * @param layout Where .keel is.
 * @param report The report.
 */
export async function saveRunReport(layout: KeelLayout, report: RunReport): Promise<void> {
  await atomicWriteJson(runReportPath(layout, report.run_id), report);
}

/**
 * Update a run report under its lock: re-read, apply `fn`, write atomically.
 *
 * @param layout Where .keel is.
 * @param runId Run id.
 * @param fn Returns the new report (may mutate and return its argument).
 * @returns The report written.
 */
export async function updateRunReport(
  layout: KeelLayout,
  runId: string,
  fn: (report: RunReport) => RunReport | Promise<RunReport>,
): Promise<RunReport> {
  return await withLock(join(runDir(layout, runId), ".lock"), async () => {
    const report = await loadRunReport(layout, runId);
    const next = await fn(report);
    await saveRunReport(layout, next);
    return next;
  });
}
