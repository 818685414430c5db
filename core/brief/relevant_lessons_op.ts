/**
 * `lessons/relevant`: the lessons earlier runs left on the paths a contract
 * covers (its allowed files and unit files), one `LESSON_RELEVANT` finding
 * per finding code — what a brief shows, without requiring approval.
 *
 * @module
 */

import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { CommitPlan, Intent } from "../../schemas/mod.ts";
import type { Finding } from "../../schemas/run_report.ts";
import {
  DEFAULT_CONTRACT,
  type KeelLayout,
  locateKeel,
  requireContract,
} from "../contract/layout.ts";
import { readContract } from "../contract/read_contract.ts";
import type { OpContext } from "../context.ts";
import { type CoveringContract, relevantLessonFindings } from "../retro/lesson_relevance.ts";
import { latestLessons } from "../retro/lessons_store.ts";
import { readAllLessons } from "../retro/list_lessons_op.ts";

/** Params of {@link relevantLessonsOp}. */
export const RelevantLessonsParams = z.strictObject({
  contract: nameParam().optional().describe("Contract name (default: default)."),
});

/** Result of {@link relevantLessonsOp}. */
export interface RelevantLessonsResult {
  contract: string;
  /** `LESSON_RELEVANT` info findings, ordered by code. */
  lessons: Finding[];
}

/**
 * The lessons relevant to a contract.
 *
 * @param params `{contract?}`.
 * @param ctx Operation context.
 * @returns The findings (an unreadable intent or plan counts as covering nothing).
 * @throws {KeelError} CONTRACT_NOT_FOUND.
 */
export async function relevantLessonsOp(
  params: z.input<typeof RelevantLessonsParams>,
  ctx: OpContext,
): Promise<RelevantLessonsResult> {
  params = parseParams(RelevantLessonsParams, params);
  const p = RelevantLessonsParams.parse(params);
  const layout = locateKeel(ctx.cwd);
  const name = p.contract ?? DEFAULT_CONTRACT;
  requireContract(layout, name);
  const c = await readContract(layout, name);
  const intent = Intent.safeParse(c.artifacts.intent);
  const plan = CommitPlan.safeParse(c.artifacts.plan);
  return {
    contract: name,
    lessons: await lessonsFor(layout, {
      intent: intent.success ? intent.data : null,
      plan: plan.success ? plan.data : null,
    }),
  };
}

/**
 * The `LESSON_RELEVANT` findings for a contract's paths, from this
 * worktree's lessons (the latest record per delta).
 *
 * @param layout Where .keel is.
 * @param contract The contract's intent and plan (either may be null).
 * @returns The findings, ordered by code.
 */
export async function lessonsFor(
  layout: KeelLayout,
  contract: CoveringContract,
): Promise<Finding[]> {
  const { records } = await readAllLessons(layout, { allWorktrees: false });
  return relevantLessonFindings(latestLessons(records), contract);
}
