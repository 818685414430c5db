/**
 * The claim selection: which WP `implement` claims and `next` names. One
 * function serves both, so the preview can never disagree with the claim.
 *
 * The walk (spec-kitty's `preview_claimable_wp` at HEAD): `tasks/WP*.md` in
 * file-name order, ids from the frontmatter `work_package_id`; a WP with no
 * events is `genesis` (not finalized, never claimable); the first `planned`
 * WP whose dependencies are all `approved` or `done` is chosen (a dependency
 * with no events counts as `planned`). keel adds one check that never changes
 * the pick: when the chosen WP's frontmatter `base_commit` is set and the
 * repository does not have that commit, the selection carries a
 * `BASE_COMMIT_MISSING` warning.
 *
 * @module
 */

import { APPROVED_OR_DONE_LANES } from "./lanes.ts";
import type { StatusSnapshot } from "./reduce_events.ts";
import type { WpFile } from "./wp_files.ts";

/** Why no WP was selected. */
export type SelectionReason =
  | "no_tasks_dir"
  | "no_wp_files"
  | "no_planned_wps"
  | "all_wps_in_progress"
  | "dependencies_not_satisfied"
  | "not_finalized";

/** A warning about the chosen WP; it never changes the pick. */
export interface SelectionWarning {
  /** `BASE_COMMIT_MISSING`: the frontmatter `base_commit` is not in the repository. */
  code: "BASE_COMMIT_MISSING";
  /** The WP. */
  wp_id: string;
  /** The commit its frontmatter names. */
  base_commit: string;
  /** One line. */
  message: string;
}

/**
 * The warning for a WP whose `base_commit` the repository does not have, or
 * null (no base commit, the commit exists, or no repository to ask).
 *
 * @param wp The WP file.
 * @param repoHasCommit The commit-existence port (absent: no check).
 * @returns The warning or null.
 */
export function baseCommitWarning(
  wp: Pick<WpFile, "baseCommit"> & { id: string | null },
  repoHasCommit: ((sha: string) => boolean | null) | undefined,
): SelectionWarning | null {
  if (wp.baseCommit === null || repoHasCommit === undefined || wp.id === null) return null;
  if (repoHasCommit(wp.baseCommit) !== false) return null;
  return {
    code: "BASE_COMMIT_MISSING",
    wp_id: wp.id,
    base_commit: wp.baseCommit,
    message: `${wp.id} records base_commit ${wp.baseCommit}, which is not in this repository ` +
      `(a squashed or unfetched branch?); start it from the lane's base yourself`,
  };
}

/** Lanes that satisfy a dependency. */
export const SATISFYING_LANES: ReadonlySet<string> = APPROVED_OR_DONE_LANES;

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
  /** `chosen`, `skipped` or `not_reached`. */
  decision: "chosen" | "skipped" | "not_reached";
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
  /** Warnings about the chosen WP (`BASE_COMMIT_MISSING`); empty when none. */
  warnings: SelectionWarning[];
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
    return {
      wp_id: null,
      selection_reason: "no_tasks_dir",
      candidates: [],
      explain: [],
      warnings: [],
    };
  }
  const wps = mission.wps.filter((w) => w.id !== null);
  const candidates = wps.map((w) => w.id!);
  if (candidates.length === 0) {
    return { wp_id: null, selection_reason: "no_wp_files", candidates, explain: [], warnings: [] };
  }
  const states = mission.snapshot.work_packages;
  const laneOf = (id: string, fallback: string) => {
    const s = Object.hasOwn(states, id) ? states[id] : undefined;
    if (s === undefined) return fallback;
    return s.lane === "doing" ? "in_progress" : s.lane;
  };
  const explain: CandidateExplain[] = [];
  let chosen: string | null = null;
  const warnings: SelectionWarning[] = [];
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
    if (chosen !== null) {
      entry.decision = "not_reached";
      const unmet = dependencies.filter((d) => !d.satisfied);
      entry.why = `not reached (${chosen} ended the walk); ${
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
      chosen = id;
      entry.decision = "chosen";
      const warning = baseCommitWarning(wp, options.repoHasCommit);
      if (warning !== null) warnings.push(warning);
      entry.why = warning === null
        ? "planned, dependencies satisfied"
        : `planned, dependencies satisfied; warning: base_commit ${wp.baseCommit} is not in ` +
          `the repository`;
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
    return { wp_id: chosen, selection_reason: null, candidates, explain, warnings };
  }
  const reason: SelectionReason = depBlocked
    ? "dependencies_not_satisfied"
    : active
    ? "all_wps_in_progress"
    : genesis
    ? "not_finalized"
    : "no_planned_wps";
  return { wp_id: null, selection_reason: reason, candidates, explain, warnings };
}

/**
 * The selection of a loaded mission, the one call shape `next`, `implement`,
 * `mission status` and `mission list` share: {@link selectClaimableWp} with
 * the commit port their operations make (`commitPortFor`) for the
 * `BASE_COMMIT_MISSING` warning.
 *
 * @param mission The mission (its WP files, snapshot, `tasks/` and repository root).
 * @param options The commit port (absent: base commits are not checked).
 * @returns The selection.
 */
export function missionSelection(
  mission: SelectionInput & { repoRoot: string },
  options: SelectOptions = {},
): ClaimSelection {
  return selectClaimableWp(
    mission,
    options.repoHasCommit === undefined ? {} : { repoHasCommit: options.repoHasCommit },
  );
}
