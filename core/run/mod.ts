/**
 * Runs: the start gate, test evidence, finish with drift analysis, run
 * reports and the active-run pointer.
 *
 * @module
 */
export * from "../run_store/mod.ts";
export * from "./start_run.ts";
export * from "./append_tests.ts";
export * from "./record_test_op.ts";
export * from "./exec_test_op.ts";
export * from "./import_junit_op.ts";
export * from "./finish_run_op.ts";
export * from "./report_ops.ts";
export * from "./list_runs_op.ts";
export * from "./verify_run_op.ts";
export * from "./seal.ts";
export * from "./worktree_snapshot.ts";
export * from "./collect_run_facts.ts";
export * from "./apply_analysis.ts";
