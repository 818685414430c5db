/**
 * `keel status`: a contract's artifact states beside its active and latest
 * finished run (above both the contract and the run domains).
 *
 * @module
 */
export * from "./status_op.ts";
