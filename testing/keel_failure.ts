/**
 * Test support: the KeelError a promise rejects with.
 *
 * @module
 */

import { isKeelError, type KeelError } from "../core/errors.ts";

/**
 * Await `p` and return the KeelError it rejects with; anything else (a
 * fulfilled promise, another kind of error) fails the test.
 *
 * @param p The operation.
 * @returns The KeelError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeelError } from "../core/errors.ts";
 * import { keelFailure } from "./keel_failure.ts";
 * const e = await keelFailure(Promise.reject(new KeelError("USAGE", "bad")));
 * assert.equal(e.code, "USAGE");
 * ```
 */
export async function keelFailure(p: Promise<unknown>): Promise<KeelError> {
  try {
    await p;
  } catch (error) {
    if (isKeelError(error)) return error;
    throw error;
  }
  throw new Error("expected a KeelError");
}
