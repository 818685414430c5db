/**
 * The wire schemas (zod) of the mission operations' params, kept apart from
 * the operations so the CLI never loads zod for them: the RPC server and
 * the MCP tools validate with these, the operations check the same rules
 * without zod (`param_rules.ts`).
 *
 * @module
 */

import { z } from "zod";
import { nameParam } from "../param_schemas.ts";

/** Params of `nextOp`. */
export const NextParams = z.strictObject({
  mission: nameParam().describe(
    "Mission handle: slug, mission_id or its 8-character prefix.",
  ),
  agent: nameParam().optional().describe("The agent asking."),
  explain: z.boolean().optional().describe("Add `explain`: each candidate and why."),
});

/** Params of `nextOp`. */
export type NextParamsInput = z.input<typeof NextParams>;

/** Params of `implementOp`. */
export const ImplementParams = z.strictObject({
  mission: nameParam().describe(
    "Mission handle: slug, mission_id or its 8-character prefix.",
  ),
  agent: nameParam().describe("The agent claiming the WP (the event actor)."),
  wp: nameParam().optional().describe("The WP to claim (wp01, WP01, WP01-foo); omitted = next's."),
  workspace: z.boolean().optional().describe(
    "Prepare the lane workspace (worktree and branch) as spec-kitty does; default true. " +
      "false = claim only.",
  ),
});

/** Params of `implementOp`. */
export type ImplementParamsInput = z.input<typeof ImplementParams>;

/** Params of `missionListOp`. */
export const MissionListParams = z.strictObject({});

/** Params of `missionListOp`. */
export type MissionListParamsInput = z.input<typeof MissionListParams>;

/** Params of `missionStatusOp`. */
export const MissionStatusParams = z.strictObject({
  mission: nameParam().describe(
    "Mission handle: slug, mission_id or its 8-character prefix.",
  ),
});

/** Params of `missionStatusOp`. */
export type MissionStatusParamsInput = z.input<typeof MissionStatusParams>;
