/**
 * The wire schemas (zod) of the mission operations' params, kept apart from
 * the operations so the CLI never loads zod for them: the RPC server and
 * the MCP tools validate with these.
 *
 * @module
 */

import { z } from "zod";

/** Params of `nextOp`. */
export const NextParams = z.strictObject({
  mission: z.string().min(1).describe(
    "Mission handle: slug, mission_id or its 8-character prefix.",
  ),
  agent: z.string().optional().describe("The agent asking."),
  explain: z.boolean().optional().describe("Add `explain`: each candidate and why."),
});

/** Params of `nextOp`. */
export type NextParamsInput = z.input<typeof NextParams>;

/** Params of `implementOp`. */
export const ImplementParams = z.strictObject({
  mission: z.string().min(1).describe(
    "Mission handle: slug, mission_id or its 8-character prefix.",
  ),
  // Blank agents are refused by the operation (USAGE), as on the CLI.
  agent: z.string().describe("The agent claiming the WP (the event actor)."),
  wp: z.string().optional().describe("The WP to claim (wp01, WP01, WP01-foo); omitted = next's."),
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
  mission: z.string().min(1).describe(
    "Mission handle: slug, mission_id or its 8-character prefix.",
  ),
});

/** Params of `missionStatusOp`. */
export type MissionStatusParamsInput = z.input<typeof MissionStatusParams>;
