/**
 * Small shared utilities: ULIDs, the clock port, canonical JSON, paths.
 *
 * @module
 */
export * from "./ulid.ts";
export * from "./clock.ts";
export * from "./canonical_json.ts";
export * from "./paths.ts";
export * from "./agent.ts";
export * from "./roots.ts";
