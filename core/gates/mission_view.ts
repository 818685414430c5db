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
