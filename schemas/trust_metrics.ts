/**
 * trust_metrics.json: per domain and overall, the measured metrics of the
 * latest finished runs and the delegation level they give.
 *
 * @module
 */

import { z } from "zod";
import { Timestamp } from "./common.ts";

/** Version of the trust_metrics.json format. */
export const TRUST_METRICS_SCHEMA_VERSION = 1;

/** A rate in [0, 1], or null when no run was measured. */
const Rate = z.number().min(0).max(1).nullable();

/** The six metrics. */
export const Metrics = z.strictObject({
  plan_drift_rate: Rate.describe(
    "Runs with an open (unaccepted) error finding outside the test gate / runs.",
  ),
  test_gate_failure_rate: Rate.describe(
    "Runs with an open TEST_REQUIRED_FAILED or TEST_REQUIRED_NOT_RUN error / runs.",
  ),
  review_churn_rate: Rate.describe(
    "Runs with at least one rework cycle (recorded rework, or rejected review cycles of " +
      "the spec-kitty WP the run came from) / runs.",
  ),
  approval_latency_minutes: z.number().min(0).nullable().describe(
    "Median, over distinct approved contracts, of last approval minus first proposal (minutes).",
  ),
  rollback_or_revert_count: z.number().int().min(0).nullable().describe(
    "The runs' commits that a later commit reverts (null when git history is unavailable).",
  ),
  post_merge_defect_rate: Rate.describe("Runs with at least one recorded defect / runs."),
});

/** The facts behind the metrics. */
export const MetricCounts = z.strictObject({
  runs: z.number().int(),
  drifted_runs: z.number().int(),
  drift_runs_by_code: z.record(z.string(), z.number().int()).describe(
    "Per open drift code: how many runs had it.",
  ),
  test_gate_failed_runs: z.number().int(),
  rework_runs: z.number().int(),
  rework_cycles: z.number().int().describe("Recorded rework notes plus rejected review cycles."),
  approvals_measured: z.number().int(),
  commits: z.number().int(),
  reverted_commits: z.array(z.string()).nullable(),
  defect_runs: z.number().int(),
  defects: z.number().int(),
  accepted_deviations: z.number().int(),
});

/** A delegation level. */
export const DelegationLevel = z.enum([
  "high-trust",
  "medium-trust",
  "low-trust",
  "insufficient-data",
]);

/** The recommendation of one scope. */
export const Delegation = z.strictObject({
  level: DelegationLevel,
  reason: z.string().describe("Why, in words."),
  reasons: z.array(z.string()).describe("Each threshold that decided the level."),
  means: z.string().describe("What it means for the next run."),
});

/** One scope: a domain, or every domain. */
export const ScopeMetrics = z.strictObject({
  scope: z.string().describe("The domain, or `overall`."),
  runs: z.number().int().describe("Finished runs measured (at most the window)."),
  runs_available: z.number().int().describe("Finished runs of the scope in total."),
  run_ids: z.array(z.string()).describe("The runs measured, oldest first."),
  metrics: Metrics,
  counts: MetricCounts,
  delegation: Delegation,
});

/** trust_metrics.json */
export const TrustMetrics = z.strictObject({
  $schema: z.string().optional(),
  schema_version: z.literal(TRUST_METRICS_SCHEMA_VERSION),
  computed_at: Timestamp,
  window: z.number().int().describe("The latest N finished runs per scope."),
  min_runs: z.number().int().describe("Fewer runs than this is insufficient-data."),
  thresholds: z.record(
    z.string(),
    z.strictObject({ high_max: z.number(), low_min: z.number() }),
  ),
  worktrees: z.array(z.string()).describe("Worktrees whose runs were read."),
  overall: ScopeMetrics,
  domains: z.array(ScopeMetrics).describe("One entry per domain, by name."),
  notes: z.array(z.string()).describe("What could not be measured, and why."),
}).meta({
  title: "keel trust metrics",
  description: "Measured trust per domain and overall, with delegation levels.",
});

/** trust_metrics.json's type. */
export type TrustMetrics = z.infer<typeof TrustMetrics>;
/** One scope's type. */
export type ScopeMetrics = z.infer<typeof ScopeMetrics>;
/** The metrics' type. */
export type Metrics = z.infer<typeof Metrics>;
/** The counts' type. */
export type MetricCounts = z.infer<typeof MetricCounts>;
/** The recommendation's type. */
export type Delegation = z.infer<typeof Delegation>;
