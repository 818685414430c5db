/**
 * The verdict rule as the retrospective applies it: a finding is accepted
 * when a deviation names its id and code; a run is `aligned` when no error
 * finding is left unaccepted.
 *
 * @module
 */

import type { Deviation, Finding } from "../../schemas/run_report.ts";

/**
 * Whether a deviation accepts the finding.
 *
 * @param finding A finding.
 * @param deviations Accepted deviations.
 * @returns The accepting deviation, or undefined.
 */
export function acceptanceOf(
  finding: Finding,
  deviations: readonly Deviation[],
): Deviation | undefined {
  if (finding.id === undefined) return undefined;
  return deviations.find((d) => d.finding_id === finding.id && d.code === finding.code);
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
  return findings.filter((f) =>
    f.severity === "error" && acceptanceOf(f, deviations) === undefined
  );
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
  return openErrors(findings, deviations).length === 0 ? "aligned" : "drifted";
}
