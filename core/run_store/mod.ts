/**
 * Runs on disk: the run folders and their `run_report.json`, the active run
 * of each contract, resolving a run id, and the guard's bypass log. Light on
 * purpose: `keel status`, guards and readers load it without the run
 * operations.
 *
 * @module
 */
export * from "./run_paths.ts";
export * from "./run_store.ts";
export * from "./active_run.ts";
export * from "./resolve_run.ts";
export * from "./guard_log.ts";
