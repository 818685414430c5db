/**
 * `lanes.json` for readers that must not fail on it: the manifest, or why it
 * cannot be used (missing, corrupt, legacy shape). Also the lane of a WP, its
 * execution mode and its workspace path.
 *
 * @module
 */

/** The lane of the planning WPs: it works in the repository itself, on the target branch. */
export const PLANNING_LANE_ID = "lane-planning";

/** WP lanes that count as reviewed: they satisfy a dependency and may be merged. */
export const APPROVED_OR_DONE_LANES: ReadonlySet<string> = new Set(["approved", "done"]);

/** One execution lane. */
export interface ExecutionLane {
  /** `lane-a`, …, or `lane-planning`. */
  lane_id: string;
  /** WP ids in the lane. */
  wp_ids: string[];
  /** Repository-relative globs the lane may write. */
  write_scope: string[];
  /** Lanes this one depends on. */
  depends_on_lanes: string[];
  /** Lane dependency depth. */
  parallel_group: number;
}

/** A readable `lanes.json`. */
export interface LanesManifestView {
  /** `version`. */
  version: unknown;
  /** `mission_slug`. */
  mission_slug: string;
  /** `mission_id` (may be null). */
  mission_id: string | null;
  /** `mission_branch`. */
  mission_branch: string;
  /** `target_branch`. */
  target_branch: string;
  /** The lanes. */
  lanes: ExecutionLane[];
  /** `planning_artifact_wps`. */
  planning_artifact_wps: string[];
  /** `planning_commit_sha` (newer files), or null. */
  planning_commit_sha: string | null;
}

/** The state of `lanes.json`: usable, missing, or invalid with the reason. */
export type LanesStatus =
  | { status: "ok"; path: string; manifest: LanesManifestView }
  | { status: "missing"; path: string }
  | { status: "invalid"; path: string; reason: string };

const _REQUIRED = [
  "version",
  "mission_slug",
  "mission_branch",
  "target_branch",
  "lanes",
  "computed_at",
  "computed_from",
] as const;

function _strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}

/**
 * Interpret the text of `lanes.json` (`null` when the file is absent).
 *
 * @param text The file content, or `null`.
 * @param path The path to report (mission-relative or repo-relative).
 * @returns The status.
 */
export function parseLanesJson(text: string | null, path: string): LanesStatus {
  if (text === null) return { status: "missing", path };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { status: "invalid", path, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { status: "invalid", path, reason: "not a JSON object" };
  }
  const obj = value as Record<string, unknown>;
  if ("feature_slug" in obj) {
    return {
      status: "invalid",
      path,
      reason: "legacy 'feature_slug' key; the file must use 'mission_slug'",
    };
  }
  const missing = _REQUIRED.filter((k) => !(k in obj));
  if (missing.length > 0) {
    return { status: "invalid", path, reason: `missing key(s): ${missing.join(", ")}` };
  }
  for (const k of ["mission_slug", "mission_branch", "target_branch"] as const) {
    if (typeof obj[k] !== "string" || obj[k] === "") {
      return { status: "invalid", path, reason: `'${k}' is not a non-empty string` };
    }
  }
  if (!Array.isArray(obj.lanes)) return { status: "invalid", path, reason: "lanes must be a list" };
  const lanes: ExecutionLane[] = [];
  for (const [i, raw] of obj.lanes.entries()) {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      return { status: "invalid", path, reason: `lanes[${i}] must be an object` };
    }
    const lane = raw as Record<string, unknown>;
    if (typeof lane.lane_id !== "string" || lane.lane_id === "") {
      return { status: "invalid", path, reason: `lanes[${i}].lane_id is missing` };
    }
    if (!Array.isArray(lane.wp_ids) || !lane.wp_ids.every((w) => typeof w === "string")) {
      return { status: "invalid", path, reason: `lanes[${i}].wp_ids is not a list of WP ids` };
    }
    lanes.push({
      lane_id: lane.lane_id,
      wp_ids: [...lane.wp_ids as string[]],
      write_scope: _strings(lane.write_scope),
      depends_on_lanes: _strings(lane.depends_on_lanes),
      parallel_group:
        typeof lane.parallel_group === "number" && Number.isInteger(lane.parallel_group)
          ? lane.parallel_group
          : 0,
    });
  }
  return {
    status: "ok",
    path,
    manifest: {
      version: obj.version,
      mission_slug: String(obj.mission_slug),
      mission_id: typeof obj.mission_id === "string" ? obj.mission_id : null,
      mission_branch: String(obj.mission_branch),
      target_branch: String(obj.target_branch),
      lanes,
      planning_artifact_wps: _strings(obj.planning_artifact_wps),
      planning_commit_sha:
        typeof obj.planning_commit_sha === "string" && obj.planning_commit_sha !== ""
          ? obj.planning_commit_sha
          : null,
    },
  };
}

/**
 * The lane a WP belongs to, when `lanes.json` is usable and lists it.
 *
 * @param lanes The lanes status.
 * @param wpId The WP id.
 * @returns The lane, or `null`.
 */
export function laneOfWp(lanes: LanesStatus, wpId: string): ExecutionLane | null {
  if (lanes.status !== "ok") return null;
  return lanes.manifest.lanes.find((l) => l.wp_ids.includes(wpId)) ?? null;
}

/**
 * The repository-relative workspace of a WP, as spec-kitty 3.2.6rc3 places it
 * (`predict_lane_worktree`, which composes the name without a mission id):
 * `.` (the main checkout) for `lane-planning`, else the lane worktree
 * `.worktrees/<slug>-<lane_id>`. `null` when the WP has no lane.
 *
 * @param slug The mission slug.
 * @param _missionId The mission ULID, or `null` (not part of the name).
 * @param lane The WP's lane, or `null`.
 * @returns The path, or `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { workspacePathFor } from "./lanes.ts";
 * const lane = { lane_id: "lane-a", wp_ids: ["WP01"], write_scope: [], depends_on_lanes: [], parallel_group: 0 };
 * assert.equal(workspacePathFor("x-01KRKTT5", "01KRKTT58XC5KR0HF523333R9S", lane), ".worktrees/x-01KRKTT5-lane-a");
 * assert.equal(workspacePathFor("067-x", "01KQ47E813PE1WDF9CF3G8K447", lane), ".worktrees/067-x-lane-a");
 * ```
 */
export function workspacePathFor(
  slug: string,
  _missionId: string | null,
  lane: ExecutionLane | null,
): string | null {
  if (lane === null) return null;
  if (lane.lane_id === PLANNING_LANE_ID) return ".";
  return `.worktrees/${slug}-${lane.lane_id}`;
}

/**
 * The branch of a lane as spec-kitty 3.2.6rc3 names it (`lane_branch_name`
 * without a mission id): `kitty/mission-<slug>-<lane_id>`; `lane-planning`
 * lives on the target branch.
 *
 * @param slug The mission slug.
 * @param laneId The lane id.
 * @param targetBranch lanes.json `target_branch`.
 * @returns The branch name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { laneBranchFor } from "./lanes.ts";
 * assert.equal(laneBranchFor("x-01KRKTT5", "lane-b", "main"), "kitty/mission-x-01KRKTT5-lane-b");
 * assert.equal(laneBranchFor("x-01KRKTT5", "lane-planning", "main"), "main");
 * ```
 */
export function laneBranchFor(slug: string, laneId: string, targetBranch: string): string {
  return laneId === PLANNING_LANE_ID ? targetBranch : `kitty/mission-${slug}-${laneId}`;
}

/**
 * The `execution_mode` an implement claim records: `direct_repo` for a WP in
 * `lane-planning`, otherwise `worktree`.
 *
 * @param lane The WP's lane, or `null`.
 * @returns The mode.
 */
export function executionModeFor(lane: ExecutionLane | null): "direct_repo" | "worktree" {
  return lane !== null && lane.lane_id === PLANNING_LANE_ID ? "direct_repo" : "worktree";
}
