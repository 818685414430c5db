/**
 * The documentation of each drift finding code, as the SARIF rules and the
 * reports show it. A test holds this table to `DRIFT_SEVERITY` (every code
 * documented, no extra ones).
 *
 * @module
 */

import { DRIFT_CODES, type DriftCode } from "../drift/mod.ts";

/** One drift code's documentation. */
export interface DriftRuleDoc {
  /** One line: what the finding means. */
  short: string;
  /** What the evidence holds and what to do about it. */
  full: string;
}

/** Documentation of every drift code (from `DRIFT_CODES`). */
export const DRIFT_RULE_DOCS: Readonly<Record<DriftCode, DriftRuleDoc>> = Object.fromEntries(
  Object.entries(DRIFT_CODES).map(([c, info]) => [c, { short: info.doc, full: info.detail }]),
) as Record<DriftCode, DriftRuleDoc>;

/**
 * The documentation of a finding code: the drift table's entry, or a
 * generic line for a code that is not a drift code.
 *
 * @param code A finding code.
 * @returns Its documentation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { driftRuleDoc } from "./drift_rules.ts";
 * assert.equal(driftRuleDoc("PLAN_UNIT_MISSING").short, "A planned unit has no commit.");
 * assert.equal(driftRuleDoc("SOMETHING_ELSE").short, "keel finding SOMETHING_ELSE.");
 * ```
 */
export function driftRuleDoc(code: string): DriftRuleDoc {
  return Object.hasOwn(DRIFT_RULE_DOCS, code)
    ? DRIFT_RULE_DOCS[code as DriftCode]
    : { short: `keel finding ${code}.`, full: `keel finding ${code}.` };
}
