/**
 * The value rules of the mission operations' params, checked by the
 * operations themselves without zod (so `keel next` and `keel mission
 * status` start fast). `params.ts` holds the matching zod schemas for RPC
 * and MCP; `tests/parity_test.ts` checks both give the same codes.
 *
 * @module
 */

import type { FieldRule } from "../params.ts";

/** Params of `nextOp`. */
export const NEXT_RULES = {
  mission: "name",
  agent: "name?",
  explain: "boolean?",
} as const satisfies Record<string, FieldRule>;

/** Params of `implementOp`. */
export const IMPLEMENT_RULES = {
  mission: "name",
  agent: "name",
  wp: "name?",
  workspace: "boolean?",
} as const satisfies Record<string, FieldRule>;

/** Params of `missionStatusOp`. */
export const MISSION_STATUS_RULES = { mission: "name" } as const satisfies Record<
  string,
  FieldRule
>;

/** Params of `missionListOp`. */
export const MISSION_LIST_RULES = {} as const satisfies Record<string, FieldRule>;
