/**
 * `keel next --mission H [--agent A]` / `mission/next`: the claimability
 * preview. The payload keeps spec-kitty's `next --json` keys in spec-kitty's
 * order and adds `selection_reason` and `candidates`; `wp_id` is exactly what
 * an immediately following `implement` claims (the same selection function).
 *
 * @module
 */

import type { NextParamsInput } from "./params.ts";
import type { OpContext } from "../context.ts";
import { computeProgress, finalizedBoardState, type Progress } from "./board_state.ts";
import { gitCommitPort } from "./git_commit_port.ts";
import { laneOfWp, workspacePathFor } from "./lanes.ts";
import type { Mission } from "./load_mission.ts";
import { openMission } from "./open_mission.ts";
import { requireAgent } from "../util/agent.ts";
import {
  type CandidateExplain,
  selectClaimableWp,
  type SelectionReason,
} from "./select_claimable_wp.ts";

export type { NextParamsInput } from "./params.ts";

/** The `next` payload. Keys are in spec-kitty's order, then keel's additions. */
export interface NextPayload {
  kind: "query";
  agent: string | null;
  mission_slug: string;
  /** A string: meta.json's number, the slug's numeric prefix, or `""`. */
  mission_number: string;
  mission_type: string;
  mission: string;
  mission_state: string;
  timestamp: string;
  action: null;
  /** The WP `implement` would claim (implement state only). */
  wp_id: string | null;
  /** The chosen WP's workspace (repo-relative), when it has a lane in lanes.json. */
  workspace_path: string | null;
  /** The chosen WP's file (repo-relative). */
  prompt_file: string | null;
  /** The selection token in the implement state; the board's reason otherwise. */
  reason: string | null;
  guard_failures: string[];
  progress: Progress | null;
  origin: null;
  run_id: null;
  step_id: null;
  decision_id: null;
  input_key: null;
  question: null;
  options: null;
  is_query: true;
  preview_step: string | null;
  /** Why no WP is claimable (null when `wp_id` is set). */
  selection_reason: SelectionReason | null;
  /** Candidate WP ids in the order the selection walked them. */
  candidates: string[];
  /** Only with `explain: true`. */
  explain?: CandidateExplain[];
}

/**
 * `mission_number` as the payload shows it: a string.
 *
 * @param meta meta.json.
 * @param slug The slug.
 * @returns The number as a string, or `""`.
 */
export function missionNumberString(meta: Record<string, unknown>, slug: string): string {
  const n = meta.mission_number;
  if (typeof n === "number" && Number.isInteger(n)) return String(n);
  if (typeof n === "string" && /^\d+$/.test(n.trim())) return String(parseInt(n.trim(), 10));
  const m = /^(\d+)-/.exec(slug);
  return m ? String(parseInt(m[1]!, 10)) : "";
}

/**
 * Build the payload from a loaded mission (pure apart from the commit port).
 *
 * @param mission The mission.
 * @param options Agent, timestamp, explain, and the commit port.
 * @returns The payload.
 */
export function buildNextPayload(
  mission: Mission,
  options: {
    agent?: string | undefined;
    timestamp: string;
    explain?: boolean | undefined;
    repoHasCommit?: (sha: string) => boolean | null;
  },
): NextPayload {
  const selection = selectClaimableWp(
    mission,
    options.repoHasCommit === undefined ? {} : { repoHasCommit: options.repoHasCommit },
  );
  const board = finalizedBoardState(mission);
  const implementing = board.mission_state === "implement";
  const wpId = implementing ? selection.wp_id : null;
  const wp = wpId === null ? undefined : mission.wps.find((w) => w.id === wpId);
  const missionType = typeof mission.meta.mission_type === "string"
    ? mission.meta.mission_type
    : "";
  const payload: NextPayload = {
    kind: "query",
    agent: options.agent ?? null,
    mission_slug: mission.slug,
    mission_number: missionNumberString(mission.meta, mission.slug),
    mission_type: missionType,
    mission: missionType,
    mission_state: board.mission_state,
    timestamp: options.timestamp,
    action: null,
    wp_id: wpId,
    workspace_path: wpId === null
      ? null
      : workspacePathFor(mission.slug, mission.missionId, laneOfWp(mission.lanes, wpId)),
    prompt_file: wp === undefined ? null : `${mission.repoRelDir}/${wp.relPath}`,
    reason: implementing ? selection.selection_reason : board.reason,
    guard_failures: [],
    progress: computeProgress(mission),
    origin: null,
    run_id: null,
    step_id: null,
    decision_id: null,
    input_key: null,
    question: null,
    options: null,
    is_query: true,
    preview_step: board.preview_step,
    selection_reason: wpId === null ? selection.selection_reason : null,
    candidates: selection.candidates,
  };
  if (options.explain === true) payload.explain = selection.explain;
  return payload;
}

/**
 * The claimability preview of a mission.
 *
 * @param params `{mission, agent?, explain?}`.
 * @param ctx The operation context (`cwd`, `clock`).
 * @returns The payload.
 * @throws {KeelError} `KITTY_SPECS_NOT_FOUND`, `MISSION_NOT_FOUND`,
 *   `MISSION_AMBIGUOUS`, `MISSION_META_INVALID`, `EVENT_LOG_CORRUPT`,
 *   `WP_FRONTMATTER_INVALID`; `USAGE` for a blank agent.
 */
export async function nextOp(params: NextParamsInput, ctx: OpContext): Promise<NextPayload> {
  if (params.agent !== undefined) params = { ...params, agent: requireAgent(params.agent) };
  const mission = await openMission(ctx.cwd, params.mission, { read: "light" });
  return buildNextPayload(mission, {
    agent: params.agent,
    timestamp: ctx.clock.now().toISOString(),
    explain: params.explain,
    repoHasCommit: gitCommitPort(mission.repoRoot),
  });
}
