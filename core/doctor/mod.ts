/**
 * `keel doctor`: on-disk problems, explained, and the safe repairs.
 *
 * @module
 */
export * from "./codes.ts";
export * from "./doctor_op.ts";
export * from "./torn_tail.ts";
