/**
 * `keel next --mission H [--agent A]` / `mission/next`: the claimability
 * preview. The payload keeps spec-kitty's `next --json` keys, in spec-kitty's
 * order and with the values spec-kitty's query decision gives them
 * (`mission_number` from the slug, `workspace_path`/`prompt_file` null,
 * `origin` `{}`), and adds `selection_reason`, `candidates`, `warnings`,
 * `wp_prompt_file` and `wp_workspace_path`; `wp_id` is exactly what an
 * immediately following `implement` claims (the same selection call).
 *
 * @module
 */

import { commitPortFor, type MissionPorts } from "./git_commit_port.ts";
import { checkParams } from "../params.ts";
import { NEXT_RULES } from "./param_rules.ts";
import type { NextParamsInput } from "./params.ts";
import type { OpContext } from "../context.ts";
import { computeProgress, finalizedBoardState, type Progress } from "./board_state.ts";
import { laneOfWp, workspacePathFor } from "./lanes.ts";
import type { Mission } from "./load_mission.ts";
import { openMission } from "./open_mission.ts";
import { requireAgent } from "../util/agent.ts";
import {
  type CandidateExplain,
  missionSelection,
  type SelectionReason,
  type SelectionWarning,
} from "./select_claimable_wp.ts";

export type { NextParamsInput } from "./params.ts";

/** The `next` payload. Keys are in spec-kitty's order, then keel's additions. */
export interface NextPayload {
  kind: "query";
  agent: string | null;
  mission_slug: string;
  /** A string: the slug's numeric prefix (`"062-x"` → `"62"`), or `""` (spec-kitty's query rule). */
  mission_number: string;
  mission_type: string;
  mission: string;
  mission_state: string;
  timestamp: string;
  action: null;
  /** The WP `implement` would claim (implement state only). */
  wp_id: string | null;
  /** Always null in a query decision (spec-kitty); see `wp_workspace_path`. */
  workspace_path: null;
  /** Always null in a query decision (spec-kitty); see `wp_prompt_file`. */
  prompt_file: null;
  /** The selection token in the implement state; the board's reason otherwise. */
  reason: string | null;
  guard_failures: string[];
  progress: Progress | null;
  /** `{}`, as spec-kitty emits it. */
  origin: Record<string, never>;
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
  /** Warnings about `wp_id` (`BASE_COMMIT_MISSING`); empty when none. */
  warnings: SelectionWarning[];
  /** The chosen WP's file (repo-relative), or null. */
  wp_prompt_file: string | null;
  /** The chosen WP's workspace (repo-relative) when it has a lane in lanes.json, or null. */
  wp_workspace_path: string | null;
  /** Only with `explain: true`. */
  explain?: CandidateExplain[];
}

/**
 * `mission_number` as spec-kitty's query decision shows it: the slug's
 * numeric prefix without leading zeros, or `""` (a ULID-suffixed slug).
 * meta.json's `mission_number` is not read.
 *
 * @param slug The slug.
 * @returns The number as a string, or `""`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missionNumberString } from "./next_op.ts";
 * assert.equal(missionNumberString("062-fix-doctrine"), "62");
 * assert.equal(missionNumberString("feature-alias-removal-01KW0N87"), "");
 * ```
 */
export function missionNumberString(slug: string): string {
  const m = /^(\d+)-/.exec(slug);
  return m ? String(BigInt(m[1]!)) : "";
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
    /** The commit port (absent: base commits are not checked; `nextOp` passes git's). */
    repoHasCommit?: (sha: string) => boolean | null;
  },
): NextPayload {
  const selection = missionSelection(
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
    mission_number: missionNumberString(mission.slug),
    mission_type: missionType,
    mission: missionType,
    mission_state: board.mission_state,
    timestamp: options.timestamp,
    action: null,
    wp_id: wpId,
    workspace_path: null,
    prompt_file: null,
    reason: implementing ? selection.selection_reason : board.reason,
    guard_failures: [],
    progress: computeProgress(mission),
    origin: {},
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
    warnings: wpId === null ? [] : selection.warnings,
    wp_prompt_file: wp === undefined ? null : `${mission.repoRelDir}/${wp.relPath}`,
    wp_workspace_path: wpId === null
      ? null
      : workspacePathFor(mission.slug, mission.missionId, laneOfWp(mission.lanes, wpId)),
  };
  if (options.explain === true) payload.explain = selection.explain;
  return payload;
}

/**
 * The claimability preview of a mission.
 *
 * @param params `{mission, agent?, explain?}`.
 * @param ctx The operation context (`cwd`, `clock`).
 * @param ports Ports to use instead of the repository's (the commit-existence
 *   check of `base_commit`); absent: git through `ctx.gitBackend`.
 * @returns The payload.
 * @throws {KeelError} `KITTY_SPECS_NOT_FOUND`, `MISSION_NOT_FOUND`,
 *   `MISSION_AMBIGUOUS`, `MISSION_META_INVALID`, `EVENT_LOG_CORRUPT`,
 *   `WP_FRONTMATTER_INVALID`; `USAGE` for a blank agent.
 */
export async function nextOp(
  params: NextParamsInput,
  ctx: OpContext,
  ports: MissionPorts = {},
): Promise<NextPayload> {
  checkParams(params, NEXT_RULES);
  if (params.agent !== undefined) params = { ...params, agent: requireAgent(params.agent) };
  const mission = await openMission(ctx.cwd, params.mission, {
    read: "light",
    syncLog: ctx.oneShot === true,
  });
  return buildNextPayload(mission, {
    agent: params.agent,
    timestamp: ctx.clock.now().toISOString(),
    explain: params.explain,
    repoHasCommit: ports.repoHasCommit ?? await commitPortFor(mission, ctx.gitBackend),
  });
}
