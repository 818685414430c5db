/**
 * The result schemas (zod) of the mission operations: exactly what each
 * returns (its CLI `--json` document). Kept apart from the operations so the
 * CLI never loads zod for them; the method table checks each operation's
 * return type against its schema.
 *
 * @module
 */

import { z } from "zod";

/** Why no WP is claimable. */
export const SelectionReason = z.enum([
  "no_tasks_dir",
  "no_wp_files",
  "no_planned_wps",
  "all_wps_in_progress",
  "dependencies_not_satisfied",
  "not_finalized",
]);

/** A warning about the selected WP (it never stops the claim). */
export const SelectionWarning = z.strictObject({
  code: z.literal("BASE_COMMIT_MISSING"),
  wp_id: z.string(),
  base_commit: z.string(),
  message: z.string(),
});

/** A mission's progress over its WPs. */
export const Progress = z.strictObject({
  total_wps: z.number(),
  done_wps: z.number(),
  approved_wps: z.number(),
  in_progress_wps: z.number(),
  planned_wps: z.number(),
  for_review_wps: z.number(),
  weighted_percentage: z.number(),
});

/** One dependency of a WP and whether it is satisfied. */
export const DependencyView = z.strictObject({
  wp_id: z.string(),
  lane: z.string(),
  satisfied: z.boolean(),
});

/** Result of `mission/list`. */
export const MissionListResult = z.strictObject({
  kitty_specs: z.string().describe("The kitty-specs folder, repo-relative."),
  missions: z.array(z.strictObject({
    mission_slug: z.string(),
    mission_id: z.string().nullable(),
    friendly_name: z.string(),
    mission_type: z.string(),
    wp_count: z.number(),
    mission_state: z.string().nullable(),
    summary: z.record(z.string(), z.number()).nullable(),
    next_wp_id: z.string().nullable(),
    selection_reason: SelectionReason.nullable(),
    warnings: z.array(SelectionWarning),
    error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  })),
});

/** Result of `mission/status`. */
export const MissionStatusResult = z.strictObject({
  mission_slug: z.string(),
  mission_id: z.string().nullable(),
  friendly_name: z.string(),
  mission_type: z.string(),
  topology: z.string().nullable(),
  event_log: z.boolean().describe("Whether status.events.jsonl exists."),
  lanes_json: z.strictObject({
    status: z.enum(["ok", "missing", "invalid"]),
    path: z.string(),
    reason: z.string().nullable(),
  }),
  mission_state: z.string(),
  progress: Progress.nullable(),
  summary: z.record(z.string(), z.number()),
  next: z.strictObject({
    wp_id: z.string().nullable(),
    selection_reason: SelectionReason.nullable(),
    warnings: z.array(SelectionWarning),
  }).describe("What next/implement would pick."),
  wps: z.array(z.strictObject({
    wp_id: z.string(),
    file: z.string(),
    title: z.string(),
    lane: z.string(),
    dependencies: z.array(DependencyView),
    dependencies_satisfied: z.boolean(),
    holder: z.string().nullable(),
    review: z.strictObject({
      verdict: z.string().nullable(),
      reviewer: z.string().nullable(),
      override: z.unknown(),
      override_complete: z.boolean(),
    }),
    lane_id: z.string().nullable(),
    write_scope: z.array(z.string()),
    workspace_path: z.string().nullable(),
  })),
});

/** Result of `mission/next`: spec-kitty's query decision, plus keel's selection fields. */
export const NextPayload = z.strictObject({
  kind: z.literal("query"),
  agent: z.string().nullable(),
  mission_slug: z.string(),
  mission_number: z.string().describe('The slug\'s numeric prefix ("062-x" → "62"), or "".'),
  mission_type: z.string(),
  mission: z.string(),
  mission_state: z.string(),
  timestamp: z.string(),
  action: z.null(),
  wp_id: z.string().nullable().describe("The WP implement would claim (implement state only)."),
  workspace_path: z.null(),
  prompt_file: z.null(),
  reason: z.string().nullable(),
  guard_failures: z.array(z.string()),
  progress: Progress.nullable(),
  origin: z.record(z.string(), z.never()),
  run_id: z.null(),
  step_id: z.null(),
  decision_id: z.null(),
  input_key: z.null(),
  question: z.null(),
  options: z.null(),
  is_query: z.literal(true),
  preview_step: z.string().nullable(),
  selection_reason: SelectionReason.nullable().describe("Why no WP is claimable."),
  candidates: z.array(z.string()).describe("Candidate WP ids in selection order."),
  warnings: z.array(SelectionWarning),
  wp_prompt_file: z.string().nullable(),
  wp_workspace_path: z.string().nullable(),
  explain: z.array(z.strictObject({
    wp_id: z.string(),
    file: z.string(),
    lane: z.string(),
    dependencies: z.array(DependencyView),
    decision: z.enum(["chosen", "skipped", "not_reached"]),
    why: z.string(),
  })).exactOptional().describe("Only with explain: each candidate and why."),
});

/** Result of a claim (`mission/implement` without a run). */
export const ImplementResult = z.strictObject({
  mission_slug: z.string(),
  mission_id: z.string().nullable(),
  wp_id: z.string(),
  agent: z.string(),
  action: z.enum(["claimed", "started", "resumed", "reimplement"]),
  from_lane: z.string().describe("The lane before."),
  lane: z.literal("in_progress"),
  prompt_file: z.string().describe("The WP file (repo-relative)."),
  workspace_path: z.string().nullable(),
  lane_id: z.string().nullable(),
  execution_mode: z.enum(["direct_repo", "worktree"]),
  event_ids: z.array(z.string()).describe("event_ids appended, in order."),
  candidates: z.array(z.string()),
  warnings: z.array(SelectionWarning),
  workspace: z.strictObject({
    path: z.string(),
    abs_path: z.string(),
    lane_id: z.string(),
    branch: z.string(),
    execution_mode: z.enum(["direct_repo", "worktree"]),
    action: z.enum(["created", "reused", "recovered", "repository_root"]),
    base_branch: z.string().nullable(),
    base_commit: z.string().nullable(),
    head: z.string().nullable(),
    merged: z.array(z.strictObject({
      kind: z.enum(["planning_commit", "dependency_lane"]),
      ref: z.string(),
      lane_id: z.string().nullable(),
    })),
    warnings: z.array(z.strictObject({
      code: z.enum(["DEPENDENCY_LANE_BRANCH_MISSING", "COORDINATION_TOPOLOGY"]),
      message: z.string(),
    })),
  }).nullable().describe("The prepared workspace, or null with workspace: false."),
  event_log: z.strictObject({
    status: z.enum(["committed", "left", "none"]),
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    path: z.string(),
    reason: z.string().nullable(),
  }).describe("What became of the event-log change."),
});
