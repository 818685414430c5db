/**
 * spec-kitty missions: a torn event-log tail, an event log that fails to
 * parse, and a `status.json` that disagrees with its log (reported only:
 * `status.json` is spec-kitty's file and keel never rewrites it).
 *
 * @module
 */

import { join } from "node:path";
import { KeelError } from "../errors.ts";
import { listMissionFolders, reduceEvents, type StatusSnapshot } from "../mission/mod.ts";
import { checkJsonl } from "./check_jsonl.ts";
import { type DoctorProblem, problem } from "./codes.ts";
import { safeReadTextFile } from "../store/safe_file.ts";

/** A mission whose event log can be repaired, for `--fix`. */
export interface MissionLog {
  /** Mission slug. */
  slug: string;
  /** Absolute path of its status.events.jsonl. */
  log: string;
}

/**
 * Check every mission of `<root>/kitty-specs` (a symlinked folder is not followed).
 *
 * @param root Repository root.
 * @returns Problems found and the missions checked.
 */
export async function checkMissions(
  root: string,
): Promise<{ problems: DoctorProblem[]; missions: MissionLog[] }> {
  const kittySpecs = join(root, "kitty-specs");
  try {
    if (!(await Deno.lstat(kittySpecs)).isDirectory) return { problems: [], missions: [] };
  } catch {
    return { problems: [], missions: [] };
  }
  const problems: DoctorProblem[] = [];
  const missions: MissionLog[] = [];
  for (const { slug } of await listMissionFolders(kittySpecs)) {
    const dir = join(kittySpecs, slug);
    const rel = `kitty-specs/${slug}/status.events.jsonl`;
    const log = join(dir, "status.events.jsonl");
    missions.push({ slug, log });
    const r = await checkJsonl(log, {
      display: rel,
      badLines: false,
      lock: `.keel/locks/mission-${slug}.lock`,
    });
    problems.push(...r.problems);
    if (r.goodText === null) continue;
    let snap: StatusSnapshot;
    try {
      snap = reduceEvents(r.goodText, { path: rel });
    } catch (error) {
      if (!(error instanceof KeelError) || error.code !== "EVENT_LOG_CORRUPT") throw error;
      problems.push(problem("EVENT_LOG_CORRUPT", {
        path: rel,
        message: error.message,
        explanation:
          "keel next, implement, review and merge refuse this mission until the line is fixed: keel " +
          "never guesses a lane from a line it cannot read. Fix the line by hand (see its reason).",
        evidence: { line: error.data.line ?? null, reason: error.data.reason ?? null },
      }));
      continue;
    }
    const p = await _compareStatusJson(dir, `kitty-specs/${slug}/status.json`, {
      snap,
      text: r.goodText,
    });
    if (p) problems.push(p);
  }
  return { problems, missions };
}

async function _compareStatusJson(
  dir: string,
  rel: string,
  log: { snap: StatusSnapshot; text: string },
): Promise<DoctorProblem | null> {
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(await safeReadTextFile(join(dir, "status.json")));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    return _disagrees(rel, [{ reason: `status.json is not JSON: ${(error as Error).message}` }]);
  }
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) {
    return _disagrees(rel, [{ reason: "status.json is not a JSON object" }]);
  }
  const differences = _laneDifferences(stored, log.snap);
  if (
    differences.length === 0 && stored.event_count === log.snap.event_count &&
    stored.last_event_id === log.snap.last_event_id
  ) return null;
  // Behind: status.json equals the log reduced up to its own last event.
  if (typeof stored.last_event_id === "string" && typeof stored.materialized_at === "string") {
    const prefix = _reducePrefix(log.text, stored.materialized_at, stored.last_event_id);
    if (
      prefix !== null && _laneDifferences(stored, prefix).length === 0 &&
      stored.event_count === prefix.event_count
    ) {
      return problem("STATUS_JSON_BEHIND", {
        path: rel,
        message: `${rel}: materialised at event ${prefix.event_count} of ${log.snap.event_count}`,
        explanation:
          "Events were appended to the log after spec-kitty last wrote status.json (keel appends " +
          "events and never rewrites spec-kitty's file). keel reads the log; spec-kitty refreshes " +
          "status.json on its next read.",
        evidence: {
          status_event_count: stored.event_count,
          log_event_count: log.snap.event_count,
        },
      });
    }
  }
  return _disagrees(
    rel,
    differences.length > 0 ? differences : [{
      reason: "event_count or last_event_id differ",
      status_json: { event_count: stored.event_count, last_event_id: stored.last_event_id },
      log: { event_count: log.snap.event_count, last_event_id: log.snap.last_event_id },
    }],
  );
}

function _disagrees(rel: string, differences: Record<string, unknown>[]): DoctorProblem {
  return problem("STATUS_JSON_DISAGREES", {
    path: rel,
    message: `${rel}: disagrees with status.events.jsonl (${differences.length} difference(s))`,
    explanation:
      "status.json is spec-kitty's materialised view of the event log; keel trusts the log and " +
      "never rewrites status.json. Running any spec-kitty status command regenerates it; if it " +
      "still disagrees, the log was edited by hand.",
    evidence: { differences: differences.slice(0, 50) },
  });
}

function _laneDifferences(
  stored: Record<string, unknown>,
  snap: StatusSnapshot,
): Record<string, unknown>[] {
  const theirs = stored.work_packages !== null && typeof stored.work_packages === "object"
    ? stored.work_packages as Record<string, { lane?: unknown }>
    : {};
  const out: Record<string, unknown>[] = [];
  const ids = [...new Set([...Object.keys(theirs), ...Object.keys(snap.work_packages)])].sort();
  for (const id of ids) {
    const a = Object.hasOwn(theirs, id) ? theirs[id]?.lane ?? null : null;
    const b = Object.hasOwn(snap.work_packages, id) ? snap.work_packages[id]!.lane : null;
    if (a !== b) out.push({ wp_id: id, status_json_lane: a, log_lane: b });
  }
  return out;
}

function _reducePrefix(text: string, at: string, eventId: string): StatusSnapshot | null {
  const kept: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const v = JSON.parse(line);
      if (v !== null && typeof v === "object" && typeof v.at === "string" && "to_lane" in v) {
        const id = String(v.event_id ?? "");
        if (v.at > at || (v.at === at && id > eventId)) continue;
      }
    } catch {
      return null;
    }
    kept.push(line);
  }
  try {
    return reduceEvents(kept.join("\n") + "\n");
  } catch {
    return null;
  }
}
