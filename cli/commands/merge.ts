/**
 * `keel merge --mission H [--dry-run]`: the review-artifact gate, then the
 * preview or the merge of every lane branch into the target branch.
 *
 * @module
 */

import type { MergeBlockedResult, MergeResult } from "../../core/gates/mod.ts";
import { type CliContext, command, flag, option, type Outcome } from "../define.ts";

/** The `cmd` tag. */
export const tag = "merge";

/** The parser. */
export const parser = command(
  "merge",
  "Merge a mission's lane branches into its target branch (gated by review artifacts).",
  {
    mission: option(
      "--mission",
      "H",
      "Mission: slug, mission_id, or its unique 8-character prefix.",
      {
        required: true,
        complete: "mission",
      },
    ),
    dryRun: flag("--dry-run", "Run the same gates and show what would be merged; write nothing."),
  },
);

/**
 * Run the command. Exit 1 when blocked, 0 otherwise.
 *
 * @param args Parsed arguments.
 * @param ctx CLI context.
 * @returns The outcome.
 */
export async function run(
  args: { mission: string; dryRun: boolean },
  ctx: CliContext,
): Promise<Outcome> {
  const { mergeOp } = await import("../../core/gates/mod.ts");
  const r = await mergeOp({ mission: args.mission, dryRun: args.dryRun }, ctx.op);
  return { json: r, text: _renderMerge(r), exit: r.blocked ? 1 : 0 };
}

function _renderMerge(r: MergeResult): string {
  if (r.blocked) return _renderBlocked(r);
  const lines: string[] = [];
  if (r.dry_run) {
    lines.push(
      `Merge preview: ${r.mission_slug} into ${r.target_branch} (dry run; nothing written)`,
    );
    lines.push("Lanes, in merge order:");
    r.lanes.forEach((l, i) => {
      lines.push(
        `  ${i + 1}. ${l.lane_id}  ${l.branch}  [${l.wp_ids.join(", ")}]  ${
          l.action === "merge" ? "to merge" : l.action.replace("_", " ")
        }`,
      );
    });
    lines.push("Would record:");
    lines.push(
      `  ${r.would_record.meta_path}: baseline_merge_commit = ${
        r.would_record.baseline_merge_commit ?? "(unknown)"
      }`,
    );
    if (r.would_record.events.length === 0) lines.push("  no approved→done events");
    for (const e of r.would_record.events) {
      lines.push(`  event ${e.wp_id}: approved→done (${e.lane_id})`);
    }
    for (const w of r.not_approved) {
      lines.push(`  note: ${w.wp_id} is in lane ${w.lane ?? "(not in the event log)"}; no event`);
    }
    return lines.join("\n");
  }
  lines.push(`Merged ${r.mission_slug} into ${r.target_branch} (now ${r.head.slice(0, 12)})`);
  for (const l of r.lanes) {
    const what = l.action === "merge"
      ? `merged as ${l.merge_commit?.slice(0, 12)}`
      : l.action.replace("_", " ");
    lines.push(`  ${l.lane_id}  ${l.branch}  [${l.wp_ids.join(", ")}]  ${what}`);
  }
  lines.push(`baseline_merge_commit: ${r.baseline_merge_commit ?? "(unknown)"}`);
  for (const e of r.events) lines.push(`event ${e.wp_id}: approved→done (${e.event_id})`);
  return lines.join("\n");
}

function _renderBlocked(r: MergeBlockedResult): string {
  const lines = [
    r.blockers.some((b) => b.diagnostic_code.includes("REVIEW_ARTIFACT"))
      ? "Error: Review artifact consistency gate failed. Approved/done work packages cannot have a latest rejected review artifact."
      : "Error: merge preflight failed.",
  ];
  for (const b of r.blockers) {
    lines.push(`  ${b.diagnostic_code}: ${b.message}`);
    if ("latest_review_cycle_path" in b) {
      lines.push(`      branch_or_work_package: ${b.branch_or_work_package}`);
      lines.push(`      violated_invariant: ${b.violated_invariant}`);
      if (b.latest_review_cycle_path !== null) {
        lines.push(`      latest_review_cycle_path: ${b.latest_review_cycle_path}`);
      }
      if (b.latest_review_cycle_verdict !== null) {
        lines.push(`      latest_review_cycle_verdict: ${b.latest_review_cycle_verdict}`);
      }
    }
    for (const step of b.remediation) lines.push(`      remediation: ${step}`);
  }
  lines.push(`  Mission: ${r.mission_slug}`);
  return lines.join("\n");
}
