/**
 * Diagnostic codes of the review and merge gates. They are data inside a
 * result (`blockers[]`, `findings[]`, `diagnostics[]`), not thrown errors.
 * Never rename or reuse a code.
 *
 * @module
 */

import type { CodeRegistryOf } from "../codes.ts";
import type { GateCode } from "../../schemas/codes.ts";
import { APPROVED_OR_DONE_LANES } from "../mission/mod.ts";

/**
 * Every diagnostic code the gates emit. `error`: it blocks the merge or fails the review;
 * `warning`: a note (verdict `pass_with_notes`) or a merge warning; `info`: a review note.
 */
export const GATE_CODES = {
  REJECTED_REVIEW_ARTIFACT_CONFLICT: {
    severity: "error",
    doc: "A WP in lane approved/done whose latest review verdict is a rejection.",
  },
  REVIEW_ARTIFACT_SCHEMA_INVALID: {
    severity: "error",
    doc: "A WP in lane approved/done whose latest review-cycle file has unreadable frontmatter.",
  },
  LANE_BRANCH_MISSING: {
    severity: "error",
    doc: "A lane branch that merge would merge does not exist.",
  },
  TARGET_BRANCH_NOT_CHECKED_OUT: {
    severity: "error",
    doc: "merge needs the target branch checked out in the repository.",
  },
  WP_NOT_DONE: {
    severity: "error",
    doc: "review: a WP is not in lane done.",
  },
  LIGHTWEIGHT_REVIEW_MISSING_BASELINE: {
    severity: "error",
    doc: "review: a modern mission has no baseline_merge_commit, so the dead-code scan cannot run.",
  },
  LEGACY_MISSION_DEAD_CODE_SKIP: {
    severity: "warning",
    doc:
      "review: a legacy mission (no mission_id) without a baseline; the dead-code scan was skipped.",
  },
  MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE: {
    severity: "error",
    doc: "review: the dead-code scan could not run (no git, unknown baseline, git diff failed).",
  },
  DEAD_CODE_UNREFERENCED_SYMBOL: {
    severity: "warning",
    doc:
      "review: a public symbol added since the baseline that nothing outside its file and tests uses.",
  },
  LANES_TARGET_DISAGREES: {
    severity: "warning",
    doc:
      "lanes.json names another target branch than meta.json (or the default branch); the merge uses meta.json's. In warnings[] of every merge payload.",
  },
  ABANDONED_MERGE_RECOVERED: {
    severity: "warning",
    doc:
      "merge found the lane merge a killed keel merge left behind and aborted it (HEAD unmoved) or cleared its leftover state. In warnings[] with {action, tip, head}.",
  },
  WP_NOT_IN_EVENT_LOG: {
    severity: "info",
    doc: "review: a WP file with no events in the log; not counted, listed in notes[].",
  },
} as const satisfies CodeRegistryOf<GateCode>;

/** A gate diagnostic code. */
export type { GateCode };

/** Lanes in which a WP counts as reviewed for merge. */
export const TERMINAL_REVIEW_LANES: ReadonlySet<string> = APPROVED_OR_DONE_LANES;

/** Latest-artifact verdicts that are rejections. */
export const REJECTION_VERDICTS: ReadonlySet<string> = new Set([
  "rejected",
  "changes_requested",
  "reject",
]);

/** Latest-artifact verdicts that are approvals. */
export const APPROVAL_VERDICTS: ReadonlySet<string> = new Set([
  "approved",
  "arbiter_override",
  "approved_after_orchestrator_fix",
]);
