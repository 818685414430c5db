/**
 * zod pieces shared by the operations' params schemas, so every name-like
 * param refuses the same values with the same message.
 *
 * @module
 */

import { z } from "zod";
import { BLANK_MESSAGE } from "./params.ts";

/**
 * A name-like string param (contract, run, agent, mission, …): not empty and
 * not only whitespace.
 *
 * @returns The schema.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameParam } from "./param_schemas.ts";
 * assert.equal(nameParam().safeParse("default").success, true);
 * assert.equal(nameParam().safeParse(" \t").success, false);
 * ```
 */
export function nameParam(): z.ZodString {
  return z.string().regex(/\S/, { message: BLANK_MESSAGE });
}
