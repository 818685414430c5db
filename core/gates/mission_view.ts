import { join } from "node:path";
import { findKittySpecs, loadMission, type Mission, resolveMission } from "../mission/mod.ts";
import { reduceEvents } from "../mission/mod.ts";
import { KeelError } from "../errors.ts";
import { withLock } from "../store/lock.ts";
import { ulid } from "../util/ulid.ts";
import { openForWrite, safeReadTextFile } from "../store/safe_file.ts";

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

/** Allocates event ids and times for events built under the lock. */
export type NextEventStamp = () => { event_id: string; at: string };

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
  const kittySpecs = await findKittySpecs(ctx.cwd);
  const ref = await resolveMission(kittySpecs, handle);
  return gateMissionOf(await loadMission(ref.dir));
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
 * lock the claim code (`keel implement`) takes,
 * `<repo>/.keel/locks/mission-<slug>.lock`.
 *
 * @param mission The mission.
 * @returns The lock file path.
 */
export function missionLockPath(mission: Pick<GateMission, "rootDir" | "slug">): string {
  return join(mission.rootDir, ".keel", "locks", `mission-${mission.slug}.lock`);
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
  return await withLock(missionLockPath(mission), async () => {
    const logPath = join(mission.dir, "status.events.jsonl");
    const logRel = `${mission.repoRelDir}/status.events.jsonl`;
    let existing = "";
    try {
      existing = await safeReadTextFile(logPath);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const reduced = reduceEvents(existing, { path: logRel });
    const snapshot = _states(reduced.work_packages, reduced.recorded_verdicts);
    const next: NextEventStamp = () => ({
      event_id: ulid(),
      at: eventTimestamp(options.clock.now()),
    });
    const built = build(snapshot, next);
    if (built.length === 0) return [];
    const sep = existing === "" || existing.endsWith("\n") ? "" : "\n";
    const body = sep + built.map((b) => pythonJsonLine(b.event)).join("\n") + "\n";
    const after = reduceEvents(existing + body, { path: logRel }).work_packages;
    for (const b of built) {
      const e = b.event as { wp_id: string; to_lane: string };
      if (after[e.wp_id]?.lane !== e.to_lane) {
        throw new KeelError(
          "STATE_CHANGED",
          `The ${e.wp_id} → ${e.to_lane} event would not take effect: the log holds later ` +
            `events for it`,
          { data: { path: logRel } },
        );
      }
    }
    await _appendText(logPath, body);
    for (const b of built) {
      const e = b.event as { wp_id: string; to_lane: string };
      mission.snapshot[e.wp_id] = { ...(mission.snapshot[e.wp_id] ?? {}), lane: e.to_lane };
    }
    return built.map((b) => b.record);
  });
}

/**
 * A timestamp as spec-kitty writes it (`datetime.isoformat()` in UTC):
 * `2026-05-14T18:19:29.405000+00:00`.
 *
 * @param date The time.
 * @returns The string.
 */
export function eventTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
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

/**
 * One JSON line as spec-kitty writes its event log (`json.dumps(sort_keys=True)`):
 * keys sorted, `", "` and `": "` separators, non-ASCII escaped as `\\uXXXX`.
 *
 * @param value A JSON value.
 * @returns The line, without a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonJsonLine } from "./mission_view.ts";
 * assert(pythonJsonLine({ b: [1, "é"], a: null }) === '{"a": null, "b": [1, "\\u00e9"]}');
 * ```
 */
export function pythonJsonLine(value: unknown): string {
  if (Array.isArray(value)) return "[" + value.map(pythonJsonLine).join(", ") + "]";
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return "{" + keys.map((k) => `${_pyString(k)}: ${pythonJsonLine(obj[k])}`).join(", ") + "}";
  }
  if (typeof value === "string") return _pyString(value);
  return JSON.stringify(value ?? null);
}

function _pyString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

async function _appendText(path: string, text: string): Promise<void> {
  const file = await openForWrite(path, { append: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
}
