/**
 * Drift: the approved contract against what a run did, and the verdict.
 *
 * @module
 */
export * from "./compute_verdict.ts";
export * from "./analyze_drift.ts";
export { DRIFT_CODES, type DriftCodeInfo } from "./codes.ts";
export * from "./scope.ts";
