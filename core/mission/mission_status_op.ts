/**
 * `keel mission status H` / `mission/status`: every WP with its lane,
 * dependencies (and whether they are satisfied), holder, review state, and
 * its lane's write scope from `lanes.json`.
 *
 * @module
 */

import { commitPortFor } from "./git_commit_port.ts";
import { checkParams } from "../params.ts";
import { MISSION_STATUS_RULES } from "./param_rules.ts";
import type { MissionStatusParamsInput } from "./params.ts";
import type { OpContext } from "../context.ts";
import { computeProgress, finalizedBoardState, type Progress } from "./board_state.ts";
import { laneOfWp, workspacePathFor } from "./lanes.ts";
import type { Mission } from "./load_mission.ts";
import { openMission } from "./open_mission.ts";
import { isCompleteReviewOverride } from "./reduce_events.ts";
import {
  ACTIVE_LANES,
  type DependencyView,
  missionSelection,
  SATISFYING_LANES,
  type SelectionReason,
  type SelectionWarning,
} from "./select_claimable_wp.ts";

export type { MissionStatusParamsInput } from "./params.ts";

/** One WP in the status. */
export interface WpStatusView {
  wp_id: string;
  /** The file, repo-relative. */
  file: string;
  title: string;
  /** The lane (`genesis` when the WP has no events). */
  lane: string;
  dependencies: DependencyView[];
  /** All dependencies approved or done. */
  dependencies_satisfied: boolean;
  /** The agent holding the WP (claimed, in progress, for review, in review), else null. */
  holder: string | null;
  /** The event-sourced review state. */
  review: {
    /** `review_result.verdict` (`approved`, `changes_requested`) or null. */
    verdict: string | null;
    /** `review_result.reviewer` or null. */
    reviewer: string | null;
    /** The review override record, or null. */
    override: unknown;
    /** The override has all four fields. */
    override_complete: boolean;
  };
  /** The lane id in lanes.json, or null. */
  lane_id: string | null;
  /** The lane's write scope (empty when the WP has no lane). */
  write_scope: string[];
  /** The workspace (repo-relative), or null. */
  workspace_path: string | null;
}

/** The mission status. */
export interface MissionStatusResult {
  mission_slug: string;
  mission_id: string | null;
  friendly_name: string;
  mission_type: string;
  topology: string | null;
  /** Whether status.events.jsonl exists. */
  event_log: boolean;
  /** lanes.json: `ok`, `missing` or `invalid` (with the reason). */
  lanes_json: { status: "ok" | "missing" | "invalid"; path: string; reason: string | null };
  mission_state: string;
  progress: Progress | null;
  summary: Record<string, number>;
  /** What `next`/`implement` would pick. */
  next: {
    wp_id: string | null;
    selection_reason: SelectionReason | null;
    warnings: SelectionWarning[];
  };
  wps: WpStatusView[];
}

/**
 * The status view of a loaded mission.
 *
 * @param mission The mission.
 * @returns The status.
 */
export function buildMissionStatus(
  mission: Mission,
  options: { repoHasCommit?: (sha: string) => boolean | null } = {},
): MissionStatusResult {
  const states = mission.snapshot.work_packages;
  const laneOf = (id: string, fallback: string) =>
    Object.hasOwn(states, id) ? states[id]!.lane : fallback;
  const wps: WpStatusView[] = mission.wps.map((w) => {
    const id = w.id ?? w.fileId ?? w.stem;
    const state = Object.hasOwn(states, id) ? states[id] : undefined;
    const lane = state === undefined ? "genesis" : state.lane;
    const dependencies = w.dependencies.map((d) => {
      const dl = laneOf(d, "planned");
      return { wp_id: d, lane: dl, satisfied: SATISFYING_LANES.has(dl) };
    });
    const rr = state?.review_result as Record<string, unknown> | null | undefined;
    const execLane = laneOfWp(mission.lanes, id);
    const agent = state?.agent;
    return {
      wp_id: id,
      file: `${mission.repoRelDir}/${w.relPath}`,
      title: w.title,
      lane,
      dependencies,
      dependencies_satisfied: dependencies.every((d) => d.satisfied),
      holder: ACTIVE_LANES.has(lane)
        ? (typeof agent === "string" && agent !== "" ? agent : state?.actor ?? null)
        : null,
      review: {
        verdict: rr && typeof rr.verdict === "string" ? rr.verdict : null,
        reviewer: rr && typeof rr.reviewer === "string" ? rr.reviewer : null,
        override: state?.review ?? null,
        override_complete: isCompleteReviewOverride(state?.review),
      },
      lane_id: execLane === null ? null : execLane.lane_id,
      write_scope: execLane === null ? [] : execLane.write_scope,
      workspace_path: workspacePathFor(mission.slug, mission.missionId, execLane),
    };
  });
  const selection = missionSelection(mission, options);
  const meta = mission.meta;
  return {
    mission_slug: mission.slug,
    mission_id: mission.missionId,
    friendly_name: typeof meta.friendly_name === "string" ? meta.friendly_name : "",
    mission_type: typeof meta.mission_type === "string" ? meta.mission_type : "",
    topology: typeof meta.topology === "string" ? meta.topology : null,
    event_log: mission.eventLogPresent,
    lanes_json: {
      status: mission.lanes.status,
      path: mission.lanes.path,
      reason: mission.lanes.status === "invalid" ? mission.lanes.reason : null,
    },
    mission_state: finalizedBoardState(mission).mission_state,
    progress: computeProgress(mission),
    summary: mission.snapshot.summary,
    next: {
      wp_id: selection.wp_id,
      selection_reason: selection.selection_reason,
      warnings: selection.warnings,
    },
    wps,
  };
}

/**
 * The status of one mission.
 *
 * @param params `{mission}`.
 * @param ctx The operation context.
 * @returns The status.
 * @throws {KeelError} The mission reader's codes.
 */
export async function missionStatusOp(
  params: MissionStatusParamsInput,
  ctx: OpContext,
): Promise<MissionStatusResult> {
  checkParams(params, MISSION_STATUS_RULES);
  const mission = await openMission(ctx.cwd, params.mission);
  return buildMissionStatus(mission, {
    repoHasCommit: await commitPortFor(mission, ctx.gitBackend),
  });
}
