/**
 * The drift finding codes: severity, what each means (`doc`) and what its
 * evidence holds and what to do (`detail`). Errors make a run drifted unless
 * accepted; warnings are reported but never decide the verdict. The order is
 * the order findings are listed (and numbered) in.
 *
 * @module
 */

import type { CodeInfo, CodeRegistryOf } from "../codes.ts";
import type { DriftCode } from "../../schemas/codes.ts";

/** One drift code. */
export interface DriftCodeInfo extends CodeInfo {
  /** What the evidence holds and what to do about it. */
  readonly detail: string;
}

/** Every drift code. Never rename or reuse a code. */
export const DRIFT_CODES = {
  BASE_NOT_ANCESTOR: {
    severity: "error",
    doc: "The run's base commit is no longer an ancestor of HEAD.",
    detail: "History was rewritten under the run (rebase, reset). Evidence: base_commit, head; " +
      "the commits analysed are HEAD's since the merge-base.",
  },
  CONTRACT_CHANGED_DURING_RUN: {
    severity: "error",
    doc: "An approved artifact changed while the run was active.",
    detail: "The contract the run was started against is not the one on disk now. Evidence: " +
      "artifact, path, digest_at_start, digest_now. Re-approve and start a new run.",
  },
  SCOPE_FILE_FORBIDDEN: {
    severity: "error",
    doc: "The run touched a file matched by forbidden_files.",
    detail: "Evidence: path, the forbidden pattern, how the file was touched (sources) and the " +
      "commits. Revert the change, or accept the deviation with a rationale.",
  },
  SCOPE_FILE_OUTSIDE_ALLOWED: {
    severity: "error",
    doc: "The run touched a file outside allowed_files.",
    detail:
      "Evidence: path, allowed_files, sources, commits. Widen the contract (and re-approve) " +
      "or revert the change, or accept the deviation with a rationale.",
  },
  PLAN_COMMIT_UNPLANNED: {
    severity: "error",
    doc: "A commit matches no planned unit.",
    detail: "Neither a Keel-Unit trailer nor the units' file globs place the commit. Evidence: " +
      "sha, subject, paths, trailer_unit.",
  },
  PLAN_UNIT_MISSING: {
    severity: "error",
    doc: "A planned unit has no commit.",
    detail: "The plan promised a unit of work that never landed. Evidence: unit, files.",
  },
  PLAN_UNIT_OUT_OF_ORDER: {
    severity: "warning",
    doc: "A unit landed before a unit it depends on.",
    detail: "Evidence: unit, depends_on, the first commits of both. A warning: it never decides " +
      "the verdict.",
  },
  PLAN_COMMIT_OUTSIDE_UNIT: {
    severity: "warning",
    doc: "A commit of a unit also touches files outside the unit's globs.",
    detail: "Evidence: sha, unit, the paths outside the unit's globs. A warning.",
  },
  PLAN_TRAILER_UNKNOWN_UNIT: {
    severity: "warning",
    doc: "A Keel-Unit trailer names a unit the plan does not have.",
    detail: "The commit was credited to its other units. Evidence: sha, unknown (the trailer " +
      "values), credited (units). A warning.",
  },
  TEST_REQUIRED_NOT_RUN: {
    severity: "error",
    doc: "A required test was not run (or only skipped).",
    detail: "Evidence: test_id, status (not_run or skipped). Run it through keel run exec, or " +
      "import its JUnit report.",
  },
  TEST_REQUIRED_FAILED: {
    severity: "error",
    doc: "A required test failed or errored in its latest batch.",
    detail: "An error for a finish-gate test, a warning for an advisory one. Evidence: test_id, " +
      "status, exit_code, evidence file.",
  },
  TEST_COMMAND_MISMATCH: {
    severity: "warning",
    doc: "A test was run with a command other than its contract command.",
    detail: "Evidence: test_id, command (the argv run), contract_command. A warning; an error " +
      "when the test requires executed evidence. Run `keel run exec TEST_ID` with no command.",
  },
  TEST_EVIDENCE_SELF_REPORTED: {
    severity: "warning",
    doc: "A required test passed only by a manual `keel run record`.",
    detail: "The result is a claim, not evidence. Evidence: test_id, note. A warning; an error " +
      "when the test requires executed evidence. Run it through keel run exec or import JUnit.",
  },
  TEST_UNPLANNED: {
    severity: "warning",
    doc: "A test was recorded that the test contract does not define.",
    detail: "Evidence: test_id. A warning.",
  },
  WORKTREE_UNCOMMITTED: {
    severity: "warning",
    doc: "The worktree had uncommitted changes at finish.",
    detail:
      "Evidence: staged, unstaged, untracked paths. A warning; the files still count for scope.",
  },
  GUARD_HOOK_BYPASSED: {
    severity: "warning",
    doc: "A commit was made with keel's git hooks bypassed (--no-verify).",
    detail:
      "keel's post-commit hook saw a commit that did not pass its pre-commit and commit-msg " +
      "hooks. Evidence: sha, subject, paths. A warning; the commit's files still count for scope.",
  },
} as const satisfies CodeRegistryOf<DriftCode, DriftCodeInfo>;

/** A drift finding code. */
export type { DriftCode };
