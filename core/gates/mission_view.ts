import {
  appendEvents,
  type Mission,
  missionLockFile,
  type NextEventStamp,
  openMission,
} from "../mission/mod.ts";
import { KeelError } from "../errors.ts";

/**
 * The view of a mission the gates work on: identity, meta.json, the WP ids,
 * and the reduced lane state per WP. It is filled from the mission reader
 * (`core/mission`) by {@link loadGateMission}.
 *
 * @module
 */

/** The reduced state of one WP, as far as the gates read it. */
export interface GateWpState {
  /** The current lane (from the event log). */
  lane: string;
  /** The event-sourced review result (`{verdict, …}`) or null. */
  review_result?: unknown;
  /** The review override record (`{at, actor, wp_id, reason}`) or null. */
  review?: unknown;
  /**
   * The last review verdict the log records for the WP (`review_result` or
   * `evidence.review` on a transition into approved/done), or null.
   */
  recorded_verdict?: { verdict: string; reference: string | null; source: string } | null;
}

/** A mission as the gates see it. */
export interface GateMission {
  /** The mission slug (folder name). */
  slug: string;
  /** Absolute path of `kitty-specs/<slug>`. */
  dir: string;
  /** Repository-relative path of the mission folder (`kitty-specs/<slug>`). */
  repoRelDir: string;
  /** Absolute path of the folder that holds `kitty-specs/` (the repository root). */
  rootDir: string;
  /** meta.json as parsed. */
  meta: Record<string, unknown>;
  /** The WP ids of `tasks/WP*.md`, in file-name order. */
  wpIds: string[];
  /** The reduced snapshot: WP id → state. WPs never seen in the event log are absent. */
  snapshot: Record<string, GateWpState>;
}

export type { NextEventStamp } from "../mission/mod.ts";

/** Options for {@link appendMissionEvents}. */
export interface AppendMissionEventsOptions {
  /** The clock for `at`. */
  clock: { now(): Date };
}

/**
 * Load a mission for the gates through the mission reader: `kitty-specs/`
 * found from `ctx.cwd`, the handle resolved, the folder read (never written).
 *
 * @param handle Slug, mission_id or its 8-character prefix.
 * @param ctx Where to look (`cwd`).
 * @returns The mission view.
 * @throws {KeelError} `KITTY_SPECS_NOT_FOUND`, `MISSION_NOT_FOUND`,
 *   `MISSION_AMBIGUOUS`, `MISSION_META_INVALID`, `EVENT_LOG_CORRUPT`.
 */
export async function loadGateMission(
  handle: string,
  ctx: { cwd: string },
): Promise<GateMission> {
  if (handle.trim() === "") {
    throw new KeelError(
      "USAGE",
      "--mission needs a mission handle (slug, mission_id or its prefix)",
    );
  }
  return gateMissionOf(await openMission(ctx.cwd, handle));
}

/**
 * The gate view of a mission read by the mission reader.
 *
 * @param mission From `loadMission`.
 * @returns The view.
 */
export function gateMissionOf(mission: Mission): GateMission {
  const wpIds: string[] = [];
  for (const wp of mission.wps) {
    const id = wp.id ?? wp.fileId;
    if (id !== null && !wpIds.includes(id)) wpIds.push(id);
  }
  return {
    slug: mission.slug,
    dir: mission.dir,
    repoRelDir: mission.repoRelDir,
    rootDir: mission.repoRoot,
    meta: mission.meta,
    wpIds,
    snapshot: _states(mission.snapshot.work_packages, mission.snapshot.recorded_verdicts),
  };
}

/**
 * The lock that serialises writers of a mission's event log: the per-mission
 * lock of the one event-log writer (`core/mission` `appendEvents`),
 * `<repo>/.keel/locks/mission-<slug>.lock`.
 *
 * @param mission The mission.
 * @returns The lock file path.
 */
export function missionLockPath(mission: Pick<GateMission, "rootDir" | "slug">): string {
  return missionLockFile({ repoRoot: mission.rootDir, slug: mission.slug });
}

/**
 * Append events to the mission's event log through the one event-log writer
 * (`core/mission` `appendEvents`): under the mission lock the log is re-read
 * and reduced, `build` decides the events from that fresh snapshot, and they
 * are appended in one write.
 *
 * @param mission The mission.
 * @param build Builds `{event, record}` pairs from the fresh snapshot.
 * @param options The clock.
 * @returns The records of the events appended.
 */
export async function appendMissionEvents<R>(
  mission: GateMission,
  build: (
    snapshot: Record<string, GateWpState>,
    next: NextEventStamp,
  ) => { event: Record<string, unknown>; record: R }[],
  options: AppendMissionEventsOptions,
): Promise<R[]> {
  const target = {
    slug: mission.slug,
    dir: mission.dir,
    repoRelDir: mission.repoRelDir,
    repoRoot: mission.rootDir,
  };
  const built: { event: Record<string, unknown> }[] = [];
  const { records } = await appendEvents(target, (reduced, next) => {
    const out = build(_states(reduced.work_packages, reduced.recorded_verdicts), next);
    built.push(...out);
    return out;
  }, options);
  for (const b of built) {
    const e = b.event as { wp_id: string; to_lane: string };
    mission.snapshot[e.wp_id] = { ...(mission.snapshot[e.wp_id] ?? {}), lane: e.to_lane };
  }
  return records;
}

function _states(
  wps: Record<string, { lane: string; [k: string]: unknown }>,
  verdicts: Record<string, GateWpState["recorded_verdict"]> = {},
) {
  const out: Record<string, GateWpState> = {};
  for (const [id, st] of Object.entries(wps)) {
    out[id] = {
      lane: st.lane,
      review_result: st.review_result ?? null,
      review: st.review ?? null,
      recorded_verdict: Object.hasOwn(verdicts, id) ? verdicts[id] ?? null : null,
    };
  }
  return out;
}
