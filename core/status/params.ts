/**
 * The wire schema (zod) of `contract/status`'s params, kept apart from the
 * operation so `keel status` never loads zod: the RPC server and the MCP
 * tools validate with it.
 *
 * @module
 */

import { z } from "zod";
import { nameParam } from "../param_schemas.ts";

/** Params of `statusOp`. */
export const StatusParams = z.strictObject({
  contract: nameParam().optional().describe("Contract name (default: default)."),
});

/** Params of `statusOp`. */
export type StatusParamsInput = z.input<typeof StatusParams>;
