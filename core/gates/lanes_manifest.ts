/**
 * `lanes.json` as merge needs it: required, strictly read, legacy shapes
 * refused.
 *
 * @module
 */

import { join } from "node:path";
import { KeelError } from "../errors.ts";

/** One execution lane. */
export interface MergeLane {
  /** `lane-a`, …, or `lane-planning`. */
  lane_id: string;
  /** WP ids, in the lane's order. */
  wp_ids: string[];
  /** Lane dependency depth (0 when absent). */
  parallel_group: number;
  /** Lanes this one depends on. */
  depends_on_lanes: string[];
  /** Repository-relative globs the lane owns. */
  write_scope: string[];
}

/** The parts of `lanes.json` merge reads. */
export interface LanesManifest {
  /** Repository-relative path of the file. */
  path: string;
  /** `mission_slug`. */
  mission_slug: string;
  /** `mission_branch` (`kitty/mission-…`). */
  mission_branch: string;
  /** `target_branch`. */
  target_branch: string;
  /** The lanes, as written in the file. */
  lanes: MergeLane[];
}

const _REQUIRED = [
  "version",
  "mission_slug",
  "mission_branch",
  "target_branch",
  "lanes",
  "computed_at",
  "computed_from",
] as const;

/**
 * Read `lanes.json` of a mission folder.
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
  let text: string;
  try {
    text = await Deno.readTextFile(join(missionDir, "lanes.json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new KeelError(
        "LANES_JSON_MISSING",
        `lanes.json is required for ${repoRelDir}. Run the task-finalization step to compute execution lanes.`,
        { data: { path } },
      );
    }
    throw error;
  }
  const invalid = (reason: string) =>
    new KeelError(
      "LANES_JSON_INVALID",
      `lanes.json at ${path} is corrupt or malformed: ${reason}`,
      { data: { path, reason } },
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw invalid("not a JSON object");
  }
  const obj = raw as Record<string, unknown>;
  if ("feature_slug" in obj) {
    throw invalid("legacy 'feature_slug' key; the file must use 'mission_slug'");
  }
  const missing = _REQUIRED.filter((k) => !(k in obj));
  if (missing.length > 0) throw invalid(`missing key(s): ${missing.join(", ")}`);
  for (const k of ["mission_slug", "mission_branch", "target_branch"] as const) {
    if (typeof obj[k] !== "string" || obj[k] === "") throw invalid(`'${k}' is not a string`);
  }
  if (!Array.isArray(obj.lanes)) throw invalid("'lanes' is not a list");
  const lanes = obj.lanes.map((lane, i): MergeLane => {
    if (lane === null || typeof lane !== "object" || Array.isArray(lane)) {
      throw invalid(`lanes[${i}] is not an object`);
    }
    const l = lane as Record<string, unknown>;
    if (typeof l.lane_id !== "string" || l.lane_id === "") {
      throw invalid(`lanes[${i}].lane_id is missing`);
    }
    if (!Array.isArray(l.wp_ids) || !l.wp_ids.every((w) => typeof w === "string")) {
      throw invalid(`lanes[${i}].wp_ids is not a list of WP ids`);
    }
    const group = typeof l.parallel_group === "number" && Number.isInteger(l.parallel_group)
      ? l.parallel_group
      : 0;
    return {
      lane_id: l.lane_id,
      wp_ids: [...(l.wp_ids as string[])],
      parallel_group: group,
      depends_on_lanes: _strings(l.depends_on_lanes),
      write_scope: _strings(l.write_scope),
    };
  });
  return {
    path,
    mission_slug: obj.mission_slug as string,
    mission_branch: obj.mission_branch as string,
    target_branch: obj.target_branch as string,
    lanes,
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
 * import { laneBranchName } from "./lanes_manifest.ts";
 * const m = { path: "", mission_slug: "x-01KQH03Y", lanes: [],
 *   mission_branch: "kitty/mission-x-01KQH03Y", target_branch: "main" };
 * console.assert(laneBranchName(m, "lane-a") === "kitty/mission-x-01KQH03Y-lane-a");
 * console.assert(laneBranchName(m, "lane-planning") === "main");
 * ```
 */
export function laneBranchName(manifest: LanesManifest, laneId: string): string {
  if (laneId === "lane-planning") return manifest.target_branch;
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
 * import { laneBranchCandidates } from "./lanes_manifest.ts";
 * const m = { path: "", mission_slug: "083-my-feature", lanes: [],
 *   mission_branch: "kitty/mission-083-my-feature", target_branch: "main" };
 * const c = laneBranchCandidates(m, "lane-a", "01KNXQS9ATWWFXS3K5ZJ9E5008");
 * console.assert(c[1] === "kitty/mission-my-feature-01KNXQS9-lane-a");
 * ```
 */
export function laneBranchCandidates(
  manifest: LanesManifest,
  laneId: string,
  missionId: string | null,
): string[] {
  const out = [laneBranchName(manifest, laneId)];
  if (laneId !== "lane-planning" && missionId !== null && missionId.length >= 8) {
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

function _strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
