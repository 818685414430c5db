/**
 * `keel merge --mission H [--dry-run]` / `mission/merge`: the review-artifact
 * gate first, then (shared by dry-run and the real merge) the git preflight,
 * then either the preview or the merge of each lane branch into the target
 * branch, in lane order.
 *
 * The target branch is resolved as spec-kitty resolves it: `--target` >
 * meta.json `merge_target_branch` > meta.json `target_branch` > the
 * repository's default branch (see `merge_target.ts`); a lanes.json
 * `target_branch` that disagrees is a warning in every payload.
 *
 * A blocked merge returns the same document in both modes and writes nothing.
 * Deliberately, the dry-run refuses wherever the real merge would refuse
 * (target branch not checked out, lane branch missing, a git operation in
 * progress), which spec-kitty's dry-run does not check.
 *
 * The real merge runs its whole git phase under the repository's merge lock
 * (`merge_guard.ts`): a second merge is refused at once (`MERGE_IN_PROGRESS`),
 * and so is a merge that finds a merge, rebase, cherry-pick or revert already
 * in progress. It merges each lane's tip with `git merge --no-ff`, records the
 * target's pre-merge tip as `baseline_merge_commit` in meta.json as soon as
 * the first lane has landed, and appends `approved→done` events for the WPs
 * of every merged lane. A conflicting lane is aborted (`git merge --abort`,
 * only for the merge keel itself started), leaving the repository as before
 * that step; a re-run skips lanes already merged
 * (`git merge-base --is-ancestor`) and, when meta.json has no baseline yet,
 * derives it from the first lane merge's first parent. The lock file records
 * the lane merge under way, so a re-run after keel was killed mid-merge can
 * recognise that one merge and recover it (and nothing else).
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { checkReviewArtifacts, type ReviewArtifactBlocker } from "./check_review_artifacts.ts";
import { type GitOutput, type GitRunner, runGit } from "../git/mod.ts";
import { requireCliGit } from "../git/mod.ts";
import { type Mission, openMission, PLANNING_LANE_ID } from "../mission/mod.ts";
import { TERMINAL_REVIEW_LANES } from "./codes.ts";
import {
  laneBranchCandidates,
  lanesInMergeOrder,
  type LanesManifest,
  readLanesManifest,
} from "./lanes_manifest.ts";
import {
  assertNoOperationInProgress,
  type GitDirs,
  gitDirs,
  indexLockedError,
  type MergeLockHandle,
  withMergeLock,
} from "./merge_guard.ts";
import {
  type MergeTargetSource,
  type MergeWarning,
  metaTarget,
  resolveMergeTarget,
  targetWarnings,
} from "./merge_target.ts";
import {
  type AppendedDoneEvent,
  missionBaseline,
  recordDoneEvents,
  writeBaseline,
} from "./record_merge.ts";

/** Params of {@link mergeOp}. */
export const MergeParams = z.strictObject({
  mission: nameParam().describe("Mission handle: slug, mission_id, or its 8-char prefix."),
  dryRun: z.boolean().optional().describe("Preview only; write nothing."),
  target: nameParam().optional().describe(
    "Target branch; default: meta.json merge_target_branch, target_branch, else the default branch.",
  ),
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
  /** Where the target branch came from. */
  target_source: MergeTargetSource;
  /** Warnings (lanes.json disagreeing with meta.json about the target). */
  warnings: MergeWarning[];
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
  /** Where the target branch came from. */
  target_source: MergeTargetSource;
  /** Warnings (lanes.json disagreeing with meta.json about the target). */
  warnings: MergeWarning[];
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
    /**
     * The value `baseline_merge_commit` would get: the target's tip now, the
     * recorded one, or (on a resume without one) the first lane merge's first parent.
     */
    baseline_merge_commit: string | null;
    /** `approved→done` events, one per approved WP of the merged lanes. */
    events: PlannedDoneEvent[];
  };
  /** WPs of the lanes that are neither approved nor done (they get no event). */
  not_approved: { wp_id: string; lane: string | null }[];
}

/** A lane of the real merge, with its merge commit (null when nothing was merged). */
export interface MergedLane extends MergePlanLane {
  /** The merge commit made for the lane, or null. */
  merge_commit: string | null;
}

/** The real merge's result. */
export interface MergeDoneResult {
  /** The mission slug. */
  mission_slug: string;
  /** The target branch. */
  target_branch: string;
  /** Where the target branch came from. */
  target_source: MergeTargetSource;
  /** Warnings (lanes.json disagreeing with meta.json about the target). */
  warnings: MergeWarning[];
  /** Always false. */
  blocked: false;
  /** Always false. */
  dry_run: false;
  /** lanes.json `mission_branch`. */
  mission_branch: string;
  /** Lanes in merge order, with what was done. */
  lanes: MergedLane[];
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

/** What every step of one merge shares. */
interface MergeRun {
  git: GitRunner;
  mission: Mission;
  manifest: LanesManifest;
  /** The work tree's top level (set once the review gate has passed). */
  root: string;
  /** The resolved target branch. */
  target: string;
  targetSource: MergeTargetSource;
  warnings: MergeWarning[];
}

/** The preflight's findings. */
interface Preflight {
  targetTip: string | null;
  lanes: MergePlanLane[];
  /** Lane id → the lane branch's tip (lanes with a branch). */
  tips: Map<string, string>;
  blockers: MergeBlocker[];
}

/**
 * Merge a mission's lanes (or preview it).
 *
 * @param params `{mission, dryRun?, target?}`.
 * @param ctx Operation context.
 * @param options The git port.
 * @returns The blocked document, the preview, or what was merged.
 * @throws {KeelError} `LANES_JSON_MISSING` / `LANES_JSON_INVALID` (exit 3),
 *   `MISSION_NOT_FOUND`, `REPO_NOT_FOUND`, `USAGE` (invalid `--target`),
 *   `MISSION_META_INVALID`, `MERGE_IN_PROGRESS` (another keel merge holds the
 *   lock, data `{lock, holder_pid}`; or a git merge/rebase/cherry-pick/revert
 *   is unfinished, data `{root, operation, marker}`), `GIT_INDEX_LOCKED`
 *   (data `{path}`), `MERGE_CONFLICT` (exit 1, data
 *   `{lane_id, branch, files, merged_lanes}`), `STATE_CHANGED` (the target
 *   moved underneath the merge), `GIT_FAILED`.
 */
export async function mergeOp(
  params: z.input<typeof MergeParams>,
  ctx: OpContext,
  options: MergeOpOptions = {},
): Promise<MergeResult> {
  params = parseParams(MergeParams, params);
  // Merging needs the git CLI (merges, worktrees, branches): refused up front.
  if (options.git === undefined) requireCliGit(ctx.gitBackend, "merge");
  const git = options.git ?? runGit;
  const mission = await openMission(ctx.cwd, params.mission);
  const manifest = await readLanesManifest(mission.dir, mission.repoRelDir);
  const metaPath = `${mission.repoRelDir}/meta.json`;
  const fromMeta = metaTarget(mission.meta, metaPath);
  const target = await resolveMergeTarget(mission.meta, {
    explicit: params.target,
    metaPath,
    git,
    root: mission.dir,
  });
  const wpIds = manifest.lanes.flatMap((l) => l.wp_ids);
  const gate = await checkReviewArtifacts(mission, { wpIds });
  const run: MergeRun = {
    git,
    mission,
    manifest,
    root: "",
    target: target.branch,
    targetSource: target.source,
    warnings: targetWarnings(manifest.target_branch, fromMeta, target),
  };
  if (!gate.passed) return _blocked(run, gate.blockers);

  const root = run.root = await _repoRoot(git, mission.dir);
  const dirs = await gitDirs(git, root);
  if (params.dryRun === true) {
    // The dry-run refuses what the real merge refuses; it takes no lock.
    await assertNoOperationInProgress(dirs, root);
    return await _preview(run, wpIds);
  }
  return await withMergeLock(dirs.commonDir, async (lock) => {
    await _recoverAbandoned(run, lock);
    await assertNoOperationInProgress(dirs, root);
    return await _merge(run, { dirs, lock }, ctx);
  });
}

async function _preview(run: MergeRun, wpIds: string[]): Promise<MergeResult> {
  const { mission } = run;
  const pre = await _preflight(run);
  if (pre.blockers.length > 0) return _blocked(run, pre.blockers);
  return {
    mission_slug: mission.slug,
    target_branch: run.target,
    target_source: run.targetSource,
    warnings: run.warnings,
    blocked: false,
    dry_run: true,
    mission_branch: run.manifest.mission_branch,
    lanes: pre.lanes,
    would_record: {
      meta_path: `${mission.repoRelDir}/meta.json`,
      baseline_merge_commit: await _baseline(run, pre),
      events: _plannedEvents(mission, pre.lanes),
    },
    not_approved: wpIds
      .filter((id) => !TERMINAL_REVIEW_LANES.has(_laneOf(mission, id) ?? ""))
      .map((id) => ({ wp_id: id, lane: _laneOf(mission, id) })),
  };
}

/**
 * A lane merge keel started and was killed in: the lock's journal names the
 * lane tip and the target commit, and MERGE_HEAD is still that tip. When HEAD
 * is still that commit, the merge never finished: it is aborted. When HEAD is
 * the merge commit of exactly that tip onto that commit (git was killed after
 * committing, before cleaning up), only the leftover merge state is cleared
 * (`git merge --quit`). Anything else is left for the in-progress check to refuse.
 */
async function _recoverAbandoned(run: MergeRun, lock: MergeLockHandle): Promise<void> {
  const j = lock.previous;
  if (j === null || j.root !== run.root) return;
  const { git, root } = run;
  if ((await _revParse(git, root, "MERGE_HEAD")) !== j.tip) return;
  const head = await _revParse(git, root, "HEAD");
  let action: "aborted" | "cleared";
  if (head === j.head) action = "aborted";
  else if (
    head !== null && (await _revParse(git, root, `${head}^1`)) === j.head &&
    (await _revParse(git, root, `${head}^2`)) === j.tip
  ) action = "cleared";
  else return;
  const args = action === "aborted" ? ["merge", "--abort"] : ["merge", "--quit"];
  const out = await git(args, root);
  if (out.code !== 0) _gitFailed(args, out);
  run.warnings.push({
    code: "ABANDONED_MERGE_RECOVERED",
    action,
    tip: j.tip,
    head: j.head,
    message: action === "aborted"
      ? `A lane merge of ${j.tip.slice(0, 12)} left unfinished by a killed keel merge was ` +
        `aborted; merging again.`
      : `A lane merge of ${j.tip.slice(0, 12)} by a killed keel merge was committed but not ` +
        `cleaned up; its leftover merge state was cleared.`,
  });
}

async function _merge(
  run: MergeRun,
  guard: { dirs: GitDirs; lock: MergeLockHandle },
  ctx: OpContext,
): Promise<MergeResult> {
  const { git, mission, manifest, root, target } = run;
  const pre = await _preflight(run);
  if (pre.blockers.length > 0) return _blocked(run, pre.blockers);
  const recordedBaseline = missionBaseline(mission.meta);
  const baseline = await _baseline(run, pre);
  const anyMerged = pre.lanes.some((l) => l.action === "already_merged");

  // The baseline is written once the first lane has landed (a conflict on the
  // first lane therefore writes nothing); a resumed merge writes it at once
  // when meta.json lacks it (derived from the first lane merge).
  let baselineRecorded = false;
  const recordBaseline = async () => {
    if (baselineRecorded) return;
    baselineRecorded = true;
    if (baseline !== null && baseline !== recordedBaseline) await writeBaseline(mission, baseline);
  };
  if (anyMerged) await recordBaseline();
  const done: MergedLane[] = [];
  const appended: AppendedDoneEvent[] = [];
  const actor = ctx.env.KEEL_AGENT ?? "keel";
  let expectedHead = pre.targetTip;
  for (const lane of pre.lanes) {
    let mergeCommit: string | null = null;
    if (lane.action === "merge") {
      mergeCommit = await _mergeLane(run, lane, {
        tip: pre.tips.get(lane.lane_id)!,
        expectedHead: expectedHead!,
        ...guard,
        merged: done.filter((l) => l.action !== "on_target").map((l) => l.lane_id),
      });
      expectedHead = mergeCommit;
    }
    await recordBaseline();
    done.push({ ...lane, merge_commit: mergeCommit });
    appended.push(
      ...await recordDoneEvents(mission, {
        wpIds: lane.wp_ids,
        laneId: lane.lane_id,
        actor,
        reason: lane.action === "on_target"
          ? `${lane.lane_id} lives on ${target}`
          : `merged ${lane.branch} into ${target}`,
        executionMode: lane.lane_id === PLANNING_LANE_ID ? "direct_repo" : "worktree",
        targetBranch: target,
        clock: ctx.clock,
      }),
    );
  }
  await recordBaseline();
  const head = await _revParse(git, root, `refs/heads/${target}`);
  return {
    mission_slug: mission.slug,
    target_branch: target,
    target_source: run.targetSource,
    warnings: run.warnings,
    blocked: false,
    dry_run: false,
    mission_branch: manifest.mission_branch,
    lanes: done,
    baseline_merge_commit: baseline,
    events: appended,
    head: head ?? "",
  };
}

function _blocked(run: MergeRun, blockers: MergeBlocker[]): MergeBlockedResult {
  return {
    mission_slug: run.mission.slug,
    target_branch: run.target,
    target_source: run.targetSource,
    warnings: run.warnings,
    blocked: true,
    blockers,
    diagnostic_code: blockers[0]!.diagnostic_code,
  };
}

async function _repoRoot(git: GitRunner, dir: string): Promise<string> {
  const top = await git(["rev-parse", "--show-toplevel"], dir);
  if (top.code === -1) {
    throw new KeelError("GIT_UNAVAILABLE", "merge needs the git executable, which is not on PATH", {
      data: { backend: "cli" },
    });
  }
  if (top.code !== 0) {
    throw new KeelError("REPO_NOT_FOUND", `${dir} is not inside a git repository`, {
      data: { path: dir },
    });
  }
  return top.stdout.trim();
}

async function _preflight(run: MergeRun): Promise<Preflight> {
  const { git, mission, manifest, root, target } = run;
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
  const tips = new Map<string, string>();
  const missionId = typeof mission.meta.mission_id === "string" && mission.meta.mission_id !== ""
    ? mission.meta.mission_id
    : null;
  for (const lane of lanesInMergeOrder(manifest.lanes)) {
    const candidates = lane.lane_id === PLANNING_LANE_ID
      ? [target]
      : laneBranchCandidates(manifest, lane.lane_id, missionId);
    const base = {
      lane_id: lane.lane_id,
      branch: candidates[0]!,
      wp_ids: lane.wp_ids,
      parallel_group: lane.parallel_group,
      depends_on_lanes: lane.depends_on_lanes,
    };
    if (lane.lane_id === PLANNING_LANE_ID) {
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
    tips.set(lane.lane_id, tip);
    let merged = false;
    if (targetTip !== null) {
      const anc = await git(["merge-base", "--is-ancestor", tip, targetTip], root);
      merged = anc.code === 0;
    }
    lanes.push({ ...base, action: merged ? "already_merged" : "merge" });
  }
  return { targetTip, lanes, tips, blockers };
}

/**
 * The baseline the merge records: the recorded one; else, when no lane is
 * merged yet, the target's tip; else (a merge interrupted before it wrote
 * meta.json) the first parent of the oldest first-parent commit of the
 * target that contains a merged lane — the first lane merge's first parent.
 */
async function _baseline(run: MergeRun, pre: Preflight): Promise<string | null> {
  const recorded = missionBaseline(run.mission.meta);
  if (recorded !== null) return recorded;
  const merged = pre.lanes.filter((l) => l.action === "already_merged");
  if (merged.length === 0) return pre.targetTip;
  if (pre.targetTip === null) return null;
  const { git, root } = run;
  let oldest: { index: number; commit: string } | null = null;
  for (const lane of merged) {
    const tip = pre.tips.get(lane.lane_id)!;
    // First-parent commits of the target that the lane's tip does not reach,
    // newest first; those that contain the tip form a prefix of this list.
    const out = await git(["rev-list", "--first-parent", pre.targetTip, "--not", tip], root);
    if (out.code !== 0) continue;
    const chain = out.stdout.split("\n").filter((l) => l !== "");
    let lo = 0;
    let hi = chain.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const anc = await git(["merge-base", "--is-ancestor", tip, chain[mid]!], root);
      if (anc.code === 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0 && (oldest === null || found > oldest.index)) {
      oldest = { index: found, commit: chain[found]! };
    }
  }
  if (oldest === null) return null;
  return await _revParse(git, root, `${oldest.commit}^1`);
}

/** The WP's lane in the reduced log, or null when the log never mentions it. */
function _laneOf(mission: Mission, wpId: string): string | null {
  const wps = mission.snapshot.work_packages;
  return Object.hasOwn(wps, wpId) ? wps[wpId]!.lane : null;
}

function _plannedEvents(mission: Mission, lanes: MergePlanLane[]): PlannedDoneEvent[] {
  const out: PlannedDoneEvent[] = [];
  for (const lane of lanes) {
    for (const wp of lane.wp_ids) {
      if (_laneOf(mission, wp) !== "approved") continue;
      out.push({ wp_id: wp, lane_id: lane.lane_id, from_lane: "approved", to_lane: "done" });
    }
  }
  return out;
}

/**
 * Merge one lane's tip into the checked-out target. Before: the target must
 * still be checked out at `expectedHead` with no git operation in progress.
 * On failure keel undoes only the merge it started itself (MERGE_HEAD is the
 * lane's tip and HEAD has not moved); anything else is reported, untouched.
 */
async function _mergeLane(
  run: MergeRun,
  lane: MergePlanLane,
  opts: {
    tip: string;
    expectedHead: string;
    dirs: GitDirs;
    lock: MergeLockHandle;
    merged: string[];
  },
): Promise<string> {
  const { git, root, target, mission } = run;
  await _assertTargetAt(run, opts.expectedHead);
  await assertNoOperationInProgress(opts.dirs, root);
  await opts.lock.record({ root, tip: opts.tip, head: opts.expectedHead });
  const out = await git([
    "merge",
    "--no-ff",
    "--no-edit",
    "-m",
    `Merge ${lane.branch} into ${target} (${mission.slug} ${lane.lane_id})`,
    opts.tip,
  ], root);
  if (out.code === 0) {
    await opts.lock.record(null);
    const head = await _revParse(git, root, "HEAD");
    const parents = head === null ? null : await git(["rev-parse", `${head}^1`, `${head}^2`], root);
    const [p1, p2] = parents?.code === 0 ? parents.stdout.trim().split("\n") : [];
    if (head === null || p1 !== opts.expectedHead || p2 !== opts.tip) {
      throw _stateChanged(run, `the merge of ${lane.branch} did not produce the expected commit`);
    }
    return head;
  }
  const mergeHead = await _revParse(git, root, "MERGE_HEAD");
  if (mergeHead === null) {
    // git did not start a merge: nothing to undo.
    await opts.lock.record(null);
    const lockPath = join(opts.dirs.gitDir, "index.lock");
    if (/index\.lock/.test(out.stderr) || (await _exists(lockPath))) {
      throw indexLockedError(lockPath);
    }
    _gitFailed(["merge", lane.branch], out);
  }
  const head = await _revParse(git, root, "HEAD");
  if (mergeHead !== opts.tip || head !== opts.expectedHead) {
    throw new KeelError(
      "MERGE_IN_PROGRESS",
      `A merge keel did not start is in progress in ${root}; keel left it untouched.`,
      { data: { root, operation: "merge", marker: "MERGE_HEAD" } },
    );
  }
  const unmerged = await git(["diff", "--name-only", "--diff-filter=U", "-z"], root);
  const files = unmerged.stdout.split("\0").filter((f) => f !== "").sort();
  const abort = await git(["merge", "--abort"], root);
  if (abort.code !== 0) _gitFailed(["merge", "--abort"], abort);
  await opts.lock.record(null);
  if (files.length === 0) {
    // Stopped for another reason than conflicting files (e.g. untracked files in the way).
    _gitFailed(["merge", lane.branch], out);
  }
  throw new KeelError(
    "MERGE_CONFLICT",
    `Lane ${lane.lane_id} (${lane.branch}) does not merge cleanly into ${target}: ${
      files.join(", ")
    }. The merge of this lane was aborted; resolve the conflict on the lane branch and run merge again.`,
    {
      data: {
        mission_slug: mission.slug,
        lane_id: lane.lane_id,
        branch: lane.branch,
        target_branch: target,
        files,
        merged_lanes: opts.merged,
      },
    },
  );
}

async function _assertTargetAt(run: MergeRun, expected: string): Promise<void> {
  const { git, root, target } = run;
  const current = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], root);
  const head = await _revParse(git, root, "HEAD");
  if (current.code !== 0 || current.stdout.trim() !== target || head !== expected) {
    throw _stateChanged(run, `${target} is no longer checked out at ${expected.slice(0, 12)}`);
  }
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function _stateChanged(run: MergeRun, why: string): KeelError {
  return new KeelError(
    "STATE_CHANGED",
    `The repository changed underneath the merge: ${why}. Nothing more was merged; ` +
      `inspect ${run.root} and run merge again.`,
    { data: { path: run.root } },
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
