/**
 * `keel review --mission H [--mode lightweight|post-merge]` / `mission/review`.
 *
 * - Mode: the explicit `--mode`, else `post-merge` when meta.json has a
 *   `baseline_merge_commit`, else `lightweight`. `post-merge` without a
 *   baseline is `MISSION_REVIEW_MODE_MISMATCH` (exit 1) before any gate runs.
 * - Gate 1 (`wp_lane_check`): every WP of the reduced snapshot (the WPs the
 *   event log mentions, in the log's order, as spec-kitty's `check_wp_lanes`)
 *   is `done`, and the review-artifact gate passes over them. A WP file with
 *   no events is not counted; it is listed in `notes`.
 * - Gate 2 (`dead_code_scan`): a modern mission (truthy `mission_id`) without
 *   a baseline fails with `LIGHTWEIGHT_REVIEW_MISSING_BASELINE`; a legacy one
 *   is skipped and the verdict carries `LEGACY_MISSION_DEAD_CODE_SKIP`; with a
 *   baseline the scan runs, and when it cannot run the gate fails with
 *   `MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE`.
 * - Verdict: `fail` when any finding is hard, `pass_with_notes` when there are
 *   only notes, `pass` otherwise. Written to
 *   `kitty-specs/<mission>/mission-review-report.md` atomically.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { missionBaseline } from "./record_merge.ts";
import { nameParam } from "../param_schemas.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { atomicWriteText } from "../store/mod.ts";
import { checkReviewArtifacts } from "./check_review_artifacts.ts";
import type { GateCode } from "./codes.ts";
import { type DeadCodeScan, scanDeadCode } from "./dead_code_scan.ts";
import type { GitRunner } from "../git/mod.ts";
import { requireCliGit } from "../git/mod.ts";
import { type Mission, openMission } from "../mission/mod.ts";
import { renderReviewReport } from "./review_report.ts";

/** Params of {@link reviewOp}. */
export const ReviewParams = z.strictObject({
  mission: nameParam().describe("Mission handle: slug, mission_id, or its 8-char prefix."),
  mode: z.enum(["lightweight", "post-merge"]).optional().describe(
    "Review mode (default: post-merge when a baseline exists, else lightweight).",
  ),
});

/** One finding of the review. */
export interface ReviewFinding {
  /** spec-kitty's finding type (`wp_not_done`, `dead_code`, …). */
  type: string;
  /** The diagnostic code. */
  code: GateCode;
  /** `error` for hard findings, `warning` for notes. */
  severity: "error" | "warning";
  /** Whether it makes the verdict `fail`. */
  hard: boolean;
  /** One line. */
  message: string;
  /** Structured details (paths, WP ids, symbols). */
  evidence: Record<string, unknown>;
}

/** A gate's result. */
export interface ReviewGate {
  /** `gate_1`, `gate_2`. */
  id: "gate_1" | "gate_2";
  /** `wp_lane_check`, `dead_code_scan`. */
  name: "wp_lane_check" | "dead_code_scan";
  /** How it ran. */
  command: string;
  /** `pass`, `fail` or `skipped`. */
  result: "pass" | "fail" | "skipped";
  /** 1 when it failed. */
  exit_code: 0 | 1;
  /** Number of findings from this gate. */
  findings: number;
  /** One line on what the gate saw. */
  summary: string;
}

/** The review's result (the `--json` document). */
export interface ReviewResult {
  /** The mission slug. */
  mission_slug: string;
  /** meta.json `mission_id` (null for a legacy mission). */
  mission_id: string | null;
  /** The mode used. */
  mode: "lightweight" | "post-merge";
  /** Whether the mode was given or detected. */
  mode_source: "explicit" | "auto-detected";
  /** meta.json `baseline_merge_commit` (null when absent or empty). */
  baseline_merge_commit: string | null;
  /** The verdict. */
  verdict: "pass" | "pass_with_notes" | "fail";
  /** Tags carried by the verdict (`LEGACY_MISSION_DEAD_CODE_SKIP`). */
  verdict_tags: string[];
  /** Every gate. */
  gates: ReviewGate[];
  /** Every finding. */
  findings: ReviewFinding[];
  /** Observations that are not findings (`WP_NOT_IN_EVENT_LOG`: a WP file with no events). */
  notes: { code: "WP_NOT_IN_EVENT_LOG"; wp_id: string; message: string }[];
  /** Structured diagnostics, one per finding: `{code, …}`. */
  diagnostics: Record<string, unknown>[];
  /** The dead-code scan's numbers, when it ran. */
  dead_code_scan: {
    baseline: string;
    head: string;
    changed_files: number;
    symbols_scanned: number;
    unreferenced: number;
  } | null;
  /** `not_applicable` in lightweight mode; whether `issue-matrix.md` exists otherwise. */
  issue_matrix_present: boolean | "not_applicable";
  /** Repository-relative path of the report written. */
  report_path: string;
  /** ISO time of the review. */
  reviewed_at: string;
}

/** Extra options for {@link reviewOp} (tests). */
export interface ReviewOpOptions {
  /** The git port. */
  git?: GitRunner;
}

const _MISSING_BASELINE_REMEDIATION =
  "Run `keel merge` to record baseline_merge_commit in meta.json (or set meta.json " +
  "baseline_merge_commit to the target-branch commit the mission started from), then rerun " +
  "review; after a merge the mode auto-detects as post-merge.";
const _UNDETERMINABLE_REMEDIATION =
  "Make the dead-code scan runnable: run review inside the git repository, with git on PATH " +
  "and baseline_merge_commit naming a commit of this repository.";

/**
 * Review a mission.
 *
 * @param params `{mission, mode?}`.
 * @param ctx Operation context.
 * @param options The git port.
 * @returns The verdict with every gate, finding and diagnostic; the report is written.
 * @throws {KeelError} `MISSION_REVIEW_MODE_MISMATCH` (exit 1) for `post-merge`
 *   without a baseline; `MISSION_NOT_FOUND` and other input errors (exit 3).
 */
export async function reviewOp(
  params: z.input<typeof ReviewParams>,
  ctx: OpContext,
  options: ReviewOpOptions = {},
): Promise<ReviewResult> {
  params = parseParams(ReviewParams, params);
  const mission = await openMission(ctx.cwd, params.mission);
  const meta = mission.meta;
  const missionId = typeof meta.mission_id === "string" && meta.mission_id.trim() !== ""
    ? meta.mission_id
    : null;
  const baseline = missionBaseline(meta);
  const mode = params.mode ?? (baseline !== null ? "post-merge" : "lightweight");
  if (mode === "post-merge" && baseline === null) {
    throw new KeelError(
      "MISSION_REVIEW_MODE_MISMATCH",
      `MISSION_REVIEW_MODE_MISMATCH: --mode post-merge was requested but meta.json ` +
        `baseline_merge_commit is absent for ${mission.slug}. Merge the mission first ` +
        `(keel merge), or run --mode lightweight.`,
      { data: { mission_slug: mission.slug, mode } },
    );
  }

  // Gate 1: every WP done, and the review-artifact gate.
  const gate1: ReviewFinding[] = [];
  const states = mission.snapshot.work_packages;
  const wpIds = Object.keys(states);
  for (const wp of wpIds) {
    const lane = states[wp]!.lane;
    if (lane === "done") continue;
    gate1.push({
      type: "wp_not_done",
      code: "WP_NOT_DONE",
      severity: "error",
      hard: true,
      message: `${wp} is in lane '${lane}', not done.`,
      evidence: { wp_id: wp, lane },
    });
  }
  const notes: ReviewResult["notes"] = _wpFileIds(mission)
    .filter((wp) => !Object.hasOwn(states, wp))
    .map((wp) => ({
      code: "WP_NOT_IN_EVENT_LOG" as const,
      wp_id: wp,
      message: `${wp} has a WP file but no events in the log; the lane check does not count it.`,
    }));
  const artifacts = await checkReviewArtifacts(mission);
  for (const b of artifacts.blockers) {
    const rejected = b.diagnostic_code === "REJECTED_REVIEW_ARTIFACT_CONFLICT";
    gate1.push({
      type: rejected ? "rejected_review_artifact" : "review_artifact_schema_invalid",
      code: b.diagnostic_code,
      severity: "error",
      hard: true,
      message: b.message,
      evidence: { ...b },
    });
  }

  // Gate 2: dead code.
  const gate2: ReviewFinding[] = [];
  const tags: string[] = [];
  let scanSummary: ReviewResult["dead_code_scan"] = null;
  let gate2Result: ReviewGate["result"];
  let gate2Summary: string;
  if (baseline === null && missionId !== null) {
    gate2.push({
      type: "dead_code_baseline_missing",
      code: "LIGHTWEIGHT_REVIEW_MISSING_BASELINE",
      severity: "error",
      hard: true,
      message: `missing baseline_merge_commit in meta.json of ${mission.slug}: ` +
        _MISSING_BASELINE_REMEDIATION,
      evidence: {
        mission_id: missionId,
        mission_slug: mission.slug,
        remediation: _MISSING_BASELINE_REMEDIATION,
      },
    });
    gate2Result = "fail";
    gate2Summary = "missing baseline_merge_commit (LIGHTWEIGHT_REVIEW_MISSING_BASELINE)";
  } else if (baseline === null) {
    tags.push("LEGACY_MISSION_DEAD_CODE_SKIP");
    gate2.push({
      type: "dead_code_scan_skipped",
      code: "LEGACY_MISSION_DEAD_CODE_SKIP",
      severity: "warning",
      hard: false,
      message: "Dead-code scan skipped: legacy mission (no mission_id) without " +
        "baseline_merge_commit in meta.json.",
      evidence: { mission_slug: mission.slug },
    });
    gate2Result = "skipped";
    gate2Summary =
      "skipped: no baseline_merge_commit (legacy mission, LEGACY_MISSION_DEAD_CODE_SKIP)";
  } else {
    // The dead-code scan diffs and greps with the git CLI.
    if (options.git === undefined) requireCliGit(ctx.gitBackend, "review");
    const scan: DeadCodeScan = await scanDeadCode(baseline, {
      cwd: mission.dir,
      ...(options.git ? { git: options.git } : {}),
    });
    if (scan.status === "undeterminable") {
      gate2.push({
        type: "dead_code_undeterminable",
        code: "MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE",
        severity: "error",
        hard: true,
        message: `Dead-code scan could not run: ${scan.reason}.`,
        evidence: { reason: scan.reason, baseline, remediation: _UNDETERMINABLE_REMEDIATION },
      });
      gate2Result = "fail";
      gate2Summary = `undeterminable: ${scan.reason} (MISSION_REVIEW_DEAD_CODE_UNDETERMINABLE)`;
    } else {
      for (const s of scan.unreferenced) {
        gate2.push({
          type: "dead_code",
          code: "DEAD_CODE_UNREFERENCED_SYMBOL",
          severity: "warning",
          hard: false,
          message: `${s.kind} ${s.symbol} in ${s.file} is public, added since the baseline, ` +
            `and referenced nowhere outside its file and tests.`,
          evidence: { symbol: s.symbol, file: s.file, kind: s.kind, language: s.language },
        });
      }
      scanSummary = {
        baseline: scan.baseline,
        head: scan.head,
        changed_files: scan.changed_files,
        symbols_scanned: scan.symbols_scanned,
        unreferenced: scan.unreferenced.length,
      };
      gate2Result = "pass";
      gate2Summary = `${scan.unreferenced.length} unreferenced public symbol(s) of ` +
        `${scan.symbols_scanned} added in ${scan.changed_files} changed file(s) since ` +
        `${scan.baseline.slice(0, 12)}`;
    }
  }

  const findings = [...gate1, ...gate2];
  const verdict = findings.some((f) => f.hard)
    ? "fail"
    : findings.length > 0
    ? "pass_with_notes"
    : "pass";
  const gate1Fail = gate1.some((f) => f.hard);
  const gates: ReviewGate[] = [
    {
      id: "gate_1",
      name: "wp_lane_check",
      command: "keel review (internal gate 1)",
      result: gate1Fail ? "fail" : "pass",
      exit_code: gate1Fail ? 1 : 0,
      findings: gate1.length,
      summary: `${wpIds.length} WP(s) in the event log: ${
        gate1.filter((f) => f.type === "wp_not_done").length
      } not done, ${artifacts.blockers.length} review-artifact blocker(s)${
        notes.length === 0
          ? ""
          : `; not in the event log (not counted): ${notes.map((n) => n.wp_id).join(", ")}`
      }`,
    },
    {
      id: "gate_2",
      name: "dead_code_scan",
      command: "keel review (internal gate 2)",
      result: gate2Result,
      exit_code: gate2Result === "fail" ? 1 : 0,
      findings: gate2.length,
      summary: gate2Summary,
    },
  ];
  const issueMatrix = mode === "lightweight"
    ? "not_applicable" as const
    : await _exists(join(mission.dir, "issue-matrix.md"));
  const reviewedAt = ctx.clock.now().toISOString();
  const reportPath = `${mission.repoRelDir}/mission-review-report.md`;
  await atomicWriteText(
    join(mission.dir, "mission-review-report.md"),
    renderReviewReport({
      verdict,
      verdict_tags: tags,
      mode,
      reviewed_at: reviewedAt,
      gates,
      findings,
      issue_matrix_present: issueMatrix,
    }),
  );
  return {
    mission_slug: mission.slug,
    mission_id: missionId,
    mode,
    mode_source: params.mode === undefined ? "auto-detected" : "explicit",
    baseline_merge_commit: baseline,
    verdict,
    verdict_tags: tags,
    gates,
    findings,
    notes,
    diagnostics: findings.map((f) => ({ code: f.code, ...f.evidence })),
    dead_code_scan: scanSummary,
    issue_matrix_present: issueMatrix,
    report_path: reportPath,
    reviewed_at: reviewedAt,
  };
}

/** The WP ids of `tasks/WP*.md` (frontmatter id, else the file name's), in file-name order. */
function _wpFileIds(mission: Mission): string[] {
  const ids: string[] = [];
  for (const wp of mission.wps) {
    const id = wp.id ?? wp.fileId;
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
