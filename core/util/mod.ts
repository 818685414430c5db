/**
 * Small shared utilities: ULIDs, the clock port, canonical JSON, paths, argv
 * splitting, SHA-256.
 *
 * @module
 */
export * from "./ulid.ts";
export * from "./clock.ts";
export * from "./canonical_json.ts";
export * from "./paths.ts";
export * from "./agent.ts";
export * from "./roots.ts";
export * from "./posix_path.ts";
export * from "./argv.ts";
export * from "./sha256.ts";
