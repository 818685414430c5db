/**
 * The human text of the spec-kitty operations: next, implement, review and
 * merge.
 *
 * @module
 */

import type { MergeBlockedResult, MergeResult, ReviewResult } from "../gates/mod.ts";
import type { ImplementResult, MissionStatusResult, NextPayload } from "../mission/mod.ts";
import type { ImplementRunResult, ReviewWithRunsResult } from "../mission_run/mod.ts";
import { renderTable } from "./render.ts";

/**
 * `next`.
 *
 * @param p The payload.
 * @returns The text.
 */
export function nextText(p: NextPayload): string {
  const lines = [
    `Mission ${p.mission_slug}: ${p.mission_state}`,
    p.wp_id !== null
      ? `Next: ${p.wp_id}  prompt: ${p.wp_prompt_file}  workspace: ${p.wp_workspace_path ?? "-"}`
      : `Next: none (${p.selection_reason}${
        p.reason !== null && p.reason !== p.selection_reason ? `; ${p.reason}` : ""
      })`,
  ];
  for (const w of p.warnings) lines.push(`Warning: ${w.code}: ${w.message}`);
  if (p.progress !== null) {
    const g = p.progress;
    lines.push(
      `Progress: ${g.weighted_percentage}%  total ${g.total_wps}, done ${g.done_wps}, approved ${g.approved_wps}, in progress ${g.in_progress_wps}, for review ${g.for_review_wps}, planned ${g.planned_wps}`,
    );
  }
  if (p.explain !== undefined) {
    lines.push("Candidates (in file-name order):");
    for (const c of p.explain) {
      const deps = c.dependencies.length === 0
        ? ""
        : `  deps: ${
          c.dependencies.map((d) => `${d.wp_id}=${d.lane}${d.satisfied ? "✓" : "✗"}`).join(" ")
        }`;
      lines.push(
        `  ${c.wp_id.padEnd(6)} ${c.lane.padEnd(12)} ${c.decision.padEnd(11)} ${c.why}${deps}`,
      );
    }
    if (p.explain.length === 0) lines.push("  (none)");
    for (const w of p.warnings) lines.push(`  warning ${w.wp_id}: ${w.code} (${w.base_commit})`);
  }
  return lines.join("\n");
}

/**
 * `implement`.
 *
 * @param r The result.
 * @returns The text.
 */
export function implementText(r: ImplementResult): string {
  const verb = {
    claimed: "Claimed",
    started: "Started",
    resumed: "Resuming",
    reimplement: "Re-implementing",
  }[r.action];
  const ws = r.workspace;
  const lines = [
    `${verb} ${r.wp_id} for ${r.agent} (${r.from_lane} → ${r.lane})`,
    `Prompt:    ${r.prompt_file}`,
  ];
  if (ws === null) {
    lines.push(
      `Workspace: ${r.workspace_path ?? "(no lane in lanes.json)"}${
        r.lane_id === null ? "" : `  [${r.lane_id}, ${r.execution_mode}]`
      } (not prepared: claim only)`,
    );
  } else {
    const how = {
      created: `created on ${ws.branch} from ${ws.base_branch} (${
        (ws.base_commit ?? "").slice(0, 12)
      })`,
      reused: `reused, on ${ws.branch}`,
      recovered: `re-attached to the existing branch ${ws.branch}`,
      repository_root: `the repository root (branch ${ws.branch})`,
    }[ws.action];
    lines.push(`Workspace: ${ws.path}  [${ws.lane_id}, ${ws.execution_mode}] ${how}`);
    for (const m of ws.merged) {
      lines.push(
        `Merged:    ${
          m.kind === "dependency_lane"
            ? `dependency lane ${m.lane_id} (${m.ref})`
            : `planning commit ${m.ref}`
        }`,
      );
    }
    for (const w of ws.warnings) lines.push(`Warning:   ${w.code}: ${w.message}`);
  }
  if (r.event_log.status === "committed") {
    lines.push(
      `Event log: committed on ${r.event_log.branch} (${(r.event_log.commit ?? "").slice(0, 12)})`,
    );
  } else if (r.event_log.status === "left") {
    lines.push(`Event log: NOT committed: ${r.event_log.reason}`);
  }
  lines.push(...r.warnings.map((w) => `Warning:   ${w.code}: ${w.message}`));
  if (ws !== null && ws.path !== ".") lines.push(`Next:      cd ${ws.path}`);
  return lines.join("\n");
}

/**
 * `implement --run`: the claim and workspace, then the run (or why none) and
 * the brief.
 *
 * @param r The result.
 * @returns The text.
 */
export function implementRunText(r: ImplementRunResult): string {
  const lines = [implementText(r)];
  if (r.run === null) {
    lines.push(`Run:       none: ${r.no_run?.code}: ${r.no_run?.message}`);
  } else {
    lines.push(
      `Run:       ${
        r.run.action === "started" ? "started" : "already active"
      } ${r.run.run_id} on contract "${r.run.contract}"${
        r.run.contract_copied
          ? r.run.contract_committed
            ? " (the approved contract was copied into the lane and committed there)"
            : " (the approved contract was copied into the lane; .keel is git-ignored there, so it is not committed)"
          : ""
      }`,
    );
    if (r.brief !== null) lines.push("", r.brief.markdown);
  }
  return lines.join("\n");
}

/**
 * `mission/implement`, with or without `run`.
 *
 * @param r The result.
 * @returns The text.
 */
export function implementAnyText(r: ImplementResult | ImplementRunResult): string {
  return "run" in r ? implementRunText(r) : implementText(r);
}

/**
 * `review`.
 *
 * @param r The result.
 * @returns The text.
 */
export function reviewText(r: ReviewResult): string {
  const mark = { pass: "✓", fail: "✗", skipped: "⚠" } as const;
  const lines = [
    `Reviewing mission: ${r.mission_slug}`,
    `Mode: ${r.mode} (${r.mode_source})`,
  ];
  for (const g of r.gates) {
    lines.push(`  ${mark[g.result]}  ${g.id} ${g.name}: ${g.result} - ${g.summary}`);
  }
  if (r.findings.length > 0) lines.push("Findings:");
  for (const f of r.findings) {
    lines.push(`  ${f.hard ? "✗" : "!"} ${f.code} [${f.type}]: ${f.message}`);
  }
  for (const n of r.notes) lines.push(`  note ${n.code}: ${n.message}`);
  const tags = r.verdict_tags.length > 0 ? ` [${r.verdict_tags.join(", ")}]` : "";
  lines.push(`Verdict: ${r.verdict}${tags}  (${r.findings.length} finding(s))`);
  lines.push(`Report written: ${r.report_path}`);
  return lines.join("\n");
}

/**
 * `merge` (and its dry run).
 *
 * @param r The result.
 * @returns The text.
 */
export function mergeText(r: MergeResult): string {
  const warn = r.warnings.map((w) => `warning[${w.code}]: ${w.message}`);
  return [...warn, r.blocked ? _mergeBlockedText(r) : _mergeDoneText(r)].join("\n");
}

function _mergeDoneText(r: Exclude<MergeResult, MergeBlockedResult>): string {
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

function _mergeBlockedText(r: MergeBlockedResult): string {
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

/**
 * `mission status`.
 *
 * @param r The result.
 * @returns The text.
 */
export function missionStatusText(r: MissionStatusResult): string {
  const rows = [
    ["WP", "LANE", "DEPS", "HOLDER", "REVIEW", "LANE_ID", "WRITE SCOPE"],
    ...r.wps.map((w) => [
      w.wp_id,
      w.lane,
      w.dependencies.length === 0
        ? "-"
        : w.dependencies.map((d) => `${d.wp_id}${d.satisfied ? "✓" : "✗"}`).join(","),
      w.holder ?? "-",
      w.review.verdict === null
        ? (w.review.override_complete ? "override" : "-")
        : w.review.verdict + (w.review.override_complete ? " (override)" : ""),
      w.lane_id ?? "-",
      w.write_scope.length === 0 ? "-" : w.write_scope.join(" "),
    ]),
  ];
  const lanesLine = r.lanes_json.status === "ok"
    ? "lanes.json: ok"
    : `lanes.json: ${r.lanes_json.status}${r.lanes_json.reason ? ` (${r.lanes_json.reason})` : ""}`;
  const text = [
    `Mission ${r.mission_slug} (${r.mission_id ?? "no mission_id"}): ${r.mission_state}`,
    `Next: ${r.next.wp_id ?? `none (${r.next.selection_reason})`}${
      r.next.warnings.map((w) => `  [warning: ${w.code} ${w.base_commit}]`).join("")
    }   ${lanesLine}`,
    renderTable(rows),
  ].join("\n");
  return text;
}

/**
 * `review` with each WP's latest keel run beside its lane.
 *
 * @param r The result.
 * @returns The text.
 */
export function reviewWithRunsText(r: ReviewWithRunsResult): string {
  const lines = [reviewText(r), "", "Keel runs per WP:"];
  lines.push(
    renderTable([
      ["WP", "lane", "status", "run", "run id"],
      ...r.wp_runs.map((w) => [
        w.wp_id,
        w.lane_id ?? "-",
        w.status_lane,
        w.run_status,
        w.run?.run_id ?? "-",
      ]),
    ]),
  );
  if (r.run_check.drifted.length > 0) {
    lines.push(
      r.require_aligned
        ? `Run check: FAIL: drifted runs: ${r.run_check.drifted.join(", ")} (--require-aligned)`
        : `Drifted runs: ${
          r.run_check.drifted.join(", ")
        } (pass --require-aligned to fail on them)`,
    );
  }
  return lines.join("\n");
}
