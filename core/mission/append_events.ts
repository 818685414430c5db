/**
 * The one writer of a mission's `status.events.jsonl`, used by `implement`
 * (the claim) and the gates (`merge` recording `done`, and any other lane
 * event keel appends):
 *
 * 1. take the per-mission lock `<repo>/.keel/locks/mission-<slug>.lock`;
 * 2. re-read the log under it, opened through the safe-open helpers, and
 *    reduce it strictly: no append can be in flight under the lock, so a
 *    half-written final line is left over from a crash and refused
 *    (`EVENT_LOG_CORRUPT`);
 * 3. serialise the events as spec-kitty does (`json.dumps(sort_keys=True)`,
 *    {@link eventLine}), one line each; a separator newline first when the
 *    log ends without one;
 * 4. check that the events take effect once appended (`STATE_CHANGED` when the
 *    log holds later events for the WP);
 * 5. append the whole lines in one write and fsync; a failed follow-up (the
 *    claim commit) can cut the log back to where it was.
 *
 * Readers that do not take the lock see an append either not at all, in
 * part up to a whole line, or whole (see `reduceEvents`' `tail`).
 *
 * @module
 */

import { join } from "../util/posix_path.ts";
import { KeelError } from "../errors.ts";
import { withLock } from "../store/lock.ts";
import { openForWrite, readRegularText } from "../store/safe_file.ts";
import { ulid } from "../util/ulid.ts";
import { eventLine, eventTimestamp } from "./event_line.ts";
import { MAX_EVENT_LOG_BYTES } from "./load_mission.ts";
import { reduceEvents, type StatusSnapshot } from "./reduce_events.ts";

/** Where a mission's event log and lock are. */
export interface EventLogTarget {
  /** The mission slug (folder name; names the lock). */
  slug: string;
  /** Absolute path of the mission folder. */
  dir: string;
  /** Repository-relative path of the mission folder (for messages). */
  repoRelDir: string;
  /** Absolute path of the repository root (holds `.keel/locks`). */
  repoRoot: string;
}

/** The log as re-read under the mission lock. */
export interface LockedEventLog {
  /** Absolute path of `status.events.jsonl`. */
  path: string;
  /** Repository-relative path. */
  rel: string;
  /** Its text (empty when absent). */
  text: string;
  /** Whether the file existed. */
  existed: boolean;
  /** The strict reduction of `text`. */
  snapshot: StatusSnapshot;
}

/** An append checked and ready to write. */
export interface PendingAppend {
  /** The log it goes to. */
  log: LockedEventLog;
  /** The bytes to append: whole lines, with a leading separator when needed. */
  body: string;
  /** The snapshot once appended. */
  after: StatusSnapshot;
}

/**
 * The lock that serialises the writers of a mission's event log.
 *
 * @param target The repository root and slug.
 * @returns `<repoRoot>/.keel/locks/mission-<slug>.lock`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missionLockFile } from "./append_events.ts";
 * assert.equal(missionLockFile({ repoRoot: "/r", slug: "m" }), "/r/.keel/locks/mission-m.lock");
 * ```
 */
export function missionLockFile(target: Pick<EventLogTarget, "repoRoot" | "slug">): string {
  return join(target.repoRoot, ".keel", "locks", `mission-${target.slug}.lock`);
}

/**
 * Run `fn` holding the mission lock.
 *
 * @param target The mission.
 * @param fn Work that re-reads the log ({@link readLockedEventLog}) and appends.
 * @returns What `fn` returns.
 * @throws {KeelError} `LOCK_HELD` and the lock file's path refusals.
 */
export function withMissionLock<T>(
  target: Pick<EventLogTarget, "repoRoot" | "slug">,
  fn: () => Promise<T>,
): Promise<T> {
  return withLock(missionLockFile(target), fn);
}

/**
 * Re-read and reduce the event log; call it holding the mission lock.
 *
 * @param target The mission.
 * @returns The log and its strict snapshot.
 * @throws {KeelError} `EVENT_LOG_CORRUPT` (a half-written tail included),
 *   `FILE_TOO_LARGE`, the path refusals of the safe reader.
 */
export async function readLockedEventLog(target: EventLogTarget): Promise<LockedEventLog> {
  const path = join(target.dir, "status.events.jsonl");
  const rel = `${target.repoRelDir}/status.events.jsonl`;
  const read = await readRegularText(path, { maxBytes: MAX_EVENT_LOG_BYTES });
  const text = read ?? "";
  return {
    path,
    rel,
    text,
    existed: read !== null,
    snapshot: reduceEvents(text, { path: rel }),
  };
}

/**
 * Serialise events and check that each takes effect: once appended, the WP
 * of every event is in that event's `to_lane` (the last one's, for a WP with
 * several) unless `verify` decides otherwise.
 *
 * @param log The log read under the lock.
 * @param events The events, in order.
 * @param verify Replaces the default check; throws to refuse.
 * @returns The pending append.
 * @throws {KeelError} `STATE_CHANGED` `{path}` when an event would not take effect.
 */
export function planAppend(
  log: LockedEventLog,
  events: readonly Record<string, unknown>[],
  verify?: (after: StatusSnapshot) => void,
): PendingAppend {
  if (events.length === 0) return { log, body: "", after: log.snapshot };
  const sep = log.text === "" || log.text.endsWith("\n") ? "" : "\n";
  const body = sep + events.map(eventLine).join("\n") + "\n";
  const after = reduceEvents(log.text + body, { path: log.rel });
  if (verify !== undefined) {
    verify(after);
  } else {
    for (const e of events as { wp_id: string; to_lane: string }[]) {
      const last = events.findLast((x) => x.wp_id === e.wp_id) as { to_lane: string };
      if (after.work_packages[e.wp_id]?.lane !== last.to_lane) {
        throw new KeelError(
          "STATE_CHANGED",
          `The ${e.wp_id} → ${e.to_lane} event would not take effect: the log holds later ` +
            `events for it`,
          { data: { path: log.rel } },
        );
      }
    }
  }
  return { log, body, after };
}

/**
 * Append the pending lines: one write of whole lines, then fsync, through the
 * safe writer (a symlink or non-regular log is refused, never followed).
 *
 * @param pending From {@link planAppend}.
 */
export async function writeAppend(pending: PendingAppend): Promise<void> {
  if (pending.body === "") return;
  const file = await openForWrite(pending.log.path, { append: true });
  try {
    const bytes = new TextEncoder().encode(pending.body);
    let written = 0;
    // One write; the loop only finishes a short write.
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
}

/**
 * Undo {@link writeAppend} (still holding the lock): cut the log back to its
 * size before, or remove it when it did not exist.
 *
 * @param pending The append written.
 */
export async function undoAppend(pending: PendingAppend): Promise<void> {
  if (pending.body === "") return;
  if (!pending.log.existed) {
    await Deno.remove(pending.log.path).catch(() => {});
    return;
  }
  const file = await openForWrite(pending.log.path, { mustExist: true });
  try {
    await file.truncate(new TextEncoder().encode(pending.log.text).length);
    await file.sync();
  } finally {
    file.close();
  }
}

/** Allocates event ids and times for events built under the lock. */
export type NextEventStamp = () => { event_id: string; at: string };

/**
 * The whole cycle for events decided from the fresh log: under the mission
 * lock, re-read, let `build` decide the events from the snapshot, check them,
 * append them in one write.
 *
 * @param target The mission.
 * @param build `{event, record}` pairs from the fresh snapshot (none: nothing is written).
 * @param options The clock for `at`.
 * @returns The records of the events appended.
 * @throws {KeelError} `STATE_CHANGED`, `EVENT_LOG_CORRUPT`, `LOCK_HELD`.
 */
export async function appendEvents<R>(
  target: EventLogTarget,
  build: (
    snapshot: StatusSnapshot,
    next: NextEventStamp,
  ) => { event: Record<string, unknown>; record: R }[],
  options: { clock: { now(): Date } },
): Promise<{ records: R[]; after: StatusSnapshot }> {
  return await withMissionLock(target, async () => {
    const log = await readLockedEventLog(target);
    const next: NextEventStamp = () => ({
      event_id: ulid(),
      at: eventTimestamp(options.clock.now()),
    });
    const built = build(log.snapshot, next);
    if (built.length === 0) return { records: [], after: log.snapshot };
    const pending = planAppend(log, built.map((b) => b.event));
    await writeAppend(pending);
    return { records: built.map((b) => b.record), after: pending.after };
  });
}
