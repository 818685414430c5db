/**
 * The result schemas (zod) of the deviation, retrospective and lessons
 * operations: exactly what each returns (its CLI `--json` document).
 *
 * @module
 */

import { z } from "zod";
import { Deviation, Finding } from "../../schemas/mod.ts";
import { Lesson } from "../lessons/mod.ts";

const Verdict = z.enum(["aligned", "drifted"]).nullable();

/** A lesson as the operations return it (read records are parsed, so no unknown field). */
const LessonRecord = z.strictObject({
  ...Lesson.shape,
  source: z.strictObject({ mission: z.string(), wp_id: z.string() }).nullable().optional()
    .describe("The spec-kitty work package the contract came from."),
}).describe("One plan-vs-actual delta of a finished run (a line of lessons.jsonl).");

/** Result of `deviation/accept`. */
export const AcceptDeviationResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  deviation: Deviation.describe(
    "The recorded deviation (the earlier one when it was already accepted).",
  ),
  already_accepted: z.boolean().describe("The finding was already accepted; nothing was written."),
  verdict_before: Verdict,
  verdict: Verdict,
  open_errors: z.array(z.string()).describe("Ids of the error findings still not accepted."),
  accepted: z.array(z.strictObject({
    finding_id: z.string(),
    code: z.string(),
    already_accepted: z.boolean(),
  })).describe("Every finding named, in order (the first is deviation)."),
  warnings: z.array(z.string()),
});

/** Result of `deviation/list`. */
export const ListDeviationsResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  verdict: Verdict,
  deviations: z.array(Deviation).describe("Accepted deviations, in the order they were accepted."),
  open: z.array(Finding).describe("Findings no deviation accepts."),
});

/** Result of `retro/run`. */
export const RetroResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  domain: z.string(),
  verdict: Verdict,
  summary_path: z.string().describe("The summary file, relative to the repository root."),
  markdown: z.string().describe("The summary (Markdown)."),
  lessons: z.strictObject({
    path: z.string(),
    appended: z.number().describe("Records appended by this call."),
    unchanged: z.number().describe("Deltas already recorded with the same acceptance."),
    records: z.array(LessonRecord).describe("The run's lessons as they now stand."),
  }),
  warnings: z.array(z.string()),
});

/** A problem met while reading lessons.jsonl. */
export const LessonProblem = z.strictObject({
  code: z.enum(["JSONL_TORN_TAIL", "LESSONS_CORRUPT"]),
  path: z.string(),
  line: z.number(),
  message: z.string(),
});

/** Result of `lessons/list`. */
export const ListLessonsResult = z.strictObject({
  lessons: z.array(LessonRecord).describe(
    "The latest record of each delta that passes the filters.",
  ),
  counts: z.strictObject({
    lessons: z.number(),
    accepted: z.number(),
    open: z.number(),
    runs: z.number(),
  }),
  problems: z.array(LessonProblem),
  sources: z.array(z.string()).describe("The files read, relative to this worktree's root."),
  filters: z.strictObject({ domain: z.string().nullable(), code: z.string().nullable() }),
});
