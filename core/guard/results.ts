/**
 * The result schema (zod) of `guard/check`: exactly what `guardCheckOp`
 * returns (the `--json` document of `keel guard check`).
 *
 * @module
 */

import { z } from "zod";

/** Result of `guard/check`. */
export const GuardCheckResult = z.strictObject({
  ok: z.boolean().describe("Every path is allowed."),
  runs: z.array(z.strictObject({
    run_id: z.string(),
    contract: z.string(),
    allowed_files: z.array(z.string()),
    forbidden_files: z.array(z.string()),
  })).describe("The active runs checked against (empty: nothing is enforced)."),
  paths: z.array(z.strictObject({
    input: z.string(),
    path: z.string().nullable(),
    allowed: z.boolean(),
    scope: z.enum(["allowed", "keel", "forbidden", "outside", "no_run", "outside_repo"]),
    pattern: z.string().nullable(),
    reason: z.string(),
    run_id: z.string().nullable(),
  })).describe("One decision per path, in the order given."),
});
