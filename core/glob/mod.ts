/**
 * Glob matching of repository paths (`allowed_files`, `forbidden_files`,
 * lesson paths): compiled once, matched many times.
 *
 * @module
 */
export * from "./glob.ts";
