/**
 * What a real merge records: `baseline_merge_commit` in meta.json (written the
 * way spec-kitty writes it: sorted keys, two-space indent, non-ASCII kept,
 * trailing newline; atomically) and the `approved→done` events of the merged
 * WPs (appended under the mission lock, after re-reading the log).
 *
 * @module
 */

import { join } from "node:path";
import { KeelError } from "../errors.ts";
import { atomicWriteText } from "../store/mod.ts";
import type { Clock } from "../util/mod.ts";
import { appendEvents, type Mission } from "../mission/mod.ts";
import { safeReadTextFile } from "../store/mod.ts";

/** An event appended by the merge. */
export interface AppendedDoneEvent {
  /** The event id (ULID). */
  event_id: string;
  /** The WP. */
  wp_id: string;
  /** The lane that carried it. */
  lane_id: string;
  /** `approved`. */
  from_lane: "approved";
  /** `done`. */
  to_lane: "done";
  /** ISO time. */
  at: string;
}

/**
 * Set `baseline_merge_commit` in the mission's meta.json, keeping every other
 * key (re-read just before the write).
 *
 * @param mission The mission.
 * @param sha The target branch's pre-merge tip.
 * @throws {KeelError} `MISSION_META_INVALID` when meta.json is no longer a JSON object.
 */
export async function writeBaseline(
  mission: Pick<Mission, "dir" | "repoRelDir" | "meta">,
  sha: string,
): Promise<void> {
  const path = join(mission.dir, "meta.json");
  let meta: unknown;
  try {
    meta = JSON.parse(await safeReadTextFile(path));
  } catch (error) {
    throw new KeelError("MISSION_META_INVALID", `Cannot read ${mission.repoRelDir}/meta.json`, {
      data: { path: `${mission.repoRelDir}/meta.json`, reason: String(error) },
    });
  }
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw new KeelError(
      "MISSION_META_INVALID",
      `${mission.repoRelDir}/meta.json is not an object`,
      {
        data: { path: `${mission.repoRelDir}/meta.json`, reason: "not a JSON object" },
      },
    );
  }
  (meta as Record<string, unknown>).baseline_merge_commit = sha;
  await atomicWriteText(path, specKittyJson(meta));
  mission.meta = meta as Record<string, unknown>;
}

/**
 * JSON as spec-kitty writes meta.json: `json.dumps(indent=2, sort_keys=True,
 * ensure_ascii=False) + "\n"`.
 *
 * @param value A JSON value.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { specKittyJson } from "./record_merge.ts";
 * assert(specKittyJson({ b: 1, a: "é" }) === '{\n  "a": "é",\n  "b": 1\n}\n');
 * ```
 */
export function specKittyJson(value: unknown): string {
  return JSON.stringify(_sortKeys(value), null, 2) + "\n";
}

function _sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(_sortKeys);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) out[k] = _sortKeys(obj[k]);
  return out;
}

/** Options for {@link recordDoneEvents}. */
export interface RecordDoneOptions {
  /** The lane's WPs. */
  wpIds: readonly string[];
  /** The lane. */
  laneId: string;
  /** Actor of the events. */
  actor: string;
  /** Reason text. */
  reason: string;
  /** `worktree` or `direct_repo`. */
  executionMode: "worktree" | "direct_repo";
  /** The target branch (recorded in policy_metadata). */
  targetBranch: string;
  /** The clock. */
  clock: Clock;
}

/**
 * Append `approved→done` for every WP of `wpIds` that is (still) `approved`
 * when the log is re-read under the mission lock, through the one event-log
 * writer (`core/mission` `appendEvents`). The mission's snapshot is replaced
 * by the log as it is after the append.
 *
 * @param mission The mission.
 * @param options WPs, lane, actor, reason.
 * @returns The events appended.
 */
export async function recordDoneEvents(
  mission: Mission,
  options: RecordDoneOptions,
): Promise<AppendedDoneEvent[]> {
  const { records, after } = await appendEvents(mission, (snapshot, next) => {
    const out: { event: Record<string, unknown>; record: AppendedDoneEvent }[] = [];
    for (const wp of options.wpIds) {
      if (snapshot.work_packages[wp]?.lane !== "approved") continue;
      const { event_id, at } = next();
      const event: Record<string, unknown> = {
        actor: options.actor,
        at,
        event_id,
        evidence: null,
        execution_mode: options.executionMode,
        force: false,
        from_lane: "approved",
        mission_slug: mission.slug,
        policy_metadata: { merge_phase: "done", target_branch: options.targetBranch },
        reason: options.reason,
        review_ref: null,
        review_result: null,
        to_lane: "done",
        wp_id: wp,
      };
      if (typeof mission.meta.mission_id === "string" && mission.meta.mission_id !== "") {
        event.mission_id = mission.meta.mission_id;
      }
      out.push({
        event,
        record: {
          event_id,
          wp_id: wp,
          lane_id: options.laneId,
          from_lane: "approved",
          to_lane: "done",
          at,
        },
      });
    }
    return out;
  }, { clock: options.clock });
  mission.snapshot = after;
  return records;
}

/**
 * A mission's recorded baseline: `baseline_merge_commit` of meta.json,
 * trimmed, or null when absent or blank. Review and merge read it through
 * this one function.
 *
 * @param meta The mission's meta.json.
 * @returns The baseline commit, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missionBaseline } from "./record_merge.ts";
 * assert.equal(missionBaseline({ baseline_merge_commit: " abc123\n" }), "abc123");
 * assert.equal(missionBaseline({ baseline_merge_commit: "  " }), null);
 * ```
 */
export function missionBaseline(meta: Record<string, unknown>): string | null {
  const b = meta.baseline_merge_commit;
  return typeof b === "string" && b.trim() !== "" ? b.trim() : null;
}
