/**
 * The review-artifact consistency gate, shared by `review`, `merge --dry-run`
 * and `merge`. A WP in lane `approved` or `done` must not have a latest
 * review verdict that is a rejection.
 *
 * Rules, per WP:
 * - a WP absent from the reduced snapshot is skipped; a WP outside the lanes
 *   `approved`/`done` is not checked;
 * - the event log decides whenever it records a verdict for the WP. The
 *   reduced `review_result` (spec-kitty's fold: set by a transition carrying
 *   one, cleared by a transition out of `in_review` without one) blocks when
 *   its verdict is `changes_requested` — reported as spec-kitty does, with
 *   `latest_review_cycle_path: null` and `review_cycle_number: 0`; keel adds
 *   the reference (`review_reference`) and, when it names an existing file of
 *   this WP, that file (`review_reference_path`). Any other verdict the log
 *   records — `review_result`, or `evidence.review.verdict` on a transition
 *   into `approved`/`done` — means no block, and the review-cycle files are
 *   not read;
 * - only when the log records no verdict at all for the WP does the latest
 *   `tasks/<WP dir>/review-cycle-N.md` decide (folders: `tasks/<WP>` then
 *   `tasks/<WP>-*`, the first folder that yields a blocker ends the search):
 *   `rejected`, `changes_requested`, `reject` are rejections; `approved`,
 *   `arbiter_override`, `approved_after_orchestrator_fix` are not; a readable
 *   frontmatter without `verdict` decides nothing; any other verdict value, or
 *   frontmatter that cannot be read, is a `REVIEW_ARTIFACT_SCHEMA_INVALID`
 *   blocker;
 * - a complete override clears a rejection: the reduced `review` record with
 *   `at`, `actor`, `wp_id` and `reason` all non-empty (clears either kind), or
 *   the latest artifact's `review_artifact_override_actor` and
 *   `review_artifact_override_reason` (clears that artifact's rejection).
 *
 * @module
 */

import { join } from "node:path";
import {
  APPROVAL_VERDICTS,
  GATE_CODES,
  REJECTION_VERDICTS,
  TERMINAL_REVIEW_LANES,
} from "./codes.ts";
import type { Mission } from "../mission/mod.ts";
import { cycleNumberFromName, latestReviewCycle, reviewCycleDirs } from "./review_cycles.ts";

/** A blocker raised by the review-artifact gate. */
export interface ReviewArtifactBlocker {
  /** `REJECTED_REVIEW_ARTIFACT_CONFLICT` or `REVIEW_ARTIFACT_SCHEMA_INVALID`. */
  diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT" | "REVIEW_ARTIFACT_SCHEMA_INVALID";
  /** The WP id. */
  wp_id: string;
  /** The WP id (spec-kitty's key). */
  branch_or_work_package: string;
  /** The WP's lane. */
  lane: string;
  /** Repository-relative path of the latest review-cycle file; null for an event verdict (as spec-kitty). */
  latest_review_cycle_path: string | null;
  /** The rejecting verdict (`rejected`, `changes_requested`, …), or null when unreadable. */
  latest_review_cycle_verdict: string | null;
  /** Cycle number from the file name; 0 for an event-sourced verdict. */
  review_cycle_number: number;
  /** Where the verdict came from. */
  verdict_source: "event" | "artifact";
  /** The event verdict's reference text (event verdicts only). */
  review_reference?: string | null;
  /** The review-cycle file the reference names, when it exists (event verdicts only). */
  review_reference_path?: string | null;
  /** The invariant that does not hold. */
  violated_invariant: string;
  /** What to do about it. */
  remediation: string[];
  /** One human line. */
  message: string;
  /** The parse error (schema blockers only). */
  schema_error?: string;
}

/** How one WP was decided. */
export interface ReviewArtifactCheck {
  /** The WP id. */
  wp_id: string;
  /** Its lane, or null when absent from the snapshot. */
  lane: string | null;
  /** The decision. */
  outcome:
    | "skipped_not_in_snapshot"
    | "skipped_lane"
    | "no_review"
    | "approved"
    | "event_recorded"
    | "override"
    | "blocked";
  /**
   * Which verdict decided (`event`, `artifact`) or null. `event_recorded`: the
   * log records a verdict that is neither an approval nor `changes_requested`
   * in `review_result` (no block, and the artifacts are not read).
   */
  source: "event" | "artifact" | null;
  /** The deciding verdict, when there is one. */
  verdict: string | null;
  /** The deciding file (repository-relative), when there is one. */
  path: string | null;
}

/** Result of {@link checkReviewArtifacts}. */
export interface ReviewArtifactGateResult {
  /** No blockers. */
  passed: boolean;
  /** Every blocker, in WP order. */
  blockers: ReviewArtifactBlocker[];
  /** The decision for every WP checked, in the order given. */
  checks: ReviewArtifactCheck[];
}

/**
 * What the gate reads of a mission (from the mission reader, `openMission`):
 * where it lives and its reduced event log.
 */
export type ReviewArtifactMission = Pick<Mission, "slug" | "dir" | "repoRelDir" | "snapshot">;

/** Options for {@link checkReviewArtifacts}. */
export interface CheckReviewArtifactsOptions {
  /** WP ids to check (default: every WP in the snapshot, sorted). */
  wpIds?: readonly string[];
}

const _REJECT_INVARIANT = "terminal_wp_latest_review_artifact_must_not_be_rejected";
const _SCHEMA_INVARIANT = "review_cycle_frontmatter_must_match_schema";
const _REJECT_REMEDIATION = [
  "Run another review cycle that writes an approved review-cycle artifact.",
  "Or move the WP out of approved/done before merge.",
];
const _SCHEMA_REMEDIATION = [
  "Fix the YAML frontmatter of the latest review-cycle file (between '---' lines).",
  "Give it a verdict of approved or rejected (or drop the verdict when the event log holds it).",
  "Or run another review cycle that writes a well-formed review-cycle artifact.",
];

/**
 * Run the review-artifact consistency gate.
 *
 * @param mission The mission (from `openMission`).
 * @param options Which WPs to check.
 * @returns The blockers (data, never thrown) and the decision per WP.
 */
export async function checkReviewArtifacts(
  mission: ReviewArtifactMission,
  options: CheckReviewArtifactsOptions = {},
): Promise<ReviewArtifactGateResult> {
  const wpIds = options.wpIds ?? Object.keys(mission.snapshot.work_packages).sort();
  const blockers: ReviewArtifactBlocker[] = [];
  const checks: ReviewArtifactCheck[] = [];
  const seen = new Set<string>();
  for (const wpId of wpIds) {
    if (seen.has(wpId)) continue;
    seen.add(wpId);
    const { check, blocker } = await _checkWp(mission, wpId);
    checks.push(check);
    if (blocker) blockers.push(blocker);
  }
  return { passed: blockers.length === 0, blockers, checks };
}

async function _checkWp(
  mission: ReviewArtifactMission,
  wpId: string,
): Promise<{ check: ReviewArtifactCheck; blocker: ReviewArtifactBlocker | null }> {
  const { work_packages, recorded_verdicts } = mission.snapshot;
  const state = Object.hasOwn(work_packages, wpId) ? work_packages[wpId] : undefined;
  const base = { wp_id: wpId, source: null, verdict: null, path: null };
  if (state === undefined) {
    return { check: { ...base, lane: null, outcome: "skipped_not_in_snapshot" }, blocker: null };
  }
  const lane = state.lane;
  if (!TERMINAL_REVIEW_LANES.has(lane)) {
    return { check: { ...base, lane, outcome: "skipped_lane" }, blocker: null };
  }
  const overridden = isCompleteReviewOverride(state.review);
  const eventVerdict = _eventVerdict(state.review_result);
  if (eventVerdict === "changes_requested") {
    const reference = (state.review_result as Record<string, unknown>).reference;
    const ref = await _eventReference(mission, wpId, reference);
    const check = {
      ...base,
      lane,
      source: "event" as const,
      verdict: eventVerdict,
      path: ref?.path ?? null,
    };
    if (overridden) return { check: { ...check, outcome: "override" }, blocker: null };
    return {
      check: { ...check, outcome: "blocked" },
      blocker: {
        diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
        wp_id: wpId,
        branch_or_work_package: wpId,
        lane,
        latest_review_cycle_path: null,
        latest_review_cycle_verdict: eventVerdict,
        review_cycle_number: 0,
        verdict_source: "event",
        review_reference: typeof reference === "string" ? reference : null,
        review_reference_path: ref?.path ?? null,
        violated_invariant: _REJECT_INVARIANT,
        remediation: [..._REJECT_REMEDIATION],
        message: ref === null
          ? `${wpId} is lane '${lane}', but the event-sourced review verdict is 'changes_requested'.`
          : `${wpId} is lane '${lane}', but the event-sourced review verdict is ` +
            `'changes_requested' (review artifact ${ref.path}, cycle ${ref.number}).`,
      },
    };
  }
  const recorded = Object.hasOwn(recorded_verdicts, wpId)
    ? _recordedVerdict(recorded_verdicts[wpId])
    : null;
  if (eventVerdict === "approved" || recorded !== null) {
    const verdict = eventVerdict ?? recorded!;
    return {
      check: {
        ...base,
        lane,
        outcome: APPROVAL_VERDICTS.has(verdict) ? "approved" : "event_recorded",
        source: "event",
        verdict,
      },
      blocker: null,
    };
  }
  const tasksDir = join(mission.dir, "tasks");
  let decided: ReviewArtifactCheck | null = null;
  for (const wpDir of await reviewCycleDirs(tasksDir, wpId)) {
    const latest = await latestReviewCycle(tasksDir, wpDir);
    if (latest === null) continue;
    const rel = `${mission.repoRelDir}/tasks/${wpDir}/${latest.fileName}`;
    const art = { ...base, lane, source: "artifact" as const, path: rel };
    if (latest.frontmatter === null) {
      return _schemaBlocker(art, latest.number, latest.parseError ?? "unreadable frontmatter");
    }
    const verdict = latest.frontmatter.verdict;
    if (verdict === undefined || verdict === null) continue;
    if (typeof verdict !== "string") {
      return _schemaBlocker(art, latest.number, `verdict is not a string: ${String(verdict)}`);
    }
    if (REJECTION_VERDICTS.has(verdict)) {
      if (overridden || _artifactOverride(latest.frontmatter)) {
        return { check: { ...art, verdict, outcome: "override" }, blocker: null };
      }
      return {
        check: { ...art, verdict, outcome: "blocked" },
        blocker: {
          diagnostic_code: "REJECTED_REVIEW_ARTIFACT_CONFLICT",
          wp_id: wpId,
          branch_or_work_package: wpId,
          lane,
          latest_review_cycle_path: rel,
          latest_review_cycle_verdict: verdict,
          review_cycle_number: latest.number,
          verdict_source: "artifact",
          violated_invariant: _REJECT_INVARIANT,
          remediation: [..._REJECT_REMEDIATION],
          message: `${wpId} is lane '${lane}', but latest review artifact ${rel} has verdict ` +
            `'${verdict}' (cycle ${latest.number}).`,
        },
      };
    }
    if (!APPROVAL_VERDICTS.has(verdict)) {
      return _schemaBlocker(
        { ...art, verdict },
        latest.number,
        `unknown verdict '${verdict}' (expected one of ${
          [...REJECTION_VERDICTS, ...APPROVAL_VERDICTS].join(", ")
        })`,
      );
    }
    decided ??= { ...art, verdict, outcome: "approved" };
  }
  return { check: decided ?? { ...base, lane, outcome: "no_review" }, blocker: null };
}

/**
 * The review-cycle file an event verdict points at
 * (`review_result.reference` = `review-cycle://<mission>/<wp dir>/review-cycle-N.md`),
 * when it names this mission and WP and the file exists.
 */
async function _eventReference(
  mission: ReviewArtifactMission,
  wpId: string,
  ref: unknown,
): Promise<{ path: string; number: number } | null> {
  if (typeof ref !== "string") return null;
  const m = /^review-cycle:\/\/([^/]+)\/([^/]+)\/(review-cycle-[^/]*\.md)$/.exec(ref);
  if (!m || m[1] !== mission.slug) return null;
  const [, , wpDir, file] = m as unknown as [string, string, string, string];
  if (wpDir !== wpId && !wpDir.startsWith(`${wpId}-`)) return null;
  try {
    const info = await Deno.stat(join(mission.dir, "tasks", wpDir, file));
    if (!info.isFile) return null;
  } catch {
    return null;
  }
  return {
    path: `${mission.repoRelDir}/tasks/${wpDir}/${file}`,
    number: cycleNumberFromName(file),
  };
}

function _schemaBlocker(
  check: Omit<ReviewArtifactCheck, "outcome"> & { lane: string; path: string },
  number: number,
  error: string,
): { check: ReviewArtifactCheck; blocker: ReviewArtifactBlocker } {
  return {
    check: { ...check, outcome: "blocked" },
    blocker: {
      diagnostic_code: "REVIEW_ARTIFACT_SCHEMA_INVALID",
      wp_id: check.wp_id,
      branch_or_work_package: check.wp_id,
      lane: check.lane,
      latest_review_cycle_path: check.path,
      latest_review_cycle_verdict: check.verdict,
      review_cycle_number: number,
      verdict_source: "artifact",
      violated_invariant: _SCHEMA_INVARIANT,
      remediation: [..._SCHEMA_REMEDIATION],
      message: `${check.wp_id} is lane '${check.lane}', but latest review artifact ${check.path} ` +
        `cannot be read: ${error}.`,
      schema_error: error,
    },
  };
}

/**
 * Whether a reduced `review` record is a complete override: `at`, `actor`,
 * `wp_id` and `reason` all non-empty.
 *
 * @param review The snapshot's `review` slot.
 * @returns `true` for a complete override.
 */
export function isCompleteReviewOverride(review: unknown): boolean {
  if (review === null || typeof review !== "object" || Array.isArray(review)) return false;
  const r = review as Record<string, unknown>;
  return ["at", "actor", "wp_id", "reason"].every((k) => _nonEmpty(r[k]));
}

function _artifactOverride(fm: Record<string, unknown>): boolean {
  return _nonBlankString(fm.review_artifact_override_actor) &&
    _nonBlankString(fm.review_artifact_override_reason);
}

function _eventVerdict(reviewResult: unknown): "approved" | "changes_requested" | null {
  if (reviewResult === null || typeof reviewResult !== "object") return null;
  const v = (reviewResult as Record<string, unknown>).verdict;
  return v === "approved" || v === "changes_requested" ? v : null;
}

function _recordedVerdict(recorded: unknown): string | null {
  if (recorded === null || typeof recorded !== "object") return null;
  const v = (recorded as Record<string, unknown>).verdict;
  return typeof v === "string" ? v : null;
}

function _nonBlankString(v: unknown): boolean {
  return typeof v === "string" && v.trim() !== "";
}

function _nonEmpty(v: unknown): boolean {
  if (typeof v === "string") return v.trim() !== "";
  if (v === null || v === undefined) return false;
  if (typeof v === "object") return Object.values(v as object).some((x) => _nonEmpty(x));
  return true;
}

/** The codes this gate can emit (for documentation and tests). */
export const REVIEW_ARTIFACT_GATE_CODES = [
  "REJECTED_REVIEW_ARTIFACT_CONFLICT",
  "REVIEW_ARTIFACT_SCHEMA_INVALID",
] as const satisfies readonly (keyof typeof GATE_CODES)[];
