/**
 * The result schema (zod) of `trust/recordDefect` and `trust/recordRework`.
 *
 * @module
 */

import { z } from "zod";

/** Result of `trust/recordDefect` and `trust/recordRework`. */
export const RecordNoteResult = z.strictObject({
  run_id: z.string(),
  contract: z.string(),
  domain: z.string(),
  kind: z.enum(["rework", "defect"]),
  note: z.strictObject({ note: z.string(), at: z.string() }),
  count: z.number().describe("How many notes of this kind the run now has."),
});
