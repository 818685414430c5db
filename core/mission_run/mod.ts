/**
 * From a work package to a drift-tracked run: `implement --run`.
 *
 * @module
 */

export * from "./implement_run_op.ts";
