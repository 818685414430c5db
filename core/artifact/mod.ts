/**
 * Reading keel's JSON artifacts safely (duplicate keys, positions, schema
 * issues) and their approval digest. Light on purpose: loads no zod, so
 * `keel status` and the run store read artifacts without the contract
 * operations.
 *
 * @module
 */
export * from "./load_artifact.ts";
export * from "./digest.ts";
