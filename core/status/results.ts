/**
 * The result schema (zod) of `contract/status`: exactly what `statusOp`
 * returns (the `--json` document of `keel status`).
 *
 * @module
 */

import { z } from "zod";
import { ARTIFACTS } from "../layout/mod.ts";

/** Result of `contract/status`. */
export const StatusResult = z.strictObject({
  contract: z.string(),
  artifacts: z.array(z.strictObject({
    artifact: z.enum(ARTIFACTS),
    path: z.string(),
    state: z.enum(["draft", "approved", "stale", "missing", "invalid"]),
    digest: z.string().nullable(),
    approved_digest: z.string().nullable(),
    approved_by: z.string().nullable(),
    approved_at: z.string().nullable(),
    error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  })),
  ready: z.boolean().describe("All three approved and unchanged since approval."),
  active_run: z.strictObject({ run_id: z.string(), started_at: z.string() }).nullable(),
  last_finished_run: z.strictObject({
    run_id: z.string(),
    verdict: z.enum(["aligned", "drifted"]).nullable(),
    finished_at: z.string().nullable(),
  }).nullable().describe("The contract's latest finished run."),
});
