/**
 * The pilot's embedded sample and the simulated agent.
 *
 * @module
 */
export * from "./sample.ts";
export * from "./sample_repo.ts";
