/**
 * From a work package to a drift-tracked run: `implement --run`.
 *
 * @module
 */

export * from "./implement_run_op.ts";
export * from "./approve_mission_op.ts";
export * from "./wp_runs.ts";
export * from "./review_runs_op.ts";
