/**
 * Lessons: what earlier runs taught, stored in `.keel/lessons.jsonl`, and
 * which of them concern a new contract's paths.
 *
 * @module
 */
export * from "./lesson.ts";
export * from "./lessons_store.ts";
export * from "./lesson_relevance.ts";
