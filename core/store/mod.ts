/**
 * Durable storage primitives: atomic writes, locks, JSONL.
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./lock.ts";
export * from "./jsonl.ts";
export * from "./safe_file.ts";
export * from "./process_alive.ts";
