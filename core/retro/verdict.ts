/**
 * The verdict rule as the retrospective applies it, shared with the drift
 * analysis (`computeVerdict`): a deviation accepts the finding whose id and
 * code it names (and whose key, when both carry one); a run is `aligned`
 * when no error finding is left unaccepted.
 *
 * @module
 */

import type { Deviation, Finding } from "../../schemas/run_report.ts";
import { accepts, computeVerdict, unacceptedErrors } from "../drift/compute_verdict.ts";

/**
 * The deviation that accepts a finding, if any.
 *
 * @param finding A finding.
 * @param deviations Accepted deviations.
 * @returns The accepting deviation, or undefined.
 */
export function acceptanceOf(
  finding: Finding,
  deviations: readonly Deviation[],
): Deviation | undefined {
  return deviations.find((d) => accepts(finding, d));
}

/**
 * The error findings no deviation accepts.
 *
 * @param findings The run's findings.
 * @param deviations Accepted deviations.
 * @returns The open error findings.
 */
export function openErrors(
  findings: readonly Finding[],
  deviations: readonly Deviation[],
): Finding[] {
  return unacceptedErrors(findings, deviations);
}

/**
 * The verdict.
 *
 * @param findings The run's findings.
 * @param deviations Accepted deviations.
 * @returns `aligned` or `drifted`.
 */
export function verdictOf(
  findings: readonly Finding[],
  deviations: readonly Deviation[],
): "aligned" | "drifted" {
  return computeVerdict(findings, deviations);
}
