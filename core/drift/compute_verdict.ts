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
}

/** The parts of a deviation the verdict reads. */
export interface VerdictDeviation {
  finding_id: string;
  code: string;
}

/**
 * Decide a run's verdict. A deviation accepts the finding whose `id` it
 * names, and only when its `code` matches that finding's code (so a
 * deviation cannot silently move to a different finding after a
 * re-analysis renumbers them). Warnings and infos never make a run drifted.
 *
 * @param findings The run's findings.
 * @param deviations Accepted deviations.
 * @returns `aligned` or `drifted`.
 *
 * @example
 * ```ts
 * import { computeVerdict } from "./compute_verdict.ts";
 * const f = [{ id: "F1", code: "TEST_REQUIRED_NOT_RUN", severity: "error" as const }];
 * console.assert(computeVerdict(f, []) === "drifted");
 * console.assert(
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
  const accepted = new Set(deviations.map((d) => `${d.finding_id}\u0000${d.code}`));
  return findings.filter((f) =>
    f.severity === "error" && !(f.id !== undefined && accepted.has(`${f.id}\u0000${f.code}`))
  );
}
