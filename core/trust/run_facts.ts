/**
 * The facts of one finished run that trust is computed from, all taken from
 * what keel recorded (the run report) or what git and spec-kitty hold.
 *
 * @module
 */

import type { DriftCode } from "../../schemas/codes.ts";
import type { RunReport } from "../../schemas/run_report.ts";
import { approvalLatencyMinutes } from "../retro/mod.ts";
import { acceptanceOf } from "../retro/mod.ts";

/** Finding codes that make the test gate fail. */
export const TEST_GATE_CODES: readonly DriftCode[] = [
  "TEST_REQUIRED_FAILED",
  "TEST_REQUIRED_NOT_RUN",
];

/** The facts of one run. */
export interface RunFacts {
  run_id: string;
  domain: string;
  contract: string;
  /** When the run finished (ISO); orders runs. */
  finished_at: string;
  /** Codes of open (unaccepted) error findings outside the test gate, unique, sorted. */
  drift_codes: string[];
  /** Codes of open test-gate error findings, unique, sorted. */
  test_gate_codes: string[];
  /** Accepted deviations. */
  accepted: number;
  /** Rework notes recorded with `keel rework record`. */
  rework_notes: number;
  /** Rejected review cycles of the spec-kitty WP the run came from (0 when none). */
  review_rejections: number;
  /** Minutes from the first proposal to the last approval of the contract, or null. */
  approval_latency_minutes: number | null;
  /** Identity of the approved contract (the three digests), to count each approval once. */
  approval_key: string;
  /** The run's commit shas. */
  commits: string[];
  /** Which of them a later commit reverts; null when git history is unavailable. */
  reverted: string[] | null;
  /** Defects recorded with `keel defect record`. */
  defects: number;
}

/** Facts that do not live in the run report. */
export interface ExternalFacts {
  /** Reverted commits of the run (null = unknown). */
  reverted: string[] | null;
  /** Rejected review cycles of the run's WP. */
  reviewRejections: number;
}

/**
 * The facts of a finished run. Pure.
 *
 * @param report A finished run report.
 * @param external Reverts and review rejections.
 * @returns The facts.
 */
export function runFacts(report: RunReport, external: ExternalFacts): RunFacts {
  const open = report.findings.filter((f) =>
    f.severity === "error" && acceptanceOf(f, report.deviations) === undefined
  );
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  const snap = report.contract_snapshot;
  return {
    run_id: report.run_id,
    domain: snap.intent.domain,
    contract: report.contract,
    finished_at: report.meta.finished_at ?? report.meta.started_at,
    drift_codes: uniq(open.filter((f) => !TEST_GATE_CODES.includes(f.code)).map((f) => f.code)),
    test_gate_codes: uniq(open.filter((f) => TEST_GATE_CODES.includes(f.code)).map((f) => f.code)),
    accepted: report.deviations.length,
    rework_notes: report.rework?.length ?? 0,
    review_rejections: external.reviewRejections,
    approval_latency_minutes: approvalLatencyMinutes([
      snap.intent.approval,
      snap.tests.approval,
      snap.plan.approval,
    ]),
    approval_key: `${report.digests.intent}:${report.digests.tests}:${report.digests.plan}`,
    commits: report.commits.map((c) => c.sha),
    reverted: external.reverted,
    defects: report.defects?.length ?? 0,
  };
}
