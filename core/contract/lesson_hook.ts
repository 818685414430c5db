/**
 * Lessons fed forward into validation: drift that happened before on the
 * paths a new contract covers, shown as `LESSON_RELEVANT` info findings.
 *
 * @module
 */

import type { Finding } from "../../schemas/run_report.ts";
import type { KeelLayout } from "../layout/mod.ts";
import type { ContractArtifacts } from "./validate_contract.ts";

/**
 * Findings for past lessons relevant to a contract: one `LESSON_RELEVANT`
 * info finding per finding code whose earlier lessons name paths that the
 * contract's allowed files or unit files cover. Unreadable lessons give none
 * (validation never fails because of the lessons file).
 *
 * @param layout Where .keel is.
 * @param artifacts The contract's artifacts.
 * @returns Info findings.
 */
export async function lessonFindingsFor(
  layout: KeelLayout,
  artifacts: ContractArtifacts,
): Promise<Finding[]> {
  // Loaded on use: validation without lessons loads no lessons code.
  const { latestLessons, readLessons, relevantLessonFindings } = await import(
    "../lessons/mod.ts"
  );
  try {
    const { records } = await readLessons(layout);
    if (records.length === 0) return [];
    return relevantLessonFindings(latestLessons(records), {
      intent: artifacts.intent,
      plan: artifacts.plan,
    });
  } catch {
    return [];
  }
}
