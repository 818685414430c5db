/**
 * `keel retro` / `retro/run`: write a run's retrospective to
 * `.keel/runs/<id>/summary.md` and append its lessons to
 * `.keel/lessons.jsonl` (only what is new: running it again appends nothing).
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { runDir } from "../run/run_store.ts";
import { atomicWriteText } from "../store/atomic_write.ts";
import type { Lesson } from "./lesson.ts";
import { lessonsFromReport } from "./lessons_from_report.ts";
import { appendNewLessons } from "./lessons_store.ts";
import { renderRetro } from "./render_retro.ts";
import { olderRunWarnings, selectRun } from "./select_run.ts";

/** Params of {@link retroOp}. */
export const RetroParams = z.strictObject({
  run: nameParam().optional().describe("Run id (default: the latest finished run)."),
});

/** Result of {@link retroOp}. */
export interface RetroResult {
  run_id: string;
  contract: string;
  domain: string;
  verdict: "aligned" | "drifted" | null;
  /** The summary file, relative to the repository root. */
  summary_path: string;
  /** The summary (Markdown). */
  markdown: string;
  lessons: {
    /** `.keel/lessons.jsonl`. */
    path: string;
    /** Records appended by this call. */
    appended: number;
    /** Deltas already recorded with the same acceptance. */
    unchanged: number;
    /** The run's lessons as they now stand (one per delta). */
    records: Lesson[];
  };
  /** Said when the run is not the latest while another run is running. */
  warnings: string[];
}

/**
 * Write the retrospective of a run and record its lessons.
 *
 * @param params `{run?}`.
 * @param ctx Operation context.
 * @returns The summary and what was appended.
 * @throws {KeelError} RUN_NOT_FOUND, RUN_REPORT_INVALID, LOCK_HELD.
 */
export async function retroOp(
  params: z.input<typeof RetroParams>,
  ctx: OpContext,
): Promise<RetroResult> {
  params = parseParams(RetroParams, params);
  const layout = locateKeel(ctx.cwd);
  const report = await selectRun(layout, params.run);
  const markdown = renderRetro(report);
  await atomicWriteText(join(runDir(layout, report.run_id), "summary.md"), markdown);
  const candidates = await lessonsFromReport(report, {
    recordedAt: ctx.clock.now().toISOString(),
  });
  const { appended, unchanged } = await appendNewLessons(layout, candidates);
  return {
    run_id: report.run_id,
    contract: report.contract,
    domain: report.contract_snapshot.intent.domain,
    verdict: report.verdict,
    summary_path: `.keel/runs/${report.run_id}/summary.md`,
    markdown,
    lessons: {
      path: ".keel/lessons.jsonl",
      appended: appended.length,
      unchanged,
      records: candidates,
    },
    warnings: await olderRunWarnings(layout, report),
  };
}
