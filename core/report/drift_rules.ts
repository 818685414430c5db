/**
 * The documentation of each drift finding code, as the SARIF rules and the
 * reports show it. A test holds this table to `DRIFT_SEVERITY` (every code
 * documented, no extra ones).
 *
 * @module
 */

import type { DriftCode } from "../drift/mod.ts";

/** One drift code's documentation. */
export interface DriftRuleDoc {
  /** One line: what the finding means. */
  short: string;
  /** What the evidence holds and what to do about it. */
  full: string;
}

/** Documentation of every drift code. */
export const DRIFT_RULE_DOCS: Readonly<Record<DriftCode, DriftRuleDoc>> = {
  BASE_NOT_ANCESTOR: {
    short: "The run's base commit is no longer an ancestor of HEAD.",
    full: "History was rewritten under the run (rebase, reset). Evidence: base_commit, head; " +
      "the commits analysed are HEAD's since the merge-base.",
  },
  CONTRACT_CHANGED_DURING_RUN: {
    short: "An approved artifact changed while the run was active.",
    full: "The contract the run was started against is not the one on disk now. Evidence: " +
      "artifact, path, digest_at_start, digest_now. Re-approve and start a new run.",
  },
  SCOPE_FILE_FORBIDDEN: {
    short: "The run touched a file matched by forbidden_files.",
    full: "Evidence: path, the forbidden pattern, how the file was touched (sources) and the " +
      "commits. Revert the change, or accept the deviation with a rationale.",
  },
  SCOPE_FILE_OUTSIDE_ALLOWED: {
    short: "The run touched a file outside allowed_files.",
    full: "Evidence: path, allowed_files, sources, commits. Widen the contract (and re-approve) " +
      "or revert the change, or accept the deviation with a rationale.",
  },
  PLAN_COMMIT_UNPLANNED: {
    short: "A commit matches no planned unit.",
    full: "Neither a Keel-Unit trailer nor the units' file globs place the commit. Evidence: " +
      "sha, subject, paths, trailer_unit.",
  },
  PLAN_UNIT_MISSING: {
    short: "A planned unit has no commit.",
    full: "The plan promised a unit of work that never landed. Evidence: unit, files.",
  },
  PLAN_UNIT_OUT_OF_ORDER: {
    short: "A unit landed before a unit it depends on.",
    full: "Evidence: unit, depends_on, the first commits of both. A warning: it never decides " +
      "the verdict.",
  },
  PLAN_COMMIT_OUTSIDE_UNIT: {
    short: "A commit of a unit also touches files outside the unit's globs.",
    full: "Evidence: sha, unit, the paths outside the unit's globs. A warning.",
  },
  PLAN_TRAILER_UNKNOWN_UNIT: {
    short: "A Keel-Unit trailer names a unit the plan does not have.",
    full: "The commit was credited to its other units. Evidence: sha, unknown (the trailer " +
      "values), credited (units). A warning.",
  },
  TEST_REQUIRED_NOT_RUN: {
    short: "A required test was not run (or only skipped).",
    full: "Evidence: test_id, status (not_run or skipped). Run it through keel run exec, or " +
      "import its JUnit report.",
  },
  TEST_REQUIRED_FAILED: {
    short: "A required test failed or errored in its latest batch.",
    full: "An error for a finish-gate test, a warning for an advisory one. Evidence: test_id, " +
      "status, exit_code, evidence file.",
  },
  TEST_COMMAND_MISMATCH: {
    short: "A test was run with a command other than its contract command.",
    full: "Evidence: test_id, command (the argv run), contract_command. A warning; an error " +
      "when the test requires executed evidence. Run `keel run exec TEST_ID` with no command.",
  },
  TEST_EVIDENCE_SELF_REPORTED: {
    short: "A required test passed only by a manual `keel run record`.",
    full: "The result is a claim, not evidence. Evidence: test_id, note. A warning; an error " +
      "when the test requires executed evidence. Run it through keel run exec or import JUnit.",
  },
  TEST_UNPLANNED: {
    short: "A test was recorded that the test contract does not define.",
    full: "Evidence: test_id. A warning.",
  },
  WORKTREE_UNCOMMITTED: {
    short: "The worktree had uncommitted changes at finish.",
    full:
      "Evidence: staged, unstaged, untracked paths. A warning; the files still count for scope.",
  },
  GUARD_HOOK_BYPASSED: {
    short: "A commit was made with keel's git hooks bypassed (--no-verify).",
    full: "keel's post-commit hook saw a commit that did not pass its pre-commit and commit-msg " +
      "hooks. Evidence: sha, subject, paths. A warning; the commit's files still count for scope.",
  },
};

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
