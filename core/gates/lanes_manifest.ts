/**
 * `lanes.json` as merge needs it: required, strictly read, legacy shapes
 * refused.
 *
 * @module
 */

import { join } from "node:path";
import { KeelError } from "../errors.ts";
import { type ExecutionLane, parseLanesJson, PLANNING_LANE_ID } from "../mission/mod.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

/** One execution lane (the mission reader's shape). */
export type MergeLane = ExecutionLane;

/** The parts of `lanes.json` merge reads. */
export interface LanesManifest {
  /** Repository-relative path of the file. */
  path: string;
  /** `mission_slug`. */
  mission_slug: string;
  /** `mission_branch` (`kitty/mission-…`). */
  mission_branch: string;
  /**
   * `target_branch`. Informational for merge: the merge target comes from
   * meta.json (`merge_target.ts`); a disagreement is a payload warning.
   */
  target_branch: string;
  /** The lanes, as written in the file. */
  lanes: MergeLane[];
}

/**
 * Read `lanes.json` of a mission folder, which merge requires. The file is
 * parsed by the mission reader's `parseLanesJson` (one parser for every
 * caller); merge turns "missing" and "invalid" into errors.
 *
 * @param missionDir Absolute path of the mission folder.
 * @param repoRelDir Repository-relative path of the mission folder (for messages).
 * @returns The manifest.
 * @throws {KeelError} `LANES_JSON_MISSING` when there is no file;
 *   `LANES_JSON_INVALID` when it is not JSON, lacks a required key, uses the
 *   legacy `feature_slug` key, or a lane lacks `lane_id`/`wp_ids`.
 */
export async function readLanesManifest(
  missionDir: string,
  repoRelDir: string,
): Promise<LanesManifest> {
  const path = `${repoRelDir}/lanes.json`;
  let text: string | null;
  try {
    text = await safeReadTextFile(join(missionDir, "lanes.json"));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    text = null;
  }
  const status = parseLanesJson(text, path);
  if (status.status === "missing") {
    throw new KeelError(
      "LANES_JSON_MISSING",
      `lanes.json is required for ${repoRelDir}. Run the task-finalization step to compute execution lanes.`,
      { data: { path } },
    );
  }
  if (status.status === "invalid") {
    throw new KeelError(
      "LANES_JSON_INVALID",
      `lanes.json at ${path} is corrupt or malformed: ${status.reason}`,
      { data: { path, reason: status.reason } },
    );
  }
  const m = status.manifest;
  return {
    path,
    mission_slug: m.mission_slug,
    mission_branch: m.mission_branch,
    target_branch: m.target_branch,
    lanes: m.lanes,
  };
}

/**
 * Lanes in merge order: by `parallel_group`, then `lane_id`.
 *
 * @param lanes The lanes.
 * @returns A sorted copy.
 */
export function lanesInMergeOrder(lanes: readonly MergeLane[]): MergeLane[] {
  return [...lanes].sort((a, b) =>
    a.parallel_group - b.parallel_group ||
    (a.lane_id < b.lane_id ? -1 : a.lane_id > b.lane_id ? 1 : 0)
  );
}

/**
 * The branch of a lane: `<mission_branch>-<lane_id>` (spec-kitty's naming:
 * `kitty/mission-<slug>[-<mid8>]-lane-<id>`); `lane-planning` lives on the
 * target branch.
 *
 * @param manifest The manifest.
 * @param laneId The lane id.
 * @returns The branch name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { laneBranchName } from "./lanes_manifest.ts";
 * const m = { path: "", mission_slug: "x-01KQH03Y", lanes: [],
 *   mission_branch: "kitty/mission-x-01KQH03Y", target_branch: "main" };
 * assert(laneBranchName(m, "lane-a") === "kitty/mission-x-01KQH03Y-lane-a");
 * assert(laneBranchName(m, "lane-planning") === "main");
 * ```
 */
export function laneBranchName(manifest: LanesManifest, laneId: string): string {
  if (laneId === PLANNING_LANE_ID) return manifest.target_branch;
  return `${manifest.mission_branch}-${laneId}`;
}

/**
 * Every name a lane's branch may have, most likely first: lanes.json's
 * `<mission_branch>-<lane_id>`, then spec-kitty's computed form
 * `kitty/mission-<human-slug>-<mid8>-<lane_id>` (human slug without a
 * `NNN-` prefix or a trailing `-<mid8>`) when the mission has a `mission_id`.
 *
 * @param manifest The manifest.
 * @param laneId The lane id.
 * @param missionId meta.json `mission_id`, or null.
 * @returns Distinct candidate names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { laneBranchCandidates } from "./lanes_manifest.ts";
 * const m = { path: "", mission_slug: "083-my-feature", lanes: [],
 *   mission_branch: "kitty/mission-083-my-feature", target_branch: "main" };
 * const c = laneBranchCandidates(m, "lane-a", "01KNXQS9ATWWFXS3K5ZJ9E5008");
 * assert(c[1] === "kitty/mission-my-feature-01KNXQS9-lane-a");
 * ```
 */
export function laneBranchCandidates(
  manifest: LanesManifest,
  laneId: string,
  missionId: string | null,
): string[] {
  const out = [laneBranchName(manifest, laneId)];
  if (laneId !== PLANNING_LANE_ID && missionId !== null && missionId.length >= 8) {
    const mid8 = missionId.slice(0, 8);
    let human = manifest.mission_slug;
    const numbered = /^\d{3}-(.+)$/.exec(human);
    if (numbered) human = numbered[1]!;
    if (human.endsWith(`-${mid8}`)) human = human.slice(0, -(mid8.length + 1));
    const computed = `kitty/mission-${human}-${mid8}-${laneId}`;
    if (!out.includes(computed)) out.push(computed);
  }
  return out;
}
