/**
 * A run's guard log (`.keel/runs/<id>/guard.jsonl`): commits keel's
 * post-commit hook saw made without the pre-commit and commit-msg hooks.
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import { readJsonl } from "../store/jsonl.ts";

/** A commit recorded by post-commit as made without the hooks. */
export interface BypassRecord {
  event: "bypassed";
  sha: string;
  at: string;
}

/**
 * Path of a run's guard log.
 *
 * @param dir The run's directory.
 * @returns `<dir>/guard.jsonl`.
 */
export function guardLogPath(dir: string): string {
  return join(dir, "guard.jsonl");
}

/**
 * The commits a run's hooks recorded as bypassed.
 *
 * @param dir The run's directory.
 * @returns Full shas, in record order (empty when there is no log).
 */
export async function readBypassedCommits(dir: string): Promise<string[]> {
  try {
    const { records } = await readJsonl(guardLogPath(dir));
    return records.flatMap((r) => {
      const v = r.value as Partial<BypassRecord> | null;
      return v?.event === "bypassed" && typeof v.sha === "string" ? [v.sha] : [];
    });
  } catch {
    return [];
  }
}
