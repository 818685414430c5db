/**
 * The value rules of `statusOp`'s params, checked by the operation itself
 * without zod (`params.ts` holds the matching zod schema for RPC and MCP).
 *
 * @module
 */

import type { FieldRule } from "../params.ts";

/** Params of `statusOp`. */
export const STATUS_RULES = { contract: "name?" } as const satisfies Record<string, FieldRule>;
