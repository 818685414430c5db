/**
 * `keel review --mission H [--require-aligned]` / `mission/review`: the
 * spec-kitty mission review (`reviewOp`, unchanged, its report file
 * included), with each WP's latest keel run beside its lane (`wp_runs`).
 * With `requireAligned`, a WP whose latest run is `drifted` (findings not
 * accepted as deviations) fails the review: `run_check.result` is `fail`
 * and the verdict becomes `fail`.
 *
 * @module
 */

import type { z } from "zod";
import { parseParams } from "../params.ts";
import { ReviewWithRunsParams } from "./params.ts";
import type { OpContext } from "../context.ts";
import { reviewOp, type ReviewResult } from "../gates/mod.ts";
import { openMission } from "../mission/mod.ts";
import { wpRunsOf, type WpRunView } from "./wp_runs.ts";

/** Result of {@link reviewWithRunsOp}. */
export interface ReviewWithRunsResult extends ReviewResult {
  /** Each WP's latest run, beside its lane. */
  wp_runs: WpRunView[];
  /** Whether drifted runs fail the review. */
  require_aligned: boolean;
  /** `pass`, or `fail` (only with `require_aligned`) naming the drifted WPs. */
  run_check: { result: "pass" | "fail"; drifted: string[] };
}

/**
 * The mission review with the WPs' run verdicts.
 *
 * @param params `{mission, mode?, requireAligned?}`.
 * @param ctx The operation context.
 * @returns The review, `wp_runs` and `run_check`.
 * @throws {KeelError} whatever `reviewOp` throws.
 */
export async function reviewWithRunsOp(
  params: z.input<typeof ReviewWithRunsParams>,
  ctx: OpContext,
): Promise<ReviewWithRunsResult> {
  params = parseParams(ReviewWithRunsParams, params);
  const { requireAligned, ...review } = params;
  const r = await reviewOp(review, ctx);
  const mission = await openMission(ctx.cwd, params.mission);
  const wpRuns = await wpRunsOf(mission);
  const drifted = wpRuns.filter((w) => w.run_status === "drifted").map((w) => w.wp_id);
  const fail = requireAligned === true && drifted.length > 0;
  return {
    ...r,
    verdict: fail ? "fail" : r.verdict,
    wp_runs: wpRuns,
    require_aligned: requireAligned === true,
    run_check: { result: fail ? "fail" : "pass", drifted },
  };
}
