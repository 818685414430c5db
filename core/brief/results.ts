/**
 * The result schemas (zod) of the brief operations: exactly what each
 * returns (its CLI `--json` document).
 *
 * @module
 */

import { z } from "zod";
import { Finding } from "../../schemas/mod.ts";

/** Result of `brief/get`. */
export const BriefResult = z.strictObject({
  contract: z.string(),
  run_id: z.string().nullable().describe("The contract's active run, or null."),
  goal: z.string(),
  constraints: z.array(z.string()),
  risk_level: z.string(),
  domain: z.string(),
  allowed_files: z.array(z.string()),
  forbidden_files: z.array(z.string()),
  units: z.array(z.strictObject({
    id: z.string(),
    summary: z.string(),
    files: z.array(z.string()),
    tests: z.array(z.string()),
    depends_on: z.array(z.string()),
    trailer: z.string(),
  })).describe("Units in dependency order (ties: plan order)."),
  tests: z.array(z.strictObject({
    id: z.string(),
    required: z.boolean(),
    gate: z.enum(["finish", "advisory"]),
    description: z.string().nullable(),
    command: z.string().nullable(),
    run: z.string(),
  })),
  lessons: z.array(Finding).describe("LESSON_RELEVANT findings."),
  markdown: z.string().describe("The brief as Markdown."),
});

/** Result of `lessons/relevant`. */
export const RelevantLessonsResult = z.strictObject({
  contract: z.string(),
  lessons: z.array(Finding).describe("LESSON_RELEVANT info findings, ordered by code."),
});
