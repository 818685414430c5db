/**
 * The lane workspace of a WP, prepared the way spec-kitty 3.2.6rc3's
 * `allocate_lane_worktree` prepares it (`lanes/worktree_allocator.py`, called
 * with no `--base`):
 *
 * - `lane-planning` WPs work in the repository root: nothing is created.
 * - Otherwise the worktree is `.worktrees/<slug>-<lane_id>` on the branch
 *   `kitty/mission-<slug>-<lane_id>`.
 *   - **Reuse**: the folder exists. spec-kitty requires it clean; keel also
 *     requires it to be a worktree of this repository on the lane branch,
 *     and does not count its own `.keel/` files (a run in progress) as dirt.
 *   - **Recovery**: the folder is gone but the branch exists: `git worktree
 *     prune`, then `git worktree add <path> <branch>`, then it must be clean.
 *   - **Fresh**: the parent is meta.json's `coordination_branch` when set, else
 *     lanes.json's `mission_branch`; a missing parent is created from the
 *     `target_branch`; then `git worktree add -b <branch> <path> <parent>`.
 * - Then, on every route: lanes.json's `planning_commit_sha` is merged in
 *   unless already an ancestor (a conflict aborts the merge and fails), and
 *   each dependency lane's branch, in `(parallel_group, lane_id)` order, is
 *   merged in unless already an ancestor; a missing dependency branch is a
 *   warning; a conflict aborts, resets the lane to where it was before the
 *   first dependency merge, and fails.
 *
 * Refusals (dirty, wrong branch, not a worktree) happen before any git write.
 *
 * @module
 */

import { join } from "../util/mod.ts";
import { KeelError } from "../errors.ts";
import { type GitOutput, type GitRunner, runGit } from "../git/mod.ts";
import {
  type ExecutionLane,
  laneBranchFor,
  type LanesManifestView,
  PLANNING_LANE_ID,
  workspacePathFor,
} from "./lanes.ts";
import type { Mission } from "./load_mission.ts";
import type { MissionCode } from "../../schemas/codes.ts";

/** Something merged into the lane while preparing it. */
export interface WorkspaceMerge {
  /** `planning_commit` or `dependency_lane`. */
  kind: "planning_commit" | "dependency_lane";
  /** The commit or branch merged. */
  ref: string;
  /** The dependency lane (for `dependency_lane`). */
  lane_id: string | null;
}

/** A warning about the workspace; it never stops the claim. */
export interface WorkspaceWarning {
  /** `DEPENDENCY_LANE_BRANCH_MISSING` or `COORDINATION_TOPOLOGY` (see `MISSION_CODES`). */
  code: Extract<MissionCode, "DEPENDENCY_LANE_BRANCH_MISSING" | "COORDINATION_TOPOLOGY">;
  /** In words. */
  message: string;
}

/** The prepared workspace. */
export interface PreparedWorkspace {
  /** Repository-relative path (`.` for the repository root). */
  path: string;
  /** Absolute path. */
  abs_path: string;
  /** The lane. */
  lane_id: string;
  /** The lane branch (`lane-planning`: the target branch). */
  branch: string;
  /** `direct_repo` (lane-planning) or `worktree`. */
  execution_mode: "direct_repo" | "worktree";
  /** `created`, `reused`, `recovered` (branch existed, folder was gone), or `repository_root`. */
  action: "created" | "reused" | "recovered" | "repository_root";
  /** The branch the lane was created from (null unless `created`). */
  base_branch: string | null;
  /** That branch's commit when the lane was created (null unless `created`). */
  base_commit: string | null;
  /** HEAD of the workspace once prepared. */
  head: string | null;
  /** What was merged in, in order. */
  merged: WorkspaceMerge[];
  /** Warnings. */
  warnings: WorkspaceWarning[];
}

/** What preparing a workspace needs. */
export interface PrepareWorkspaceInput {
  /** The mission (its lanes.json must be usable). */
  mission: Mission;
  /** The WP id. */
  wpId: string;
  /** Git runner (tests may pass a fake); default the git CLI. */
  git?: GitRunner;
}

/**
 * Where a WP's workspace is and on which branch, without touching anything.
 *
 * @param mission The mission.
 * @param wpId The WP id.
 * @returns The manifest, the lane, the repo-relative path and the branch.
 * @throws {KeelError} `LANES_JSON_MISSING`, `LANES_JSON_INVALID`, `WP_NOT_IN_LANE`.
 */
export function planWorkspace(
  mission: Mission,
  wpId: string,
): { manifest: LanesManifestView; lane: ExecutionLane; path: string; branch: string } {
  const lanes = mission.lanes;
  const path = `${mission.repoRelDir}/lanes.json`;
  if (lanes.status === "missing") {
    throw new KeelError(
      "LANES_JSON_MISSING",
      `lanes.json is required for ${mission.repoRelDir}. Run the task-finalization step to compute execution lanes (or pass --no-workspace to only claim).`,
      { data: { path } },
    );
  }
  if (lanes.status === "invalid") {
    throw new KeelError(
      "LANES_JSON_INVALID",
      `lanes.json at ${path} is corrupt or malformed: ${lanes.reason}`,
      { data: { path, reason: lanes.reason } },
    );
  }
  const manifest = lanes.manifest;
  const invalid = (reason: string) =>
    new KeelError(
      "LANES_JSON_INVALID",
      `lanes.json at ${path} cannot name a workspace: ${reason}`,
      {
        data: { path, reason },
      },
    );
  for (const l of manifest.lanes) {
    if (!LANE_ID.test(l.lane_id)) {
      throw invalid(`lane_id ${JSON.stringify(l.lane_id)} is not lane-<letters or digits>`);
    }
  }
  for (
    const [key, value] of [
      ["mission_branch", manifest.mission_branch],
      ["target_branch", manifest.target_branch],
    ] as const
  ) {
    if (!safeBranchName(value)) {
      throw invalid(`${key} ${JSON.stringify(value)} is not a branch name`);
    }
  }
  if (
    manifest.planning_commit_sha !== null &&
    !/^[0-9a-fA-F]{7,64}$/.test(manifest.planning_commit_sha)
  ) {
    throw invalid(
      `planning_commit_sha ${JSON.stringify(manifest.planning_commit_sha)} is not a commit id`,
    );
  }
  const lane = manifest.lanes.find((l) => l.wp_ids.includes(wpId));
  if (lane === undefined) {
    throw new KeelError(
      "WP_NOT_IN_LANE",
      `${wpId} is not assigned to any execution lane in lanes.json`,
      { data: { wp_id: wpId, path } },
    );
  }
  const branch = laneBranchFor(mission.slug, lane.lane_id, manifest.target_branch);
  if (!safeBranchName(branch)) {
    throw invalid(`the lane branch ${JSON.stringify(branch)} is not a branch name`);
  }
  return {
    manifest,
    lane,
    path: workspacePathFor(mission.slug, mission.missionId, lane)!,
    branch,
  };
}

/**
 * Refuse a workspace that cannot be used, before anything is written: the
 * folder (or `.worktrees`) is not a real folder, is not a worktree of this
 * repository, is on another branch, or has uncommitted changes.
 */
async function _checkExisting(
  git: GitRunner,
  repoRoot: string,
  abs: string,
  rel: string,
  lane: ExecutionLane,
  branch: string,
): Promise<void> {
  const info = await Deno.lstat(abs);
  const notWorktree = (reason: string) =>
    new KeelError(
      "WORKSPACE_NOT_A_WORKTREE",
      `The workspace ${rel} of ${lane.lane_id} cannot be used: ${reason}. Nothing was written.`,
      { data: { path: rel, reason } },
    );
  if (info.isSymlink) throw notWorktree("it is a symbolic link");
  if (!info.isDirectory) throw notWorktree("it is not a folder");
  const top = await git(["rev-parse", "--show-toplevel"], abs);
  const common = await git(["rev-parse", "--path-format=absolute", "--git-common-dir"], abs);
  const mine = await git(["rev-parse", "--path-format=absolute", "--git-common-dir"], repoRoot);
  if (
    top.code !== 0 || common.code !== 0 || mine.code !== 0 ||
    await _real(top.stdout.trim()) !== await _real(abs) ||
    await _real(common.stdout.trim()) !== await _real(mine.stdout.trim())
  ) {
    throw notWorktree("it is not a git worktree of this repository");
  }
  const head = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], abs);
  const current = head.code === 0 ? head.stdout.trim() : null;
  if (current !== branch) {
    throw new KeelError(
      "WORKSPACE_WRONG_BRANCH",
      `The workspace ${rel} is on ${
        current === null ? "a detached HEAD" : `branch ${current}`
      }, not on the lane branch ${branch}. Nothing was written.`,
      {
        data: {
          path: rel,
          lane_id: lane.lane_id,
          expected_branch: branch,
          current_branch: current,
        },
      },
    );
  }
  await _checkClean(git, abs, rel, lane);
}

async function _checkClean(
  git: GitRunner,
  abs: string,
  rel: string,
  lane: ExecutionLane,
): Promise<void> {
  // keel's own state (`.keel/`: a run in progress, its evidence) is not the
  // WP's work and does not make the lane dirty; everything else does.
  const args = ["status", "--porcelain", "--", ".", ":(exclude).keel"];
  const status = await git(args, abs);
  if (status.code !== 0) _gitFailed(args, status);
  const changes = status.stdout.split("\n").filter((l) => l.trim() !== "");
  if (changes.length > 0) {
    throw new KeelError(
      "WORKSPACE_DIRTY",
      `Lane ${lane.lane_id} worktree at ${rel} has uncommitted changes. Commit or stash before starting the next WP. Nothing was written.`,
      { data: { path: rel, lane_id: lane.lane_id, changes: changes.slice(0, 50) } },
    );
  }
}

async function _real(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}

function _gitFailed(args: readonly string[], out: GitOutput): never {
  throw new KeelError(
    "GIT_FAILED",
    `git ${args.join(" ")} failed: ${out.stderr.trim() || out.stdout.trim()}`,
    { data: { args: [...args], stderr: out.stderr } },
  );
}

async function _branchExists(git: GitRunner, repoRoot: string, branch: string): Promise<boolean> {
  const out = await git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], repoRoot);
  return out.code === 0;
}

async function _revParse(git: GitRunner, cwd: string, ref: string): Promise<string | null> {
  const out = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
  return out.code === 0 ? out.stdout.trim() : null;
}

async function _isAncestor(git: GitRunner, cwd: string, ref: string): Promise<boolean> {
  return (await git(["merge-base", "--is-ancestor", ref, "HEAD"], cwd)).code === 0;
}

/** Create `branch` at `from` unless it exists. */
async function _ensureBranch(
  git: GitRunner,
  repoRoot: string,
  branch: string,
  from: string,
  laneId: string,
): Promise<void> {
  if (await _branchExists(git, repoRoot, branch)) return;
  if (await _revParse(git, repoRoot, from) === null) {
    throw new KeelError(
      "WORKSPACE_BASE_MISSING",
      `Cannot create ${branch} for ${laneId}: the branch ${from} it is created from does not exist.`,
      { data: { branch: from, lane_id: laneId } },
    );
  }
  const out = await git(["branch", branch, from], repoRoot);
  if (out.code !== 0) _gitFailed(["branch", branch, from], out);
}

/** A lane id keel will put in a path and a branch name: `lane-<letters, digits, dashes>`. */
export const LANE_ID = /^lane-[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Whether a branch name from a mission file is safe to hand to git: a
 * well-formed ref name (as `git check-ref-format --branch` reads it, without
 * running git) that cannot be taken for an option.
 *
 * @param name The name.
 * @returns `true` when safe.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeBranchName } from "./prepare_workspace.ts";
 * assert.equal(safeBranchName("kitty/mission-x-01KRKTT5"), true);
 * assert.equal(safeBranchName("--upload-pack=evil"), false);
 * assert.equal(safeBranchName("a/../b"), false);
 * ```
 */
export function safeBranchName(name: string): boolean {
  if (name === "" || name.length > 255 || name.startsWith("-") || name.startsWith("/")) {
    return false;
  }
  // Control characters are what git refuses in a ref name.
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes("..") || name.includes("@{") || name.includes("//") || name === "@") {
    return false;
  }
  if (name.endsWith("/") || name.endsWith(".") || name.endsWith(".lock")) return false;
  return name.split("/").every((part) => part !== "" && !part.startsWith("."));
}

/** meta.json `coordination_branch` when it is a non-empty string. */
export function coordinationBranchOf(mission: Mission): string | null {
  const v = mission.meta.coordination_branch;
  return typeof v === "string" && v !== "" ? v : null;
}

/**
 * Prepare (create, recover or reuse) the workspace of a WP.
 *
 * @param input The mission, the WP, and an optional git runner.
 * @returns The workspace.
 * @throws {KeelError} `LANES_JSON_MISSING`, `LANES_JSON_INVALID`,
 *   `WP_NOT_IN_LANE`, `WORKSPACE_NOT_A_WORKTREE`, `WORKSPACE_WRONG_BRANCH`,
 *   `WORKSPACE_DIRTY` (all before any write), `WORKSPACE_BASE_MISSING`,
 *   `PLANNING_COMMIT_MERGE_CONFLICT`, `DEPENDENCY_LANE_MERGE_CONFLICT`,
 *   `GIT_FAILED`.
 */
export async function prepareWorkspace(input: PrepareWorkspaceInput): Promise<PreparedWorkspace> {
  const git = input.git ?? runGit;
  const { mission, wpId } = input;
  const repoRoot = mission.repoRoot;
  const { manifest, lane, path, branch } = planWorkspace(mission, wpId);
  if (lane.lane_id === PLANNING_LANE_ID) {
    return {
      path: ".",
      abs_path: repoRoot,
      lane_id: lane.lane_id,
      branch,
      execution_mode: "direct_repo",
      action: "repository_root",
      base_branch: null,
      base_commit: null,
      head: await _revParse(git, repoRoot, "HEAD"),
      merged: [],
      warnings: [],
    };
  }
  const abs = join(repoRoot, path);
  const warnings: WorkspaceWarning[] = [];
  const coordination = coordinationBranchOf(mission);
  if (coordination !== null && !safeBranchName(coordination)) {
    throw new KeelError(
      "MISSION_META_INVALID",
      `meta.json coordination_branch ${JSON.stringify(coordination)} is not a branch name`,
      {
        data: {
          path: `${mission.repoRelDir}/meta.json`,
          reason: "coordination_branch is not a branch name",
        },
      },
    );
  }
  const inRepo = await git(["rev-parse", "--git-dir"], repoRoot);
  if (inRepo.code !== 0) {
    throw new KeelError(
      "REPO_NOT_FOUND",
      `${repoRoot} is not a git repository: the lane worktree needs one (or pass --no-workspace).`,
      { data: { path: repoRoot } },
    );
  }
  if (coordination !== null) {
    warnings.push({
      code: "COORDINATION_TOPOLOGY",
      message:
        `The mission has a coordination branch (${coordination}): the lane is created from it, but keel does not register spec-kitty's sparse checkout that hides the status files in the lane.`,
    });
  }
  // `.worktrees` itself must be a real folder when it exists.
  const parent = join(repoRoot, ".worktrees");
  try {
    const p = await Deno.lstat(parent);
    if (p.isSymlink || !p.isDirectory) {
      throw new KeelError(
        "WORKSPACE_NOT_A_WORKTREE",
        `.worktrees is not a folder (a ${
          p.isSymlink ? "symbolic link" : "file"
        }); keel does not create worktrees through it. Nothing was written.`,
        { data: { path: ".worktrees", reason: p.isSymlink ? "symbolic link" : "not a folder" } },
      );
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  let exists = true;
  try {
    await Deno.lstat(abs);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    exists = false;
  }
  let action: PreparedWorkspace["action"];
  let baseBranch: string | null = null;
  let baseCommit: string | null = null;
  if (exists) {
    await _checkExisting(git, repoRoot, abs, path, lane, branch);
    action = "reused";
  } else if (await _branchExists(git, repoRoot, branch)) {
    await git(["worktree", "prune"], repoRoot);
    const add = await git(["worktree", "add", abs, branch], repoRoot);
    if (add.code !== 0) _gitFailed(["worktree", "add", path, branch], add);
    await _checkClean(git, abs, path, lane);
    action = "recovered";
  } else {
    baseBranch = coordination ?? manifest.mission_branch;
    await _ensureBranch(git, repoRoot, baseBranch, manifest.target_branch, lane.lane_id);
    baseCommit = await _revParse(git, repoRoot, baseBranch);
    await Deno.mkdir(parent, { recursive: true });
    const args = ["worktree", "add", "-b", branch, abs, baseBranch];
    const add = await git(args, repoRoot);
    if (add.code !== 0) _gitFailed(["worktree", "add", "-b", branch, path, baseBranch], add);
    action = "created";
  }
  const merged: WorkspaceMerge[] = [];
  await _mergePlanningCommit(git, abs, lane, manifest.planning_commit_sha, merged);
  await _mergeDependencyLanes(git, repoRoot, abs, mission.slug, lane, manifest, merged, warnings);
  return {
    path,
    abs_path: abs,
    lane_id: lane.lane_id,
    branch,
    execution_mode: "worktree",
    action,
    base_branch: baseBranch,
    base_commit: baseCommit,
    head: await _revParse(git, abs, "HEAD"),
    merged,
    warnings,
  };
}

async function _mergePlanningCommit(
  git: GitRunner,
  abs: string,
  lane: ExecutionLane,
  sha: string | null,
  merged: WorkspaceMerge[],
): Promise<void> {
  if (sha === null || await _isAncestor(git, abs, sha)) return;
  const out = await git(
    [
      "merge",
      "--no-edit",
      "-m",
      `Merge recorded planning-artifact commit into ${lane.lane_id}`,
      sha,
    ],
    abs,
  );
  if (out.code !== 0) {
    await git(["merge", "--abort"], abs);
    throw new KeelError(
      "PLANNING_COMMIT_MERGE_CONFLICT",
      `cannot auto-merge the recorded planning commit ${sha} into lane ${lane.lane_id}: the merge conflicts. Merge it into the lane worktree manually, resolve the conflicts, commit, then run implement again.`,
      { data: { lane_id: lane.lane_id, planning_commit_sha: sha } },
    );
  }
  merged.push({ kind: "planning_commit", ref: sha, lane_id: null });
}

async function _mergeDependencyLanes(
  git: GitRunner,
  repoRoot: string,
  abs: string,
  slug: string,
  lane: ExecutionLane,
  manifest: LanesManifestView,
  merged: WorkspaceMerge[],
  warnings: WorkspaceWarning[],
): Promise<void> {
  const byId = new Map(manifest.lanes.map((l) => [l.lane_id, l]));
  const ordered = lane.depends_on_lanes
    .filter((id) => byId.has(id))
    .map((id) => byId.get(id)!)
    .sort((a, b) =>
      a.parallel_group - b.parallel_group ||
      (a.lane_id < b.lane_id ? -1 : a.lane_id > b.lane_id ? 1 : 0)
    );
  if (ordered.length === 0) return;
  const before = await _revParse(git, abs, "HEAD");
  for (const dep of ordered) {
    const depBranch = laneBranchFor(slug, dep.lane_id, manifest.target_branch);
    if (!(await _branchExists(git, repoRoot, depBranch))) {
      warnings.push({
        code: "DEPENDENCY_LANE_BRANCH_MISSING",
        message:
          `dependency lane ${dep.lane_id} branch ${depBranch} does not resolve; lane ${lane.lane_id} will not contain its tip (it may have been merged and deleted).`,
      });
      continue;
    }
    if (await _isAncestor(git, abs, depBranch)) continue;
    const out = await git(
      [
        "merge",
        "--no-edit",
        "-m",
        `Merge dependency lane ${dep.lane_id} into ${lane.lane_id}`,
        depBranch,
      ],
      abs,
    );
    if (out.code !== 0) {
      await git(["merge", "--abort"], abs);
      if (before !== null) await git(["reset", "--hard", before], abs);
      const nextStep =
        `merge ${depBranch} into lane ${lane.lane_id} manually, resolve the conflicts, commit, then run implement again for this WP.`;
      throw new KeelError(
        "DEPENDENCY_LANE_MERGE_CONFLICT",
        `cannot auto-merge dependency lane ${dep.lane_id} (${depBranch}) into lane ${lane.lane_id}: the merge conflicts. ${nextStep}`,
        {
          data: {
            lane_id: lane.lane_id,
            dep_lane_id: dep.lane_id,
            dep_branch: depBranch,
            next_step: nextStep,
          },
        },
      );
    }
    merged.push({ kind: "dependency_lane", ref: depBranch, lane_id: dep.lane_id });
  }
}

/** What became of the claim's event-log change. */
export interface EventLogCommit {
  /** `committed`, `left` (written but not committed: see `reason`), or `none` (nothing written). */
  status: "committed" | "left" | "none";
  /** The commit (when committed). */
  commit: string | null;
  /** The branch committed on, or that would have been. */
  branch: string | null;
  /** The repository-relative log path. */
  path: string;
  /** Why it was left for the user, or null. */
  reason: string | null;
}

/**
 * Commit the claim's event-log change as spec-kitty does on a mission without
 * a coordination branch: on the target branch, in the main checkout, with the
 * message `chore: Start <WP> implementation [<agent>]`, committing only the
 * log. It is left uncommitted (and said so) when the mission has a
 * coordination branch (spec-kitty commits there through its own transaction)
 * or when the main checkout is not on the target branch.
 *
 * @param opts The mission, WP, agent and git runner.
 * @returns What happened.
 * @throws {KeelError} `GIT_FAILED` when `git add`/`git commit` fails (the
 *   caller rolls the log back).
 */
export async function commitClaimEventLog(opts: {
  mission: Mission;
  wpId: string;
  agent: string;
  git?: GitRunner;
}): Promise<EventLogCommit> {
  const git = opts.git ?? runGit;
  const { mission } = opts;
  const path = `${mission.repoRelDir}/status.events.jsonl`;
  const target = mission.lanes.status === "ok" ? mission.lanes.manifest.target_branch : null;
  const coordination = coordinationBranchOf(mission);
  if (coordination !== null) {
    return {
      status: "left",
      commit: null,
      branch: coordination,
      path,
      reason:
        `the mission has a coordination branch (${coordination}); spec-kitty commits status there through its own transaction, which keel does not do: commit ${path} yourself`,
    };
  }
  const head = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], mission.repoRoot);
  const current = head.code === 0 ? head.stdout.trim() : null;
  if (target === null || current !== target) {
    return {
      status: "left",
      commit: null,
      branch: target,
      path,
      reason: `the main checkout is on ${
        current ?? "a detached HEAD"
      }, not on the target branch ${target}: commit ${path} on ${target} yourself`,
    };
  }
  const add = await git(["add", "--", path], mission.repoRoot);
  if (add.code !== 0) _gitFailed(["add", "--", path], add);
  const message = `chore: Start ${opts.wpId} implementation [${opts.agent}]`;
  const args = ["commit", "--only", "-m", message, "--", path];
  const out = await git(args, mission.repoRoot);
  if (out.code !== 0) _gitFailed(args, out);
  return {
    status: "committed",
    commit: await _revParse(git, mission.repoRoot, "HEAD"),
    branch: target,
    path,
    reason: null,
  };
}
