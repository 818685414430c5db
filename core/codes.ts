/**
 * The one shape of every finding and diagnostic code registry: per domain
 * (validation, drift, gates, mission, doctor), each code maps to its severity and a
 * one-line doc. The code tables in docs/ and `schemas/codes.schema.json` are
 * generated from the registries (`deno task docs`, `deno task schemas`) and
 * tests fail when they are stale. Thrown errors have their own registry,
 * `ERROR_CODES` in `errors.ts`. The code names themselves are listed in
 * `schemas/codes.ts` (a leaf the zod schemas can import), and each registry
 * is typed against its list with {@link CodeRegistryOf}.
 *
 * @module
 */

/** How bad a finding is. Only `error` can fail a gate; `info` never does. */
export type Severity = "error" | "warning" | "info";

/** One code of a registry. A domain may add fields (doctor: `fixable`). */
export interface CodeInfo {
  /** The severity of every finding with this code (drift: the default, see its doc). */
  readonly severity: Severity;
  /** What the code means and what its evidence holds. */
  readonly doc: string;
}

/** Code → info. Never rename or reuse a code. */
export type CodeRegistry = Readonly<Record<string, CodeInfo>>;

/**
 * The registry of exactly the codes `K` (a name list of `schemas/codes.ts`):
 * declared with `satisfies`, a missing code or a code not in the list fails
 * type checking.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CodeRegistryOf } from "./codes.ts";
 * const CODES = {
 *   A_CODE: { severity: "error", doc: "Something is wrong." },
 * } as const satisfies CodeRegistryOf<"A_CODE">;
 * assert.equal(CODES.A_CODE.severity, "error");
 * ```
 */
export type CodeRegistryOf<K extends string, I extends CodeInfo = CodeInfo> = {
  readonly [C in K]: I;
};
