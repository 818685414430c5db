/**
 * Contracts: the three approvable artifacts, their validation, approval
 * digests and status.
 *
 * @module
 */
export * from "../layout/mod.ts";
export * from "./load_artifact.ts";
export * from "./digest.ts";
export * from "./validate_contract.ts";
export * from "./checklist.ts";
export * from "./read_contract.ts";
export * from "./validate_op.ts";
export * from "./approve_op.ts";
export * from "./contract_status.ts";
export * from "./init_op.ts";
export * from "./approval_gate.ts";
export * from "./config.ts";
export * from "./wp_names.ts";
