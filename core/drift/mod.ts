/**
 * Drift: the approved contract against what a run did, and the verdict.
 *
 * @module
 */
export * from "./compute_verdict.ts";
export * from "./analyze_drift.ts";
export { DRIFT_CODES, type DriftCodeInfo } from "./codes.ts";
export * from "./apply_analysis.ts";
export * from "./collect_run_facts.ts";
export * from "./worktree_snapshot.ts";
export * from "./scope.ts";
