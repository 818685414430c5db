/**
 * `keel merge --mission H [--dry-run]` / `mission/merge`: the review-artifact
 * gate first, then (shared by dry-run and the real merge) the git preflight,
 * then either the preview or the merge of each lane branch into the target
 * branch, in lane order.
 *
 * A blocked merge returns the same document in both modes and writes nothing.
 * The real merge merges each lane with `git merge --no-ff`, records the
 * target's pre-merge tip as `baseline_merge_commit` in meta.json as soon as
 * the first lane has landed, and appends `approved→done` events for the WPs
 * of every merged lane. A conflicting lane is aborted
 * (`git merge --abort`), leaving the repository as before that step; a re-run
 * skips lanes already merged (`git merge-base --is-ancestor`).
 *
 * @module
 */

import { z } from "zod";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { checkReviewArtifacts, type ReviewArtifactBlocker } from "./check_review_artifacts.ts";
import { type GitOutput, type GitRunner, runGit } from "./git_cli.ts";
import {
  laneBranchCandidates,
  lanesInMergeOrder,
  type LanesManifest,
  readLanesManifest,
} from "./lanes_manifest.ts";
import { type GateMission, loadGateMission } from "./mission_view.ts";
import { type AppendedDoneEvent, recordDoneEvents, writeBaseline } from "./record_merge.ts";

/** Params of {@link mergeOp}. */
export const MergeParams = z.strictObject({
  mission: z.string().min(1).describe("Mission handle: slug, mission_id, or its 8-char prefix."),
  dryRun: z.boolean().optional().describe("Preview only; write nothing."),
});

/** A lane branch that does not exist. */
export interface LaneBranchMissingBlocker {
  /** `LANE_BRANCH_MISSING`. */
  diagnostic_code: "LANE_BRANCH_MISSING";
  /** The lane. */
  lane_id: string;
  /** The branch that was expected (lanes.json's naming). */
  branch: string;
  /** Every name that was tried. */
  candidates: string[];
  /** The lane's WPs. */
  wp_ids: string[];
  /** What to do. */
  remediation: string[];
  /** One human line. */
  message: string;
}

/** The target branch is not the checked-out branch. */
export interface TargetNotCheckedOutBlocker {
  /** `TARGET_BRANCH_NOT_CHECKED_OUT`. */
  diagnostic_code: "TARGET_BRANCH_NOT_CHECKED_OUT";
  /** The target branch. */
  target_branch: string;
  /** The checked-out branch (null when HEAD is detached). */
  current_branch: string | null;
  /** What to do. */
  remediation: string[];
  /** One human line. */
  message: string;
}

/** Anything that blocks a merge. */
export type MergeBlocker =
  | ReviewArtifactBlocker
  | LaneBranchMissingBlocker
  | TargetNotCheckedOutBlocker;

/** The blocked result, identical for dry-run and the real merge. */
export interface MergeBlockedResult {
  /** The mission slug. */
  mission_slug: string;
  /** The target branch. */
  target_branch: string;
  /** Always true. */
  blocked: true;
  /** Every blocker. */
  blockers: MergeBlocker[];
  /** The first blocker's code. */
  diagnostic_code: string;
}

/** A lane in the merge plan. */
export interface MergePlanLane {
  /** The lane id. */
  lane_id: string;
  /** The branch merged into the target. */
  branch: string;
  /** The lane's WPs. */
  wp_ids: string[];
  /** Lane dependency depth. */
  parallel_group: number;
  /** Lanes it depends on. */
  depends_on_lanes: string[];
  /** `merge` (to be merged), `already_merged`, or `on_target` (lane-planning). */
  action: "merge" | "already_merged" | "on_target";
}

/** An event the merge records (or would record). */
export interface PlannedDoneEvent {
  /** The WP. */
  wp_id: string;
  /** The lane that carried it. */
  lane_id: string;
  /** `approved`. */
  from_lane: "approved";
  /** `done`. */
  to_lane: "done";
}

/** The dry-run preview. */
export interface MergePreviewResult {
  /** The mission slug. */
  mission_slug: string;
  /** The target branch. */
  target_branch: string;
  /** Always false. */
  blocked: false;
  /** Always true. */
  dry_run: true;
  /** lanes.json `mission_branch`. */
  mission_branch: string;
  /** Lanes in merge order (by parallel_group, then lane_id). */
  lanes: MergePlanLane[];
  /** What the real merge would record. */
  would_record: {
    /** Repository-relative meta.json. */
    meta_path: string;
    /** The value `baseline_merge_commit` would get (the target's tip now), or the kept one. */
    baseline_merge_commit: string | null;
    /** `approved→done` events, one per approved WP of the merged lanes. */
    events: PlannedDoneEvent[];
  };
  /** WPs of the lanes that are neither approved nor done (they get no event). */
  not_approved: { wp_id: string; lane: string | null }[];
}

/** The real merge's result. */
export interface MergeDoneResult {
  /** The mission slug. */
  mission_slug: string;
  /** The target branch. */
  target_branch: string;
  /** Always false. */
  blocked: false;
  /** Always false. */
  dry_run: false;
  /** lanes.json `mission_branch`. */
  mission_branch: string;
  /** Lanes in merge order, with what was done. */
  lanes: (MergePlanLane & { merge_commit: string | null })[];
  /** The recorded baseline. */
  baseline_merge_commit: string | null;
  /** The events appended. */
  events: AppendedDoneEvent[];
  /** The target's tip after the merge. */
  head: string;
}

/** Result of {@link mergeOp}. */
export type MergeResult = MergeBlockedResult | MergePreviewResult | MergeDoneResult;

/** Extra options for {@link mergeOp} (tests). */
export interface MergeOpOptions {
  /** The git port. */
  git?: GitRunner;
}

/**
 * Merge a mission's lanes (or preview it).
 *
 * @param params `{mission, dryRun?}`.
 * @param ctx Operation context.
 * @param options The git port.
 * @returns The blocked document, the preview, or what was merged.
 * @throws {KeelError} `LANES_JSON_MISSING` / `LANES_JSON_INVALID` (exit 3),
 *   `MISSION_NOT_FOUND`, `REPO_NOT_FOUND`, `MERGE_CONFLICT` (exit 1, data
 *   `{lane_id, branch, files, merged_lanes}`), `GIT_FAILED`.
 */
export async function mergeOp(
  params: z.input<typeof MergeParams>,
  ctx: OpContext,
  options: MergeOpOptions = {},
): Promise<MergeResult> {
  const git = options.git ?? runGit;
  const mission = await loadGateMission(params.mission, ctx);
  const manifest = await readLanesManifest(mission.dir, mission.repoRelDir);
  const wpIds = manifest.lanes.flatMap((l) => l.wp_ids);
  const gate = await checkReviewArtifacts(mission, { wpIds });
  if (!gate.passed) return _blocked(mission, manifest, gate.blockers);

  const pre = await _preflight(mission, manifest, git);
  if (pre.blockers.length > 0) return _blocked(mission, manifest, pre.blockers);
  const events = _plannedEvents(mission, pre.lanes);
  const anyMerged = pre.lanes.some((l) => l.action === "already_merged");
  const recordedBaseline = _baselineOf(mission.meta);
  const baseline = anyMerged ? recordedBaseline : pre.targetTip;

  if (params.dryRun === true) {
    return {
      mission_slug: mission.slug,
      target_branch: manifest.target_branch,
      blocked: false,
      dry_run: true,
      mission_branch: manifest.mission_branch,
      lanes: pre.lanes,
      would_record: {
        meta_path: `${mission.repoRelDir}/meta.json`,
        baseline_merge_commit: baseline,
        events,
      },
      not_approved: wpIds
        .filter((id) => !["approved", "done"].includes(mission.snapshot[id]?.lane ?? ""))
        .map((id) => ({ wp_id: id, lane: mission.snapshot[id]?.lane ?? null })),
    };
  }

  // The baseline is written once the first lane has landed (a conflict on the
  // first lane therefore writes nothing); a resumed merge keeps the recorded one.
  let baselineRecorded = anyMerged;
  const recordBaseline = async () => {
    if (baselineRecorded) return;
    baselineRecorded = true;
    if (baseline !== null && baseline !== recordedBaseline) await writeBaseline(mission, baseline);
  };
  const done: (MergePlanLane & { merge_commit: string | null })[] = [];
  const appended: AppendedDoneEvent[] = [];
  const actor = ctx.env.KEEL_AGENT ?? "keel";
  for (const lane of pre.lanes) {
    let mergeCommit: string | null = null;
    if (lane.action === "merge") {
      mergeCommit = await _mergeLane(pre.root, lane, {
        git,
        manifest,
        mission,
        merged: done.filter((l) => l.action !== "on_target").map((l) => l.lane_id),
      });
    }
    await recordBaseline();
    done.push({ ...lane, merge_commit: mergeCommit });
    appended.push(
      ...await recordDoneEvents(mission, {
        wpIds: lane.wp_ids,
        laneId: lane.lane_id,
        actor,
        reason: lane.action === "on_target"
          ? `${lane.lane_id} lives on ${manifest.target_branch}`
          : `merged ${lane.branch} into ${manifest.target_branch}`,
        executionMode: lane.lane_id === "lane-planning" ? "direct_repo" : "worktree",
        targetBranch: manifest.target_branch,
        clock: ctx.clock,
      }),
    );
  }
  await recordBaseline();
  const head = await _revParse(git, pre.root, `refs/heads/${manifest.target_branch}`);
  return {
    mission_slug: mission.slug,
    target_branch: manifest.target_branch,
    blocked: false,
    dry_run: false,
    mission_branch: manifest.mission_branch,
    lanes: done,
    baseline_merge_commit: baseline,
    events: appended,
    head: head ?? "",
  };
}

function _blocked(
  mission: GateMission,
  manifest: LanesManifest,
  blockers: MergeBlocker[],
): MergeBlockedResult {
  return {
    mission_slug: mission.slug,
    target_branch: manifest.target_branch,
    blocked: true,
    blockers,
    diagnostic_code: blockers[0]!.diagnostic_code,
  };
}

async function _preflight(
  mission: GateMission,
  manifest: LanesManifest,
  git: GitRunner,
): Promise<
  { root: string; targetTip: string | null; lanes: MergePlanLane[]; blockers: MergeBlocker[] }
> {
  const top = await git(["rev-parse", "--show-toplevel"], mission.dir);
  if (top.code === -1) {
    throw new KeelError("GIT_UNAVAILABLE", "merge needs the git executable, which is not on PATH", {
      data: { backend: "cli" },
    });
  }
  if (top.code !== 0) {
    throw new KeelError("REPO_NOT_FOUND", `${mission.dir} is not inside a git repository`, {
      data: { path: mission.dir },
    });
  }
  const root = top.stdout.trim();
  const target = manifest.target_branch;
  const blockers: MergeBlocker[] = [];
  const targetTip = await _revParse(git, root, `refs/heads/${target}`);
  const current = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], root);
  const currentBranch = current.code === 0 ? current.stdout.trim() : null;
  if (targetTip === null || currentBranch !== target) {
    blockers.push({
      diagnostic_code: "TARGET_BRANCH_NOT_CHECKED_OUT",
      target_branch: target,
      current_branch: currentBranch,
      remediation: [`Check out ${target} in ${root} (git switch ${target}), then merge again.`],
      message: targetTip === null
        ? `The target branch ${target} does not exist.`
        : `The target branch ${target} is not checked out (HEAD is ${
          currentBranch ?? "detached"
        }).`,
    });
  }
  const lanes: MergePlanLane[] = [];
  for (const lane of lanesInMergeOrder(manifest.lanes)) {
    const missionId = typeof mission.meta.mission_id === "string" && mission.meta.mission_id !== ""
      ? mission.meta.mission_id
      : null;
    const candidates = laneBranchCandidates(manifest, lane.lane_id, missionId);
    const base = {
      lane_id: lane.lane_id,
      branch: candidates[0]!,
      wp_ids: lane.wp_ids,
      parallel_group: lane.parallel_group,
      depends_on_lanes: lane.depends_on_lanes,
    };
    if (lane.lane_id === "lane-planning") {
      lanes.push({ ...base, action: "on_target" });
      continue;
    }
    let tip: string | null = null;
    for (const name of candidates) {
      tip = await _revParse(git, root, `refs/heads/${name}`);
      if (tip !== null) {
        base.branch = name;
        break;
      }
    }
    if (tip === null) {
      blockers.push({
        diagnostic_code: "LANE_BRANCH_MISSING",
        lane_id: lane.lane_id,
        branch: base.branch,
        candidates,
        wp_ids: lane.wp_ids,
        remediation: [`Create or fetch the lane branch ${base.branch}, or recompute lanes.json.`],
        message: `Lane ${lane.lane_id} (${lane.wp_ids.join(", ")}): branch ${base.branch} does ` +
          `not exist.`,
      });
      continue;
    }
    let merged = false;
    if (targetTip !== null) {
      const anc = await git(["merge-base", "--is-ancestor", tip, targetTip], root);
      merged = anc.code === 0;
    }
    lanes.push({ ...base, action: merged ? "already_merged" : "merge" });
  }
  return { root, targetTip, lanes, blockers };
}

function _plannedEvents(mission: GateMission, lanes: MergePlanLane[]): PlannedDoneEvent[] {
  const out: PlannedDoneEvent[] = [];
  for (const lane of lanes) {
    for (const wp of lane.wp_ids) {
      if (mission.snapshot[wp]?.lane !== "approved") continue;
      out.push({ wp_id: wp, lane_id: lane.lane_id, from_lane: "approved", to_lane: "done" });
    }
  }
  return out;
}

async function _mergeLane(
  root: string,
  lane: MergePlanLane,
  opts: { git: GitRunner; manifest: LanesManifest; mission: GateMission; merged: string[] },
): Promise<string> {
  const { git, manifest } = opts;
  const target = manifest.target_branch;
  const before = await _revParse(git, root, "HEAD");
  const out = await git([
    "merge",
    "--no-ff",
    "--no-edit",
    "-m",
    `Merge ${lane.branch} into ${target} (${opts.mission.slug} ${lane.lane_id})`,
    lane.branch,
  ], root);
  if (out.code === 0) return (await _revParse(git, root, "HEAD")) ?? "";
  const inMerge = (await _revParse(git, root, "MERGE_HEAD")) !== null;
  const unmerged = await git(["diff", "--name-only", "--diff-filter=U", "-z"], root);
  const files = unmerged.stdout.split("\0").filter((f) => f !== "").sort();
  if (inMerge) await git(["merge", "--abort"], root);
  else if (files.length === 0) _gitFailed(["merge", lane.branch], out);
  const after = await _revParse(git, root, "HEAD");
  if (after !== before && before !== null) {
    await git(["reset", "--merge", before], root);
  }
  throw new KeelError(
    "MERGE_CONFLICT",
    `Lane ${lane.lane_id} (${lane.branch}) does not merge cleanly into ${target}: ${
      files.length > 0 ? files.join(", ") : out.stderr.trim()
    }. The merge of this lane was aborted; resolve the conflict on the lane branch and run merge again.`,
    {
      data: {
        mission_slug: opts.mission.slug,
        lane_id: lane.lane_id,
        branch: lane.branch,
        target_branch: target,
        files,
        merged_lanes: opts.merged,
      },
    },
  );
}

async function _revParse(git: GitRunner, root: string, rev: string): Promise<string | null> {
  const out = await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], root);
  return out.code === 0 ? out.stdout.trim() : null;
}

function _gitFailed(args: string[], out: GitOutput): never {
  throw new KeelError("GIT_FAILED", `git ${args.join(" ")} failed: ${out.stderr.trim()}`, {
    data: { args, stderr: out.stderr },
  });
}

function _baselineOf(meta: Record<string, unknown>): string | null {
  const b = meta.baseline_merge_commit;
  return typeof b === "string" && b.trim() !== "" ? b : null;
}
