/**
 * Wire schema of `mission/implement` with `run` (kept apart so the CLI never
 * loads zod for it).
 *
 * @module
 */

import { z } from "zod";
import { ImplementParams } from "../mission/params.ts";
import { nameParam } from "../param_schemas.ts";

/** Params of `mission/implement`: the claim's, plus `run`. */
export const ImplementRunParams = ImplementParams.extend({
  run: z.boolean().optional().describe(
    "Also start a keel run in the workspace on the WP's approved contract and return its brief.",
  ),
});

/** Params of `mission/approve`. */
export const ApproveMissionParams = z.strictObject({
  mission: nameParam().describe("Mission handle: slug, mission_id or its 8-character prefix."),
  by: nameParam().describe("Who approves."),
  allowPlaceholders: z.boolean().optional().describe(
    "Approve although placeholder text from the draft remains.",
  ),
});

/** Params of `mission/review`: the review's, plus `requireAligned`. */
export const ReviewWithRunsParams = z.strictObject({
  mission: nameParam().describe("Mission handle: slug, mission_id, or its 8-char prefix."),
  mode: z.enum(["lightweight", "post-merge"]).optional().describe(
    "Review mode (default: post-merge when a baseline exists, else lightweight).",
  ),
  requireAligned: z.boolean().optional().describe(
    "Fail the review when a WP's latest keel run is drifted (findings not accepted).",
  ),
});
