/**
 * `keel defect record --run ID --note TEXT` / `defect/record`: a defect
 * found after the run's work was merged (it counts toward the post-merge
 * defect rate).
 *
 * @module
 */

import { z } from "zod";
import { locateKeel } from "../layout/mod.ts";
import type { OpContext } from "../context.ts";
import { appendRunNote, type RecordNoteResult } from "./run_notes.ts";

/** Params of {@link recordDefectOp}. */
export const RecordDefectParams = z.strictObject({
  run: z.string().min(1).describe("Run id."),
  note: z.string().describe("The defect found after merge."),
});

/**
 * Record a post-merge defect against a run.
 *
 * @param params `{run, note}`.
 * @param ctx Operation context.
 * @returns The note recorded.
 * @throws {KeelError} USAGE for an empty note; RUN_NOT_FOUND.
 */
export async function recordDefectOp(
  params: z.input<typeof RecordDefectParams>,
  ctx: OpContext,
): Promise<RecordNoteResult> {
  return await appendRunNote(locateKeel(ctx.cwd), params.run, {
    kind: "defect",
    note: params.note,
    clock: ctx.clock,
  });
}
