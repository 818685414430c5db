/**
 * Guards: prevention from the same scope rules as drift analysis — path
 * checks, an agent harness's pre-edit hook, and keel's git hooks.
 *
 * @module
 */
export * from "./active_scope.ts";
export * from "./guard_check_op.ts";
export * from "./guard_hook_op.ts";
export * from "./commit_guard.ts";
export * from "./hooks_op.ts";
