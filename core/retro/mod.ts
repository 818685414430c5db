/**
 * The retrospective: accepted deviations, the end-of-run summary, lessons
 * (`.keel/lessons.jsonl`) and lessons fed forward into validation.
 *
 * @module
 */
export * from "../lessons/mod.ts";
export * from "./verdict.ts";
export * from "./select_run.ts";
export * from "./lessons_from_report.ts";
export * from "./worktrees.ts";
export * from "./render_retro.ts";
export * from "./approval_latency.ts";
export * from "./accept_deviation_op.ts";
export * from "./list_deviations_op.ts";
export * from "./retro_op.ts";
export * from "./list_lessons_op.ts";
