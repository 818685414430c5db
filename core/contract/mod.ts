/**
 * Contracts: the three approvable artifacts, their validation, approval
 * digests and status.
 *
 * @module
 */
export * from "./layout.ts";
export * from "./load_artifact.ts";
export * from "./digest.ts";
export * from "./validate_contract.ts";
export * from "./checklist.ts";
export * from "./read_contract.ts";
export * from "./validate_op.ts";
export * from "./approve_op.ts";
export * from "../status/mod.ts";
export { StatusParams } from "../status/params.ts";
export * from "./init_op.ts";
export * from "./approval_gate.ts";
