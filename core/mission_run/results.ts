/**
 * The result schemas (zod) of `mission/implement`, `mission/approve` and
 * `mission/review`: exactly what each returns (its CLI `--json` document).
 *
 * @module
 */

import { z } from "zod";
import { BriefResult } from "../brief/results.ts";
import { ReviewResult } from "../gates/results.ts";
import { ImplementResult } from "../mission/results.ts";

/** Result of `mission/implement` with `run`: the claim, the run and the brief. */
export const ImplementRunResult = ImplementResult.extend({
  contract: z.string().describe("The contract name of the WP."),
  run: z.strictObject({
    action: z.enum(["started", "active"]),
    run_id: z.string(),
    contract: z.string(),
    worktree: z.string(),
    contract_copied: z.boolean(),
    contract_committed: z.boolean(),
  }).nullable(),
  no_run: z.strictObject({ code: z.string(), message: z.string() }).nullable().describe(
    "Why no run started, or null.",
  ),
  brief: BriefResult.nullable().describe("The brief of the contract (null when no run started)."),
});

/** Result of `mission/implement`: the claim, or (with `run`) the claim with its run. */
export const ImplementAnyResult = z.union([ImplementRunResult, ImplementResult]);

/** Result of `mission/approve`. */
export const ApproveMissionResult = z.strictObject({
  mission_slug: z.string(),
  by: z.string(),
  wps: z.array(z.strictObject({
    wp_id: z.string(),
    contract: z.string(),
    status: z.enum(["approved", "already_approved"]),
    drafted: z.boolean(),
    allowed_files: z.array(z.string()),
    units: z.array(z.strictObject({ id: z.string(), summary: z.string() })),
    tests: z.array(z.strictObject({ id: z.string(), command: z.string().nullable() })),
    digests: z.strictObject({ intent: z.string(), tests: z.string(), plan: z.string() }),
  })),
});

/** Result of `mission/review`: the review, plus each WP's latest keel run. */
export const ReviewWithRunsResult = ReviewResult.extend({
  wp_runs: z.array(z.strictObject({
    wp_id: z.string(),
    lane_id: z.string().nullable(),
    status_lane: z.string(),
    run_status: z.enum(["aligned", "drifted", "running", "not run"]),
    run: z.strictObject({
      run_id: z.string(),
      contract: z.string(),
      state: z.string(),
      verdict: z.enum(["aligned", "drifted"]).nullable(),
      started_at: z.string(),
      finished_at: z.string().nullable(),
      found_in: z.string(),
    }).nullable(),
  })),
  require_aligned: z.boolean(),
  run_check: z.strictObject({
    result: z.enum(["pass", "fail"]),
    drifted: z.array(z.string()),
  }),
});
