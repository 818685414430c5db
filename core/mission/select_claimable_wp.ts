/**
 * The claim selection: which WP `implement` claims and `next` names. One
 * function serves both, so the preview can never disagree with the claim.
 *
 * The walk (spec-kitty's `preview_claimable_wp` at HEAD): `tasks/WP*.md` in
 * file-name order, ids from the frontmatter `work_package_id`; a WP with no
 * events is `genesis` (not finalized, never claimable); the first `planned`
 * WP whose dependencies are all `approved` or `done` is chosen (a dependency
 * with no events counts as `planned`). keel adds one check: the chosen WP's
 * frontmatter `base_commit`, when set, must exist in the repository.
 *
 * @module
 */

import type { StatusSnapshot } from "./reduce_events.ts";
import type { WpFile } from "./wp_files.ts";

/** Why no WP was selected. */
export type SelectionReason =
  | "no_tasks_dir"
  | "no_wp_files"
  | "no_planned_wps"
  | "all_wps_in_progress"
  | "dependencies_unsatisfied"
  | "not_finalized"
  | "baseline_violation";

/** Lanes that satisfy a dependency. */
export const SATISFYING_LANES: ReadonlySet<string> = new Set(["approved", "done"]);

/** Lanes of a WP someone is working on. */
export const ACTIVE_LANES: ReadonlySet<string> = new Set([
  "claimed",
  "in_progress",
  "for_review",
  "in_review",
]);

/** One dependency of a candidate. */
export interface DependencyView {
  /** The dependency's WP id. */
  wp_id: string;
  /** Its lane (`planned` when it has no events). */
  lane: string;
  /** Whether the lane is `approved` or `done`. */
  satisfied: boolean;
}

/** What the walk decided about one candidate. */
export interface CandidateExplain {
  /** The candidate's WP id. */
  wp_id: string;
  /** Its file, mission-relative (`tasks/WP01-foo.md`). */
  file: string;
  /** Its lane (`genesis` when it has no events). */
  lane: string;
  /** Its dependencies and whether each is satisfied. */
  dependencies: DependencyView[];
  /** `chosen`, `skipped`, `refused` (the baseline check failed) or `not_reached`. */
  decision: "chosen" | "skipped" | "refused" | "not_reached";
  /** Why, in words. */
  why: string;
}

/** The selection. Exactly one of `wp_id` and `selection_reason` is null. */
export interface ClaimSelection {
  /** The WP to claim, or `null`. */
  wp_id: string | null;
  /** Why nothing was selected, or `null`. */
  selection_reason: SelectionReason | null;
  /** Candidate WP ids, in the order walked. */
  candidates: string[];
  /** One entry per candidate. */
  explain: CandidateExplain[];
}

/** The parts of a mission the selection reads. */
export interface SelectionInput {
  /** Whether `tasks/` is a folder. */
  hasTasksDir: boolean;
  /** `tasks/WP*.md`, in file-name order. */
  wps: readonly WpFile[];
  /** The reduced snapshot. */
  snapshot: Pick<StatusSnapshot, "work_packages">;
}

/** Options for {@link selectClaimableWp}. */
export interface SelectOptions {
  /**
   * Whether a commit exists in the repository: `true`, `false`, or `null`
   * when that cannot be told (no repository). Absent = no baseline check.
   */
  repoHasCommit?: (sha: string) => boolean | null;
}

/**
 * Select the WP an `implement` with no WP argument claims.
 *
 * @param mission The mission's WP files, snapshot and whether `tasks/` exists.
 * @param options The commit-existence port for the baseline check.
 * @returns The selection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectClaimableWp } from "./select_claimable_wp.ts";
 * const sel = selectClaimableWp({ hasTasksDir: true, wps: [], snapshot: { work_packages: {} } });
 * assert(sel.selection_reason === "no_wp_files" && sel.wp_id === null);
 * ```
 */
export function selectClaimableWp(
  mission: SelectionInput,
  options: SelectOptions = {},
): ClaimSelection {
  if (!mission.hasTasksDir) {
    return { wp_id: null, selection_reason: "no_tasks_dir", candidates: [], explain: [] };
  }
  const wps = mission.wps.filter((w) => w.id !== null);
  const candidates = wps.map((w) => w.id!);
  if (candidates.length === 0) {
    return { wp_id: null, selection_reason: "no_wp_files", candidates, explain: [] };
  }
  const states = mission.snapshot.work_packages;
  const laneOf = (id: string, fallback: string) => {
    const s = Object.hasOwn(states, id) ? states[id] : undefined;
    if (s === undefined) return fallback;
    return s.lane === "doing" ? "in_progress" : s.lane;
  };
  const explain: CandidateExplain[] = [];
  let chosen: string | null = null;
  let refused = false;
  let depBlocked = false;
  let active = false;
  let genesis = false;
  for (const wp of wps) {
    const id = wp.id!;
    const lane = laneOf(id, "genesis");
    const dependencies = wp.dependencies.map((d) => {
      const dl = laneOf(d, "planned");
      return { wp_id: d, lane: dl, satisfied: SATISFYING_LANES.has(dl) };
    });
    const entry: CandidateExplain = {
      wp_id: id,
      file: wp.relPath,
      lane,
      dependencies,
      decision: "skipped",
      why: "",
    };
    explain.push(entry);
    if (chosen !== null || refused) {
      entry.decision = "not_reached";
      const unmet = dependencies.filter((d) => !d.satisfied);
      entry.why = `not reached (${chosen ?? "a refused WP"} ended the walk); ${
        lane === "planned"
          ? unmet.length === 0
            ? "planned, dependencies satisfied"
            : `waiting on ${unmet.map((d) => `${d.wp_id} (${d.lane})`).join(", ")}`
          : lane === "genesis"
          ? "no events: not finalized"
          : `lane ${lane}`
      }`;
      continue;
    }
    if (lane === "genesis") {
      genesis = true;
      entry.why = "no events: not finalized";
      continue;
    }
    if (lane === "planned") {
      const unmet = dependencies.filter((d) => !d.satisfied);
      if (unmet.length > 0) {
        depBlocked = true;
        entry.why = `waiting on ${
          unmet.map((d) => `${d.wp_id} (${d.lane})`).join(", ")
        }; dependencies must be approved or done`;
        continue;
      }
      const verdict = wp.baseCommit === null || options.repoHasCommit === undefined
        ? true
        : options.repoHasCommit(wp.baseCommit);
      if (verdict === false) {
        refused = true;
        entry.decision = "refused";
        entry.why = `base_commit ${wp.baseCommit} does not exist in the repository`;
        continue;
      }
      chosen = id;
      entry.decision = "chosen";
      entry.why = verdict === null
        ? `planned, dependencies satisfied (base_commit ${wp.baseCommit} not checked: no repository)`
        : "planned, dependencies satisfied";
      continue;
    }
    if (ACTIVE_LANES.has(lane)) {
      active = true;
      entry.why = `already ${lane}`;
      continue;
    }
    entry.why = `lane ${lane} is not claimable`;
  }
  if (chosen !== null) {
    return { wp_id: chosen, selection_reason: null, candidates, explain };
  }
  const reason: SelectionReason = refused
    ? "baseline_violation"
    : depBlocked
    ? "dependencies_unsatisfied"
    : active
    ? "all_wps_in_progress"
    : genesis
    ? "not_finalized"
    : "no_planned_wps";
  return { wp_id: null, selection_reason: reason, candidates, explain };
}
