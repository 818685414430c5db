/**
 * Runs: the start gate, run reports and the active-run pointer.
 *
 * @module
 */
export * from "./start_run.ts";
export * from "./run_store.ts";
export * from "./active_run.ts";
