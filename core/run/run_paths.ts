/**
 * Where runs live: `.keel/runs/<run_id>/`, and the list of run ids. No
 * schema here, so readers that only list runs or read a few fields of a
 * report (`keel status`) do not load zod.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import type { KeelLayout } from "../contract/layout.ts";
import { KeelError } from "../errors.ts";
import { assertInsideRoot } from "../util/paths.ts";
import { ULID_PATTERN } from "../util/ulid.ts";

/**
 * Directory of a run.
 *
 * @param layout Where .keel is.
 * @param runId A run id (ULID).
 * @returns `<root>/.keel/runs/<runId>`.
 * @throws {KeelError} RUN_NOT_FOUND for an id that is not a ULID; PATH_OUTSIDE_REPO when
 *   the run folder, its report, evidence folder or lock is a symlink out of the repository.
 */
export function runDir(layout: KeelLayout, runId: string): string {
  if (!ULID_PATTERN.test(runId)) {
    throw new KeelError("RUN_NOT_FOUND", `"${runId}" is not a run id`, {
      data: { run_id: runId, available: [] },
    });
  }
  const dir = join(layout.keelDir, "runs", runId);
  for (const sub of ["", "/run_report.json", "/evidence", "/.lock"]) {
    assertInsideRoot(layout.root, dir + sub, `.keel/runs/${runId}${sub}`);
  }
  return dir;
}

/**
 * Path of a run's report.
 *
 * @param layout Where .keel is.
 * @param runId Run id.
 * @returns The report path.
 */
export function runReportPath(layout: KeelLayout, runId: string): string {
  return join(runDir(layout, runId), "run_report.json");
}

/**
 * Every run id, oldest first (ULIDs sort by time).
 *
 * @param layout Where .keel is.
 * @returns Run ids.
 */
export function listRunIds(layout: KeelLayout): string[] {
  const ids: string[] = [];
  try {
    for (const e of Deno.readDirSync(join(layout.keelDir, "runs"))) {
      if (e.isDirectory && ULID_PATTERN.test(e.name)) ids.push(e.name);
    }
  } catch {
    // no runs yet
  }
  return ids.sort();
}
