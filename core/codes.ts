/**
 * The one shape of every finding and diagnostic code registry: per domain
 * (validation, drift, gates, doctor), each code maps to its severity and a
 * one-line doc. The code tables in docs/ and `schemas/codes.schema.json` are
 * generated from the registries (`deno task docs`, `deno task schemas`) and
 * tests fail when they are stale. Thrown errors have their own registry,
 * `ERROR_CODES` in `errors.ts`.
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
