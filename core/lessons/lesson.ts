/**
 * One lesson: a normalized plan-vs-actual record in `.keel/lessons.jsonl`.
 *
 * Records are appended, never rewritten. A record is identified by `key`
 * (stable for one delta of one run); when a later retrospective sees the
 * same delta with a different acceptance (a deviation accepted after the
 * first retrospective), it appends a new record with the same key, and
 * readers take the latest record per key.
 *
 * @module
 */

import { z } from "zod";
import { Timestamp } from "../../schemas/common.ts";

/** Version of the lesson record format. */
export const LESSON_SCHEMA_VERSION = 1;

/** One line of lessons.jsonl. */
export const Lesson = z.object({
  schema_version: z.literal(LESSON_SCHEMA_VERSION).describe("Version of the record format."),
  key: z.string().min(1).describe(
    "Stable id of the delta: sha256 over run, code and evidence (first 24 hex digits).",
  ),
  run: z.string().describe("Run id."),
  contract: z.string().describe("Contract name."),
  domain: z.string().describe("The intent's domain."),
  finding_id: z.string().nullable().describe("The finding's id in the run report (F1, …)."),
  code: z.string().describe("Finding code."),
  severity: z.enum(["error", "warning", "info"]),
  message: z.string(),
  planned: z.string().nullable().describe("What the approved contract said."),
  actual: z.string().nullable().describe("What the run did."),
  paths: z.array(z.string()).describe("Repository paths involved."),
  accepted: z.boolean().describe("Accepted as a deviation."),
  rationale: z.string().nullable().describe("Why it was accepted."),
  accepted_by: z.string().nullable().describe("Who accepted it."),
  time: Timestamp.describe("When the delta happened (the run's finish)."),
  recorded_at: Timestamp.describe("When this record was appended."),
  source: z.object({ mission: z.string(), wp_id: z.string() }).nullable().optional().describe(
    "The spec-kitty work package the contract came from.",
  ),
}).meta({
  title: "keel lesson",
  description: "One plan-vs-actual delta of a finished run (a line of lessons.jsonl).",
});

/** A lesson record. */
export type Lesson = z.infer<typeof Lesson>;

/**
 * Whether two records of the same key say the same thing (a retrospective
 * appends a record only when the latest one for its key differs).
 *
 * @param a A record.
 * @param b A record with the same key.
 * @returns Whether acceptance and rationale agree.
 */
export function sameLessonState(a: Lesson, b: Lesson): boolean {
  return a.accepted === b.accepted && a.rationale === b.rationale &&
    a.accepted_by === b.accepted_by;
}
