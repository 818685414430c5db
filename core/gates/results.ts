/**
 * The result schemas (zod) of the review and merge operations: exactly what
 * each returns (its CLI `--json` document).
 *
 * @module
 */

import { z } from "zod";
import { GATE_CODES, type GateCode } from "./codes.ts";

/** Result of `reviewOp` (the gates' half of `mission/review`). */
export const ReviewResult = z.strictObject({
  mission_slug: z.string(),
  mission_id: z.string().nullable().describe("meta.json mission_id (null for a legacy mission)."),
  mode: z.enum(["lightweight", "post-merge"]),
  mode_source: z.enum(["explicit", "auto-detected"]),
  baseline_merge_commit: z.string().nullable(),
  verdict: z.enum(["pass", "pass_with_notes", "fail"]),
  verdict_tags: z.array(z.string()),
  gates: z.array(z.strictObject({
    id: z.enum(["gate_1", "gate_2"]),
    name: z.enum(["wp_lane_check", "dead_code_scan"]),
    command: z.string(),
    result: z.enum(["pass", "fail", "skipped"]),
    exit_code: z.literal([0, 1]),
    findings: z.number(),
    summary: z.string(),
  })),
  findings: z.array(z.strictObject({
    type: z.string(),
    code: z.enum(Object.keys(GATE_CODES) as [GateCode, ...GateCode[]]),
    severity: z.enum(["error", "warning"]),
    hard: z.boolean(),
    message: z.string(),
    evidence: z.record(z.string(), z.unknown()),
  })),
  notes: z.array(z.strictObject({
    code: z.literal("WP_NOT_IN_EVENT_LOG"),
    wp_id: z.string(),
    message: z.string(),
  })).describe("Observations that are not findings."),
  diagnostics: z.array(z.record(z.string(), z.unknown())).describe(
    "Structured diagnostics, one per finding: {code, …}.",
  ),
  dead_code_scan: z.strictObject({
    baseline: z.string(),
    head: z.string(),
    changed_files: z.number(),
    symbols_scanned: z.number(),
    unreferenced: z.number(),
  }).nullable(),
  issue_matrix_present: z.union([z.boolean(), z.literal("not_applicable")]),
  report_path: z.string().describe("Repository-relative path of the report written."),
  reviewed_at: z.string(),
});

const MergeTargetSource = z.enum([
  "flag",
  "meta.json merge_target_branch",
  "meta.json target_branch",
  "default_branch",
]);

const MergeWarning = z.union([
  z.strictObject({
    code: z.literal("LANES_TARGET_DISAGREES"),
    lanes_json_target: z.string(),
    meta_json_target: z.string().nullable(),
    target_branch: z.string(),
    target_source: MergeTargetSource,
    message: z.string(),
  }),
  z.strictObject({
    code: z.literal("ABANDONED_MERGE_RECOVERED"),
    action: z.enum(["aborted", "cleared"]),
    tip: z.string(),
    head: z.string(),
    message: z.string(),
  }),
]);

const MergeBlocker = z.union([
  z.strictObject({
    diagnostic_code: z.enum([
      "REJECTED_REVIEW_ARTIFACT_CONFLICT",
      "REVIEW_ARTIFACT_SCHEMA_INVALID",
    ]),
    wp_id: z.string(),
    branch_or_work_package: z.string(),
    lane: z.string(),
    latest_review_cycle_path: z.string().nullable(),
    latest_review_cycle_verdict: z.string().nullable(),
    review_cycle_number: z.number(),
    verdict_source: z.enum(["event", "artifact"]),
    review_reference: z.string().nullable().exactOptional(),
    review_reference_path: z.string().nullable().exactOptional(),
    violated_invariant: z.string(),
    remediation: z.array(z.string()),
    message: z.string(),
    schema_error: z.string().exactOptional(),
  }),
  z.strictObject({
    diagnostic_code: z.literal("LANE_BRANCH_MISSING"),
    lane_id: z.string(),
    branch: z.string(),
    candidates: z.array(z.string()),
    wp_ids: z.array(z.string()),
    remediation: z.array(z.string()),
    message: z.string(),
  }),
  z.strictObject({
    diagnostic_code: z.literal("TARGET_BRANCH_NOT_CHECKED_OUT"),
    target_branch: z.string(),
    current_branch: z.string().nullable(),
    remediation: z.array(z.string()),
    message: z.string(),
  }),
]);

const MergePlanLane = z.strictObject({
  lane_id: z.string(),
  branch: z.string(),
  wp_ids: z.array(z.string()),
  parallel_group: z.number(),
  depends_on_lanes: z.array(z.string()),
  action: z.enum(["merge", "already_merged", "on_target"]),
});

const MergeHead = {
  mission_slug: z.string(),
  target_branch: z.string(),
  target_source: MergeTargetSource,
  warnings: z.array(MergeWarning),
};

/** Result of `mission/merge`: blocked, a dry-run preview, or the merge done. */
export const MergeResult = z.union([
  z.strictObject({
    ...MergeHead,
    blocked: z.literal(true),
    blockers: z.array(MergeBlocker),
    diagnostic_code: z.string().describe("The first blocker's code."),
  }),
  z.strictObject({
    ...MergeHead,
    blocked: z.literal(false),
    dry_run: z.literal(true),
    mission_branch: z.string(),
    lanes: z.array(MergePlanLane).describe("Lanes in merge order."),
    would_record: z.strictObject({
      meta_path: z.string(),
      baseline_merge_commit: z.string().nullable(),
      events: z.array(z.strictObject({
        wp_id: z.string(),
        lane_id: z.string(),
        from_lane: z.literal("approved"),
        to_lane: z.literal("done"),
      })),
    }).describe("What the real merge would record."),
    not_approved: z.array(z.strictObject({ wp_id: z.string(), lane: z.string().nullable() })),
  }),
  z.strictObject({
    ...MergeHead,
    blocked: z.literal(false),
    dry_run: z.literal(false),
    mission_branch: z.string(),
    lanes: z.array(MergePlanLane.extend({ merge_commit: z.string().nullable() })),
    baseline_merge_commit: z.string().nullable(),
    events: z.array(z.strictObject({
      event_id: z.string(),
      wp_id: z.string(),
      lane_id: z.string(),
      from_lane: z.literal("approved"),
      to_lane: z.literal("done"),
      at: z.string(),
    })),
    head: z.string().describe("The target's tip after the merge."),
  }),
]);
