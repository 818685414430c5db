/**
 * A finished run's seal: sha256 over the canonical JSON of its evidence —
 * everything but what may legitimately change after finish (deviations and
 * the verdict they decide, rework and defect notes) and the seal itself.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import { canonicalJsonOfStored, sha256Hex } from "../util/mod.ts";

/**
 * The seal of a report.
 *
 * @param report A run report.
 * @returns Lowercase hex sha256.
 */
export async function runSeal(report: RunReport): Promise<string> {
  const {
    deviations: _d,
    verdict: _v,
    rework: _r,
    defects: _x,
    seal: _s,
    $schema: _schema,
    ...evidence
  } = report;
  // As it reads back from disk (undefined dropped), so a seal is stable across a save.
  return await sha256Hex(canonicalJsonOfStored(evidence));
}
