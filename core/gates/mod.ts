/**
 * Review and merge gates for spec-kitty missions: the review-artifact
 * consistency gate shared by `review`, `merge --dry-run` and `merge`; the
 * merge itself; the mission review with its dead-code scan and report.
 *
 * @module
 */
export * from "./codes.ts";
export * from "./review_cycles.ts";
export * from "./check_review_artifacts.ts";
export * from "./lanes_manifest.ts";
export * from "./dead_code_scan.ts";
export * from "./review_report.ts";
export * from "./record_merge.ts";
export * from "./merge_target.ts";
export * from "./merge_op.ts";
export * from "./review_op.ts";
