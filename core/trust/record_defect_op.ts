/**
 * `keel defect record --run ID --note TEXT` / `defect/record`: a defect
 * found after the run's work was merged (it counts toward the post-merge
 * defect rate).
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { appendRunNote, type RecordNoteResult } from "./run_notes.ts";

/** Params of {@link recordDefectOp}. */
export const RecordDefectParams = z.strictObject({
  run: nameParam().describe("Run id."),
  note: nameParam().describe("The defect found after merge."),
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
  params = parseParams(RecordDefectParams, params);
  return await appendRunNote(locateKeel(ctx.cwd), params.run, {
    kind: "defect",
    note: params.note,
    clock: ctx.clock,
  });
}
