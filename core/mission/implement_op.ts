/**
 * `keel implement --mission H --agent A [WP]` / `mission/implement`: claim a
 * WP. Without a WP it claims exactly what `next` names (the same selection
 * function), under an exclusive per-mission lock, re-reading the event log
 * under the lock and appending `planned→claimed` and `claimed→in_progress`
 * as one write.
 *
 * Unless `workspace: false`, the claim and the lane workspace are one
 * operation (`prepare_workspace.ts`): the workspace is prepared first, so a
 * refusal or failure leaves the log unchanged; then the events are appended
 * and committed as spec-kitty commits them (or left, and said so); a failed
 * commit rolls the log back.
 *
 * @module
 */

import { checkParams } from "../params.ts";
import { IMPLEMENT_RULES } from "./param_rules.ts";
import { join } from "../util/mod.ts";
import type { ImplementParamsInput } from "./params.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { requireAgent, ulid } from "../util/mod.ts";
import { eventTimestamp } from "./event_line.ts";
import {
  type PendingAppend,
  planAppend,
  readLockedEventLog,
  undoAppend,
  withMissionLock,
  writeAppend,
} from "./append_events.ts";
import { findKittySpecs } from "./find_kitty_specs.ts";
import { commitPortFor, type MissionPorts, samePortMission } from "./git_commit_port.ts";
import { requireCliGit } from "../git/mod.ts";
import { executionModeFor, laneOfWp, workspacePathFor } from "./lanes.ts";
import { loadMission, type Mission } from "./load_mission.ts";
import { resolveMission } from "./resolve_mission.ts";
import {
  baseCommitWarning,
  missionSelection,
  SATISFYING_LANES,
  type SelectionWarning,
} from "./select_claimable_wp.ts";
import type { WpFile } from "./wp_files.ts";
import {
  commitClaimEventLog,
  type EventLogCommit,
  type PreparedWorkspace,
  prepareWorkspace,
} from "./prepare_workspace.ts";
import { runGit } from "../git/mod.ts";

export type { ImplementParamsInput } from "./params.ts";

/** What `implement` did. */
export interface ImplementResult {
  mission_slug: string;
  mission_id: string | null;
  wp_id: string;
  agent: string;
  /** `claimed` (planned → in_progress), `started` (claimed → in_progress), `resumed` (already in progress: nothing written), `reimplement` (forced back to in_progress after review). */
  action: "claimed" | "started" | "resumed" | "reimplement";
  /** The lane before. */
  from_lane: string;
  /** The lane now (`in_progress`). */
  lane: "in_progress";
  /** The WP file (repo-relative). */
  prompt_file: string;
  /** The workspace (repo-relative), or null when the WP has no lane in lanes.json. */
  workspace_path: string | null;
  /** The lane id from lanes.json, or null. */
  lane_id: string | null;
  /** `direct_repo` (lane-planning) or `worktree`. */
  execution_mode: "direct_repo" | "worktree";
  /** event_ids appended, in order. */
  event_ids: string[];
  /** Candidates the selection walked (empty for an explicit WP). */
  candidates: string[];
  /** Warnings about the WP (`BASE_COMMIT_MISSING`); empty when none. They never stop the claim. */
  warnings: SelectionWarning[];
  /** The prepared workspace, or null with `workspace: false`. */
  workspace: PreparedWorkspace | null;
  /** What became of the event-log change (`none` when nothing was written or with `workspace: false`). */
  event_log: EventLogCommit;
}

/**
 * Normalise a WP argument: `wp01` → `WP01`, `WP01-foo` → `WP01`.
 *
 * @param raw The argument.
 * @returns The WP id.
 */
export function normalizeWpArg(raw: string): string {
  const m = /^wp(\d+)/i.exec(raw.trim());
  return m ? `WP${m[1]}` : raw.trim();
}

/**
 * Whether an agent may take over a WP whose current actor is `holder`: a
 * blank holder, the same identity, or a placeholder (`implement-command`,
 * `unknown`). A blank agent is compatible with no one (and refused before
 * this is asked, by `requireAgent`).
 *
 * @param holder The current actor.
 * @param agent The claiming agent.
 * @returns `true` when compatible.
 */
export function actorsCompatible(holder: string | null | undefined, agent: string): boolean {
  const h = (holder ?? "").trim();
  const a = agent.trim();
  if (a === "") return false;
  return h === "" || h === a || h === "implement-command" || h === "unknown";
}

/**
 * Claim a WP for an agent.
 *
 * @param params `{mission, agent, wp?}`.
 * @param ctx The operation context.
 * @param ports Ports to use instead of the repository's (the commit-existence
 *   check of `base_commit`); absent: git through `ctx.gitBackend`.
 * @returns What was done.
 * @throws {KeelError} `WP_NOT_CLAIMABLE` (exit 1) `{reason, candidates}` when
 *   nothing is claimable, or `{wp_id, reason, lane}` for an explicit WP that
 *   cannot start; `WP_CLAIM_CONFLICT` (exit 4) `{wp_id, holder}` when another
 *   agent holds it; `WP_NOT_FOUND`; `LOCK_HELD`; `USAGE` for a blank agent;
 *   the mission reader's codes.
 */
export async function implementOp(
  params: ImplementParamsInput,
  ctx: OpContext,
  ports: MissionPorts = {},
): Promise<ImplementResult> {
  checkParams(params, IMPLEMENT_RULES);
  params = { ...params, agent: requireAgent(params.agent) };
  // The lane workspace needs worktrees and merges: the git CLI.
  if (params.workspace !== false) requireCliGit(ctx.gitBackend, "implement");
  const kittySpecs = await findKittySpecs(ctx.cwd);
  const ref = await resolveMission(kittySpecs, params.mission);
  const repoRoot = join(kittySpecs, "..");
  // Decide once without the lock: a refusal (or a resume, which writes
  // nothing) needs no lock and leaves no lock file behind.
  const preview = await loadMission(ref.dir, { read: "light" });
  const port = ports.repoHasCommit ?? await commitPortFor(preview, ctx.gitBackend);
  const first = _plan(preview, params, port);
  const withWorkspace = params.workspace !== false;
  if (first.fromLane === "in_progress" && !withWorkspace) {
    return await _claim(preview, first.wp, first.fromLane, {
      agent: params.agent,
      ctx,
      candidates: first.candidates,
      warnings: first.warnings,
      workspace: false,
    });
  }
  return await withMissionLock({ repoRoot, slug: ref.slug }, async () => {
    const mission = await loadMission(ref.dir, { read: "light" });
    // A base commit that appeared since the preview gets a port that knows it.
    const locked = ports.repoHasCommit ??
      (samePortMission(preview, mission) ? port : await commitPortFor(mission, ctx.gitBackend));
    const plan = _plan(mission, params, locked);
    return await _claim(mission, plan.wp, plan.fromLane, {
      agent: params.agent,
      ctx,
      candidates: plan.candidates,
      warnings: plan.warnings,
      workspace: withWorkspace,
    });
  });
}

/** What to claim and from which lane, or a thrown refusal. */
function _plan(
  mission: Mission,
  params: ImplementParamsInput,
  port: (sha: string) => boolean | null,
): { wp: WpFile; fromLane: string; candidates: string[]; warnings: SelectionWarning[] } {
  if (params.wp === undefined) {
    const selection = missionSelection(mission, { repoHasCommit: port });
    if (selection.wp_id === null) {
      const why: Record<string, string> = {
        dependencies_not_satisfied:
          "planned work packages are waiting on dependencies; all dependencies must be approved or done before implementation can start",
        all_wps_in_progress: "every remaining work package is already being worked on",
        not_finalized: "the remaining work packages were never seeded into the event log",
        no_tasks_dir: "the mission has no tasks/ folder",
        no_wp_files: "the mission has no tasks/WP*.md file with a work_package_id",
        no_planned_wps: "no planned work packages; specify a WP explicitly",
      };
      throw new KeelError(
        "WP_NOT_CLAIMABLE",
        `Nothing to claim in ${mission.slug}: ${selection.selection_reason}: ${
          why[selection.selection_reason!] ?? ""
        }`,
        { data: { reason: selection.selection_reason, candidates: selection.candidates } },
      );
    }
    const wp = mission.wps.find((w) => w.id === selection.wp_id)!;
    return {
      wp,
      fromLane: "planned",
      candidates: selection.candidates,
      warnings: selection.warnings,
    };
  }
  const wpId = normalizeWpArg(params.wp);
  const wp = mission.wps.find((w) => w.id === wpId) ??
    mission.wps.find((w) => w.id === null && w.fileId === wpId);
  if (wp === undefined) {
    throw new KeelError("WP_NOT_FOUND", `No work package ${wpId} in ${mission.slug}`, {
      data: { wp_id: wpId, available: mission.wps.map((w) => w.id ?? w.fileId ?? w.stem) },
    });
  }
  const states = mission.snapshot.work_packages;
  const state = Object.hasOwn(states, wpId) ? states[wpId] : undefined;
  const lane = state === undefined ? "genesis" : state.lane;
  const refuse = (reason: string, extra: Record<string, unknown> = {}) =>
    new KeelError(
      "WP_NOT_CLAIMABLE",
      reason === "not_finalized"
        ? `WP ${wpId} is not finalized (it has no events in the log)`
        : reason === "lane"
        ? `WP ${wpId} is in '${lane}', cannot start implementation`
        : `WP ${wpId} cannot start: ${reason}`,
      { data: { wp_id: wpId, reason, lane, ...extra } },
    );
  if (lane === "genesis") throw refuse("not_finalized");
  if (lane === "planned" || lane === "claimed") {
    const unmet = wp.dependencies.filter((d) => {
      const s = Object.hasOwn(states, d) ? states[d] : undefined;
      return !SATISFYING_LANES.has(s === undefined ? "planned" : s.lane);
    });
    if (unmet.length > 0) throw refuse("dependencies_not_satisfied", { unmet });
  }
  if (lane === "claimed" || lane === "in_progress") {
    if (!actorsCompatible(state!.actor, params.agent)) {
      throw new KeelError(
        "WP_CLAIM_CONFLICT",
        `WP ${wpId} is already claimed for implementation by '${state!.actor}'`,
        { data: { wp_id: wpId, holder: state!.actor } },
      );
    }
  }
  if (
    lane === "planned" || lane === "claimed" || lane === "in_progress" ||
    lane === "for_review" || lane === "in_review" || lane === "approved"
  ) {
    const warning = lane === "planned" ? baseCommitWarning(wp, port) : null;
    return { wp, fromLane: lane, candidates: [], warnings: warning === null ? [] : [warning] };
  }
  throw refuse("lane");
}

async function _claim(
  mission: Mission,
  wp: WpFile,
  fromLane: string,
  opts: {
    agent: string;
    ctx: OpContext;
    candidates: string[];
    warnings: SelectionWarning[];
    workspace: boolean;
  },
): Promise<ImplementResult> {
  const wpId = wp.id ?? wp.fileId ?? wp.stem;
  const lane = laneOfWp(mission.lanes, wpId);
  const executionMode = executionModeFor(lane);
  const at = eventTimestamp(opts.ctx.clock.now());
  const base = {
    actor: opts.agent,
    at,
    evidence: null,
    execution_mode: executionMode,
    force: false,
    mission_id: mission.missionId,
    mission_slug: mission.slug,
    policy_metadata: { agent: opts.agent },
    reason: null,
    review_ref: null,
    review_result: null,
    wp_id: wpId,
  };
  let events: Record<string, unknown>[];
  let action: ImplementResult["action"];
  if (fromLane === "planned") {
    events = [
      { ...base, event_id: ulid(), from_lane: "planned", to_lane: "claimed" },
      { ...base, event_id: ulid(), from_lane: "claimed", to_lane: "in_progress" },
    ];
    action = "claimed";
  } else if (fromLane === "claimed") {
    events = [{ ...base, event_id: ulid(), from_lane: "claimed", to_lane: "in_progress" }];
    action = "started";
  } else if (fromLane === "in_progress") {
    events = [];
    action = "resumed";
  } else {
    events = [{
      ...base,
      event_id: ulid(),
      force: true,
      from_lane: fromLane,
      to_lane: "in_progress",
      reason: "Re-implementing after review feedback",
    }];
    action = "reimplement";
  }
  const logRel = `${mission.repoRelDir}/status.events.jsonl`;
  let pending: PendingAppend | null = null;
  if (events.length > 0) {
    pending = planAppend(await readLockedEventLog(mission), events, (snapshot) => {
      const after = snapshot.work_packages[wpId];
      if (after === undefined || after.lane !== "in_progress" || after.actor !== opts.agent) {
        throw new KeelError(
          "STATE_CHANGED",
          `The claim of ${wpId} would not take effect: the log holds later events for it`,
          { data: { path: logRel } },
        );
      }
    });
  }
  // The workspace first: a refusal or failure here leaves the log unchanged.
  const workspace = opts.workspace ? await prepareWorkspace({ mission, wpId }) : null;
  let eventLog: EventLogCommit = {
    status: "none",
    commit: null,
    branch: null,
    path: logRel,
    reason: null,
  };
  if (pending !== null) {
    await writeAppend(pending);
    if (workspace === null) {
      eventLog = {
        status: "left",
        commit: null,
        branch: null,
        path: logRel,
        reason: `claim only (no workspace): ${logRel} is not committed`,
      };
    } else {
      try {
        eventLog = await commitClaimEventLog({ mission, wpId, agent: opts.agent });
      } catch (error) {
        // spec-kitty rolls the log back when the claim commit fails.
        await undoAppend(pending);
        await runGit(["reset", "-q", "--", logRel], mission.repoRoot);
        throw error;
      }
    }
  }
  return {
    mission_slug: mission.slug,
    mission_id: mission.missionId,
    wp_id: wpId,
    agent: opts.agent,
    action,
    from_lane: fromLane,
    lane: "in_progress",
    prompt_file: `${mission.repoRelDir}/${wp.relPath}`,
    workspace_path: workspacePathFor(mission.slug, mission.missionId, lane),
    lane_id: lane === null ? null : lane.lane_id,
    execution_mode: executionMode,
    event_ids: events.map((e) => e.event_id as string),
    candidates: opts.candidates,
    warnings: opts.warnings,
    workspace,
    event_log: eventLog,
  };
}
