/**
 * The scope decision: whether a repo-relative path may be touched under a
 * contract's `allowed_files` / `forbidden_files`. Drift analysis (after the
 * fact) and the guards (before an edit or a commit) both ask this one
 * function, so they cannot disagree.
 *
 * @module
 */

import { isKeelPath } from "../layout/mod.ts";
import { compileGlobs, type GlobMatcher } from "../glob/mod.ts";

/** The globs a scope decision reads (an intent fits). */
export interface ScopeRules {
  allowed_files: readonly string[];
  forbidden_files: readonly string[];
}

/**
 * How a path stands: `keel` (keel's own state, always allowed), `forbidden`
 * (matches a `forbidden_files` glob, named in `pattern`), `outside` (matches
 * no `allowed_files` glob) or `allowed`.
 */
export interface PathScope {
  path: string;
  scope: "allowed" | "keel" | "forbidden" | "outside";
  /** The forbidding glob (only for `forbidden`). */
  pattern: string | null;
  /** Whether an `allowed_files` glob matches (a forbidden path may match one too). */
  in_allowed: boolean;
}

/** A compiled scope decision. */
export type ScopeClassifier = (path: string) => PathScope;

/**
 * Compile the scope decision of a contract: `.keel/` first, then
 * `forbidden_files` (the first matching glob is named), then `allowed_files`.
 *
 * @param rules `allowed_files` and `forbidden_files`.
 * @returns The classifier.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scopeClassifier } from "./scope.ts";
 * const c = scopeClassifier({ allowed_files: ["src/**"], forbidden_files: ["src/gen/**"] });
 * assert.equal(c("src/a.ts").scope, "allowed");
 * assert.equal(c("src/gen/x.ts").scope, "forbidden");
 * assert.equal(c("src/gen/x.ts").pattern, "src/gen/**");
 * assert.equal(c("docs/x.md").scope, "outside");
 * assert.equal(c(".keel/runs/r/run_report.json").scope, "keel");
 * ```
 */
export function scopeClassifier(rules: ScopeRules): ScopeClassifier {
  const allowed = compileGlobs(rules.allowed_files);
  const forbidden: { g: string; m: GlobMatcher }[] = rules.forbidden_files.map((g) => ({
    g,
    m: compileGlobs([g]),
  }));
  return (path: string): PathScope => {
    if (isKeelPath(path)) return { path, scope: "keel", pattern: null, in_allowed: true };
    const inAllowed = allowed(path);
    const by = forbidden.find((f) => f.m(path))?.g;
    if (by !== undefined) return { path, scope: "forbidden", pattern: by, in_allowed: inAllowed };
    return { path, scope: inAllowed ? "allowed" : "outside", pattern: null, in_allowed: inAllowed };
  };
}
