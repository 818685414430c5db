/**
 * Trust: metrics over the latest finished runs per domain and overall,
 * delegation levels from configurable thresholds, and the facts recorded
 * after a run (rework cycles, post-merge defects).
 *
 * @module
 */
export * from "./trust_metrics.ts";
export * from "./run_facts.ts";
export * from "./measure_scope.ts";
export * from "./delegation.ts";
export * from "./reverts.ts";
export * from "./review_rejections.ts";
export * from "./run_notes.ts";
export * from "./compute_trust_op.ts";
export * from "./record_rework_op.ts";
export * from "./record_defect_op.ts";
