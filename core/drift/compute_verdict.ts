/**
 * The verdict rule, in one place: a run is `aligned` when no error finding
 * is left unaccepted, else `drifted`.
 *
 * @module
 */

/** The parts of a finding the verdict reads. */
export interface VerdictFinding {
  id?: string | undefined;
  code: string;
  severity: "error" | "warning" | "info";
  key?: string | undefined;
}

/** The parts of a deviation the verdict reads. */
export interface VerdictDeviation {
  finding_id: string;
  code: string;
  finding_key?: string | undefined;
}

/**
 * Decide a run's verdict. A deviation accepts the finding whose `id` it
 * names, and only when its `code` matches that finding's code — and, when
 * both carry one, its `finding_key` the finding's `key` — so a deviation
 * cannot silently move to a different finding after a re-analysis
 * renumbers them. Warnings and infos never make a run drifted.
 *
 * @param findings The run's findings.
 * @param deviations Accepted deviations.
 * @returns `aligned` or `drifted`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeVerdict } from "./compute_verdict.ts";
 * const f = [{ id: "F1", code: "TEST_REQUIRED_NOT_RUN", severity: "error" as const }];
 * assert(computeVerdict(f, []) === "drifted");
 * assert(
 *   computeVerdict(f, [{ finding_id: "F1", code: "TEST_REQUIRED_NOT_RUN" }]) === "aligned",
 * );
 * ```
 */
export function computeVerdict(
  findings: readonly VerdictFinding[],
  deviations: readonly VerdictDeviation[],
): "aligned" | "drifted" {
  return unacceptedErrors(findings, deviations).length === 0 ? "aligned" : "drifted";
}

/**
 * Whether a deviation accepts a finding: it names the finding's id and code
 * (and its key, when both carry one). The one acceptance rule.
 *
 * @param finding A finding.
 * @param deviation An accepted deviation.
 * @returns `true` when the deviation accepts the finding.
 */
export function accepts(finding: VerdictFinding, deviation: VerdictDeviation): boolean {
  return finding.id !== undefined && deviation.finding_id === finding.id &&
    deviation.code === finding.code &&
    (deviation.finding_key === undefined || finding.key === undefined ||
      deviation.finding_key === finding.key);
}

/**
 * The error findings no deviation accepts.
 *
 * @param findings The run's findings.
 * @param deviations Accepted deviations.
 * @returns The unaccepted error findings, in their order.
 */
export function unacceptedErrors<F extends VerdictFinding>(
  findings: readonly F[],
  deviations: readonly VerdictDeviation[],
): F[] {
  return findings.filter((f) => f.severity === "error" && !deviations.some((d) => accepts(f, d)));
}
