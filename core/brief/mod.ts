/**
 * Briefs: an approved contract turned into instructions for an agent.
 *
 * @module
 */
export * from "./brief_op.ts";
export * from "./relevant_lessons_op.ts";
export * from "./resources.ts";
