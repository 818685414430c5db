/**
 * trust_metrics.json's schema lives with the other schemas; re-exported here
 * for the trust code.
 *
 * @module
 */
export * from "../../schemas/trust_metrics.ts";
