/**
 * Lessons fed forward into validation: drift that happened before on the
 * paths a new contract covers, shown as `LESSON_RELEVANT` info findings.
 *
 * @module
 */

import type { Finding } from "../../schemas/run_report.ts";
import type { KeelLayout } from "./layout.ts";
import type { ContractArtifacts } from "./validate_contract.ts";

/**
 * Findings for past lessons relevant to a contract.
 *
 * @param _layout Where .keel is.
 * @param _artifacts The contract's artifacts.
 * @returns `LESSON_RELEVANT` info findings (none until lessons exist).
 */
export function lessonFindingsFor(
  _layout: KeelLayout,
  _artifacts: ContractArtifacts,
): Promise<Finding[]> {
  return Promise.resolve([]);
}
