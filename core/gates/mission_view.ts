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

/** Allocates event ids and times for events built under the lock. */
export type NextEventStamp = () => { event_id: string; at: string };

/** Options for {@link appendMissionEvents}. */
export interface AppendMissionEventsOptions {
  /** The clock for `at`. */
  clock: { now(): Date };
}

/**
 * Load a mission for the gates.
 *
 * @param handle Slug, mission_id or its 8-character prefix.
 * @param ctx Where to look (`cwd`).
 * @returns The mission view.
 */
export async function loadGateMission(
  handle: string,
  ctx: { cwd: string },
): Promise<GateMission> {
  await Promise.resolve();
  throw new Error(`mission reader not available (${handle}, ${ctx.cwd})`);
}

/**
 * Append events to the mission's event log under the mission lock: the log
 * is re-read and reduced under the lock, `build` decides the events from that
 * fresh snapshot, and they are appended in one write.
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
  await Promise.resolve();
  void build;
  void options;
  throw new Error(`mission reader not available (${mission.slug})`);
}
