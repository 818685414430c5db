/**
 * `keel rework record --run ID --note TEXT` / `rework/record`: a review sent
 * the run's work back once more (it counts toward review churn).
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { appendRunNote, type RecordNoteResult } from "./run_notes.ts";

/** Params of {@link recordReworkOp}. */
export const RecordReworkParams = z.strictObject({
  run: nameParam().describe("Run id."),
  note: nameParam().describe("What had to be reworked."),
});

/**
 * Record a rework cycle against a run.
 *
 * @param params `{run, note}`.
 * @param ctx Operation context.
 * @returns The note recorded.
 * @throws {KeelError} USAGE for an empty note; RUN_NOT_FOUND.
 */
export async function recordReworkOp(
  params: z.input<typeof RecordReworkParams>,
  ctx: OpContext,
): Promise<RecordNoteResult> {
  params = parseParams(RecordReworkParams, params);
  return await appendRunNote(locateKeel(ctx.cwd), params.run, {
    kind: "rework",
    note: params.note,
    clock: ctx.clock,
  });
}
