/**
 * The finalized task board of a mission: the `progress` counters with the
 * lane weights, and the `mission_state` rules `next` reports.
 *
 * @module
 */

import type { StatusSnapshot } from "./reduce_events.ts";
import type { WpFile } from "./wp_files.ts";

/** Progress weight of each lane. */
export const LANE_WEIGHTS: Readonly<Record<string, number>> = {
  planned: 0,
  claimed: 0.05,
  in_progress: 0.3,
  for_review: 0.6,
  in_review: 0.7,
  approved: 0.8,
  done: 1,
  blocked: 0,
  canceled: 0,
};

/** The `progress` object of the `next` payload. */
export interface Progress {
  /** Every `tasks/WP*.md` file. */
  total_wps: number;
  /** WPs in `done`. */
  done_wps: number;
  /** WPs in `approved`. */
  approved_wps: number;
  /** WPs in `claimed` or `in_progress`. */
  in_progress_wps: number;
  /** WPs in `planned`. */
  planned_wps: number;
  /** WPs in `for_review` or `in_review`. */
  for_review_wps: number;
  /** Mean lane weight of the reduced WPs in display lanes, in percent (1 decimal). */
  weighted_percentage: number;
}

/** The board: each WP file's id and lane. */
export interface BoardEntry {
  /** The WP id: the frontmatter `work_package_id`, else the file name's `WP\d+`, else the stem. */
  wp_id: string;
  /** The lane (`genesis` when the WP has no events). */
  lane: string;
}

/** What the board says. */
export interface BoardState {
  /** `implement`, `review`, `blocked`, `done`, `accept`, or `not_started` (no finalized board). */
  mission_state: "implement" | "review" | "blocked" | "done" | "accept" | "not_started";
  /** `implement`, `review`, `accept`, or `null`. */
  preview_step: string | null;
  /** The board's reason for `blocked`/`done`/`not_started`, else `null`. */
  reason: string | null;
}

/**
 * The WPs of the board with their lanes, in file-name order.
 *
 * @param wps The WP files.
 * @param snapshot The reduced snapshot.
 * @returns One entry per file.
 */
export function boardEntries(
  wps: readonly WpFile[],
  snapshot: Pick<StatusSnapshot, "work_packages">,
): BoardEntry[] {
  const states = snapshot.work_packages;
  return wps.map((w) => {
    const wp_id = w.id ?? w.fileId ?? w.stem;
    const state = Object.hasOwn(states, wp_id) ? states[wp_id] : undefined;
    return { wp_id, lane: state === undefined ? "genesis" : state.lane };
  });
}

/**
 * The `progress` object, or `null` without `tasks/` or WP files.
 *
 * @param mission WP files, snapshot and whether `tasks/` exists.
 * @returns The progress.
 */
export function computeProgress(
  mission: {
    hasTasksDir: boolean;
    wps: readonly WpFile[];
    snapshot: Pick<StatusSnapshot, "work_packages">;
  },
): Progress | null {
  if (!mission.hasTasksDir || mission.wps.length === 0) return null;
  const p: Progress = {
    total_wps: mission.wps.length,
    done_wps: 0,
    approved_wps: 0,
    in_progress_wps: 0,
    planned_wps: 0,
    for_review_wps: 0,
    weighted_percentage: 0,
  };
  for (const e of boardEntries(mission.wps, mission.snapshot)) {
    if (e.lane === "done") p.done_wps++;
    else if (e.lane === "approved") p.approved_wps++;
    else if (e.lane === "claimed" || e.lane === "in_progress") p.in_progress_wps++;
    else if (e.lane === "for_review" || e.lane === "in_review") p.for_review_wps++;
    else if (e.lane === "planned") p.planned_wps++;
  }
  let sum = 0;
  let n = 0;
  for (const s of Object.values(mission.snapshot.work_packages)) {
    const w = LANE_WEIGHTS[s.lane];
    if (w === undefined) continue;
    sum += w;
    n++;
  }
  p.weighted_percentage = n === 0 ? 0 : pythonRound1((sum / n) * 100);
  return p;
}

/**
 * Python's `round(y, 1)` on a double: the exact binary value of `y` rounded
 * to one decimal, an exact tie going to the even digit (`91.25` → `91.2`,
 * `91.35` → `91.3` because the double nearest 91.35 is below it).
 *
 * @param y A finite number.
 * @returns The rounded number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonRound1 } from "./board_state.ts";
 * assert.equal(pythonRound1(91.25), 91.2);
 * assert.equal(pythonRound1(91.75), 91.8);
 * assert.equal(pythonRound1(12.7777), 12.8);
 * ```
 */
export function pythonRound1(y: number): number {
  // Doubles from 2^52 up have no fractional part: already rounded.
  if (!Number.isFinite(y) || Math.abs(y) >= 2 ** 52) return y;
  const a = Math.abs(y);
  const whole = Math.floor(a);
  const frac = a - whole; // exact (Sterbenz)
  // An exact tie is a fraction of .25 or .75: round to the even digit (.2 / .8).
  const r = frac === 0.25 || frac === 0.75
    ? Number(`${whole}.${frac === 0.25 ? 2 : 8}`)
    : Number(a.toFixed(1)); // toFixed rounds the exact binary value to nearest
  return y < 0 ? -r : r;
}

/**
 * The finalized-board rules: the first that matches wins.
 *
 * @param mission Whether `tasks/` and `tasks.md` exist, the WP files and the snapshot.
 * @returns The board state.
 */
export function finalizedBoardState(
  mission: {
    hasTasksDir: boolean;
    hasTasksMd: boolean;
    wps: readonly WpFile[];
    snapshot: Pick<StatusSnapshot, "work_packages">;
  },
): BoardState {
  if (!mission.hasTasksDir || !mission.hasTasksMd || mission.wps.length === 0) {
    return {
      mission_state: "not_started",
      preview_step: null,
      reason: "no finalized task board (tasks.md and tasks/WP*.md)",
    };
  }
  const lanes = boardEntries(mission.wps, mission.snapshot).map((e) => e.lane);
  const any = (...names: string[]) => lanes.some((l) => names.includes(l));
  const count = (name: string) => lanes.filter((l) => l === name).length;
  if (any("planned", "claimed", "in_progress")) {
    return { mission_state: "implement", preview_step: "implement", reason: null };
  }
  if (any("for_review")) return { mission_state: "review", preview_step: "review", reason: null };
  if (any("in_review")) {
    return { mission_state: "blocked", preview_step: null, reason: "review in progress" };
  }
  const done = count("done");
  if (done === lanes.length) {
    return { mission_state: "done", preview_step: null, reason: "All work packages are done" };
  }
  if (done + count("approved") === lanes.length) {
    return { mission_state: "accept", preview_step: "accept", reason: null };
  }
  return { mission_state: "blocked", preview_step: null, reason: "no actionable wp" };
}
