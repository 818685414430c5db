/**
 * `keel mission list` / `mission/list`: every mission under `kitty-specs/`
 * with its lane counts and what `next` would pick. A mission that cannot be
 * read is listed with its error, not dropped.
 *
 * @module
 */

import { commitPortFor } from "./git_commit_port.ts";
import { checkParams } from "../params.ts";
import { MISSION_LIST_RULES } from "./param_rules.ts";
import type { MissionListParamsInput } from "./params.ts";
import type { OpContext } from "../context.ts";
import { isKeelError } from "../errors.ts";
import { finalizedBoardState } from "./board_state.ts";
import { findKittySpecs } from "./find_kitty_specs.ts";
import { loadMission } from "./load_mission.ts";
import { listMissionFolders } from "./resolve_mission.ts";
import {
  missionSelection,
  type SelectionReason,
  type SelectionWarning,
} from "./select_claimable_wp.ts";
import { join } from "../util/posix_path.ts";

export type { MissionListParamsInput } from "./params.ts";

/** One mission in the list. */
export interface MissionListEntry {
  mission_slug: string;
  mission_id: string | null;
  friendly_name: string;
  mission_type: string;
  wp_count: number;
  mission_state: string | null;
  summary: Record<string, number> | null;
  next_wp_id: string | null;
  selection_reason: SelectionReason | null;
  /** Warnings about `next_wp_id` (`BASE_COMMIT_MISSING`). */
  warnings: SelectionWarning[];
  /** Why the mission could not be read, or null. */
  error: { code: string; message: string } | null;
}

/** The list. */
export interface MissionListResult {
  /** The kitty-specs folder, repo-relative. */
  kitty_specs: string;
  missions: MissionListEntry[];
}

/**
 * List the missions.
 *
 * @param _params `{}`.
 * @param ctx The operation context.
 * @returns The missions, sorted by slug.
 * @throws {KeelError} `KITTY_SPECS_NOT_FOUND`.
 */
export async function missionListOp(
  params: MissionListParamsInput,
  ctx: OpContext,
): Promise<MissionListResult> {
  checkParams(params, MISSION_LIST_RULES);
  const kittySpecs = await findKittySpecs(ctx.cwd);
  const folders = await listMissionFolders(kittySpecs);
  const missions: MissionListEntry[] = [];
  for (const f of folders) {
    try {
      const m = await loadMission(join(kittySpecs, f.slug), { read: "light" });
      const sel = missionSelection(m, {
        repoHasCommit: await commitPortFor(m, ctx.gitBackend),
      });
      missions.push({
        mission_slug: m.slug,
        mission_id: m.missionId,
        friendly_name: typeof m.meta.friendly_name === "string" ? m.meta.friendly_name : "",
        mission_type: typeof m.meta.mission_type === "string" ? m.meta.mission_type : "",
        wp_count: m.wps.length,
        mission_state: finalizedBoardState(m).mission_state,
        summary: m.snapshot.summary,
        next_wp_id: sel.wp_id,
        selection_reason: sel.selection_reason,
        warnings: sel.warnings,
        error: null,
      });
    } catch (error) {
      if (!isKeelError(error)) throw error;
      missions.push({
        mission_slug: f.slug,
        mission_id: f.mission_id,
        friendly_name: "",
        mission_type: "",
        wp_count: 0,
        mission_state: null,
        summary: null,
        next_wp_id: null,
        selection_reason: null,
        warnings: [],
        error: { code: error.code, message: error.message },
      });
    }
  }
  return { kitty_specs: "kitty-specs", missions };
}
