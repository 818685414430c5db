/**
 * Run reports on disk: `.keel/runs/<run_id>/run_report.json`, written
 * atomically; updates take the run's lock and re-read under it so
 * concurrent recorders lose nothing.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../layout/mod.ts";
import { applyArtifactSchema, readArtifactJson } from "../artifact/mod.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteJson } from "../store/mod.ts";
import { withLock } from "../store/mod.ts";
import { join } from "../util/mod.ts";
import { listRunIds, runDir, runReportPath } from "./run_paths.ts";

export { listRunIds, runDir, runReportPath } from "./run_paths.ts";

/** A run report's JSON as read from disk, not yet validated (see {@link readRunReportJson}). */
export interface RunReportJson {
  runId: string;
  /** The parsed JSON (any shape until {@link validateRunReport} accepts it). */
  raw: unknown;
  text: string;
}

/**
 * Read a run report's JSON without validating it (no zod is loaded), so a
 * caller can start work that depends only on its text before the schema
 * loads. Nothing read here may be trusted until {@link validateRunReport}
 * accepts it.
 *
 * @param layout Where .keel is.
 * @param runId Run id.
 * @returns The report's JSON.
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID (not JSON); a refused
 *   path (symlink, special file, too large) keeps its own code.
 */
export async function readRunReportJson(layout: KeelLayout, runId: string): Promise<RunReportJson> {
  let json;
  try {
    json = await readArtifactJson(runReportPath(layout, runId), { display: _display(runId) });
  } catch (error) {
    throw _runReportError(error, layout, runId);
  }
  if (!json.ok) throw _runReportError(json.error, layout, runId);
  return { runId, raw: json.raw, text: json.text };
}

/**
 * Validate what {@link readRunReportJson} read.
 *
 * @param json The report's JSON.
 * @returns The report.
 * @throws {KeelError} RUN_REPORT_INVALID.
 */
export async function validateRunReport(json: RunReportJson): Promise<RunReport> {
  // Loaded on use: the run store's paths and active runs load no zod (keel status).
  const { RunReport } = await import("../../schemas/run_report.ts");
  const r = applyArtifactSchema(json, RunReport, { display: _display(json.runId) });
  if (!r.ok) throw new KeelError("RUN_REPORT_INVALID", r.error.message, { data: r.error.data });
  return r.value;
}

/**
 * Load a run report.
 *
 * @param layout Where .keel is.
 * @param runId Run id.
 * @returns The report.
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID.
 */
export async function loadRunReport(layout: KeelLayout, runId: string): Promise<RunReport> {
  return await validateRunReport(await readRunReportJson(layout, runId));
}

function _display(runId: string): string {
  return `.keel/runs/${runId}/run_report.json`;
}

function _runReportError(error: unknown, layout: KeelLayout, runId: string): unknown {
  if (error instanceof KeelError && error.code === "ARTIFACT_NOT_FOUND") {
    return new KeelError("RUN_NOT_FOUND", `No run ${runId}`, {
      data: { run_id: runId, available: listRunIds(layout) },
    });
  }
  // A refused path (symlink, special file, too large) keeps its own code.
  if (error instanceof KeelError && error.code.startsWith("ARTIFACT_")) {
    return new KeelError("RUN_REPORT_INVALID", error.message, { data: error.data });
  }
  return error;
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
