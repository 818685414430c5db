// deno-lint-ignore-file no-console
/**
 * `deno task conformance DIR [--json]`: run keel's mission reader over every
 * mission of a `kitty-specs` folder.
 *
 * For each mission it
 * 1. reduces `status.events.jsonl` and compares the result with `status.json`
 *    (a `status.json` that only lists WPs the log no longer mentions, or that
 *    counts fewer events than the log, is *stale*: a cache written before the
 *    log changed; any other difference is a reducer mismatch);
 * 2. checks that `next` writes nothing;
 * 3. on a temporary copy, checks the next/implement invariant: `next`'s
 *    `wp_id` is exactly what an immediately following `implement` claims, and
 *    when it is null `implement` claims nothing (`WP_NOT_CLAIMABLE`, same reason).
 *
 * 4. when `DIR/../recorded/` holds the recorded answers of the real spec-kitty,
 *    compares keel's `next`, `merge --dry-run` and lightweight `review` with
 *    them on every recorded state (see `recorded_parity.ts`); when it does
 *    not, says so loudly on stderr.
 *
 * Exit 0 when every check holds; 1 on an invariant violation, a reducer
 * mismatch or a recorded answer keel differs from; 2 on bad usage.
 *
 * @module
 */

import { basename, join, resolve } from "node:path";
import { isKeelError } from "../core/errors.ts";
import {
  buildNextPayload,
  commitPortFor,
  implementOp,
  listMissionFolders,
  loadMission,
  nextOp,
  reduceEvents,
} from "../core/mission/mod.ts";
import { copyDir } from "../testing/mission.ts";
import { fixedClock, systemClock } from "../core/util/mod.ts";
import { checkRecordedAnswers, recordedFile, type RecordedParity } from "./recorded_parity.ts";

/** What the run found for one mission. */
export interface MissionConformance {
  slug: string;
  /** `match`, `stale`, `mismatch`, `no_status_json`, or `error` (the log or meta could not be read). */
  status_json: "match" | "stale" | "mismatch" | "no_status_json" | "error";
  /** Differences with status.json (keys or WP ids). */
  differences: string[];
  /** next's wp_id and selection_reason. */
  next: { wp_id: string | null; selection_reason: string | null; mission_state: string } | null;
  /** What implement did on the copy: the WP claimed, or the refusal reason. */
  implement: { wp_id: string | null; refused: string | null } | null;
  /** Invariant violations (empty when all hold). */
  violations: string[];
  /** The error that stopped the read, if any. */
  error: { code: string; message: string } | null;
}

function _equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(_sorted(a)) === JSON.stringify(_sorted(b));
}

function _sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(_sorted);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v).sort().map((k) => [k, _sorted((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

async function _fingerprint(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.isFile) {
        const st = await Deno.stat(p);
        out.push(`${p}:${st.size}:${st.mtime?.getTime() ?? 0}`);
      }
    }
  };
  await walk(dir);
  return out.sort().join("\n");
}

/**
 * Check one mission folder.
 *
 * @param kittySpecs The kitty-specs folder.
 * @param slug The mission folder name.
 * @returns The findings.
 */
export async function checkMission(kittySpecs: string, slug: string): Promise<MissionConformance> {
  const dir = join(kittySpecs, slug);
  const result: MissionConformance = {
    slug,
    status_json: "match",
    differences: [],
    next: null,
    implement: null,
    violations: [],
    error: null,
  };
  // 1. reducer vs status.json
  let logText: string | null = null;
  try {
    logText = await Deno.readTextFile(join(dir, "status.events.jsonl"));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  let statusJson: Record<string, unknown> | null = null;
  try {
    statusJson = JSON.parse(await Deno.readTextFile(join(dir, "status.json")));
  } catch {
    statusJson = null;
  }
  let ours: ReturnType<typeof reduceEvents>;
  try {
    ours = reduceEvents(logText ?? "", {
      path: `${basename(kittySpecs)}/${slug}/status.events.jsonl`,
    });
  } catch (error) {
    if (!isKeelError(error)) throw error;
    result.status_json = "error";
    result.error = { code: error.code, message: error.message };
    result.violations.push(`the event log cannot be reduced: ${error.message}`);
    return result;
  }
  if (statusJson === null) result.status_json = "no_status_json";
  else {
    for (
      const key of ["mission_slug", "materialized_at", "event_count", "last_event_id", "summary"]
    ) {
      if (!_equal((ours as unknown as Record<string, unknown>)[key], statusJson[key])) {
        result.differences.push(key);
      }
    }
    const theirs = (statusJson.work_packages ?? {}) as Record<string, unknown>;
    const ids = new Set([...Object.keys(ours.work_packages), ...Object.keys(theirs)]);
    const wpDiffs = [...ids].filter((id) => !_equal(ours.work_packages[id], theirs[id])).sort();
    result.differences.push(...wpDiffs);
    if (result.differences.length > 0) {
      const mentioned = (id: string) =>
        (logText ?? "").includes(`"wp_id": "${id}"`) ||
        (logText ?? "").includes(`"wp_id":"${id}"`);
      const phantomOnly = wpDiffs.length > 0 &&
        wpDiffs.every((id) => !(id in ours.work_packages) && !mentioned(id)) &&
        result.differences.every((d) => wpDiffs.includes(d) || d === "summary");
      const olderCache = typeof statusJson.event_count === "number" &&
        statusJson.event_count < ours.event_count;
      result.status_json = phantomOnly || olderCache ? "stale" : "mismatch";
      if (result.status_json === "mismatch") {
        result.violations.push(
          `reducer disagrees with status.json: ${result.differences.join(", ")}`,
        );
      }
    }
  }
  // 2. a read writes nothing
  const before = await _fingerprint(dir);
  let mission;
  try {
    mission = await loadMission(dir, { read: "light" });
  } catch (error) {
    if (!isKeelError(error)) throw error;
    result.error = { code: error.code, message: error.message };
    result.violations.push(`the mission cannot be read: ${error.message}`);
    return result;
  }
  buildNextPayload(mission, {
    timestamp: systemClock.now().toISOString(),
    repoHasCommit: await commitPortFor(mission, "cli"),
  });
  if ((await _fingerprint(dir)) !== before) {
    result.violations.push("reading the mission wrote files");
  }
  // 3. next/implement invariant on a copy
  const tmp = await Deno.makeTempDir({ prefix: "keel-conformance-" });
  try {
    await copyDir(dir, join(tmp, "kitty-specs", slug));
    const ctx = {
      cwd: tmp,
      clock: fixedClock("2099-01-01T00:00:00Z", 1),
      env: {},
      gitBackend: "auto" as const,
    };
    const next = await nextOp({ mission: slug, agent: "conformance" }, ctx);
    result.next = {
      wp_id: next.wp_id,
      selection_reason: next.selection_reason,
      mission_state: next.mission_state,
    };
    if ((next.wp_id === null) === (next.selection_reason === null)) {
      result.violations.push("next: exactly one of wp_id and selection_reason must be null");
    }
    try {
      const claim = await implementOp(
        { mission: slug, agent: "conformance", workspace: false },
        ctx,
      );
      result.implement = { wp_id: claim.wp_id, refused: null };
      if (claim.wp_id !== next.wp_id) {
        result.violations.push(`implement claimed ${claim.wp_id}, next named ${next.wp_id}`);
      }
      const lane = reduceEvents(
        await Deno.readTextFile(join(tmp, "kitty-specs", slug, "status.events.jsonl")),
      ).work_packages[claim.wp_id]?.lane;
      if (lane !== "in_progress") {
        result.violations.push(`after implement ${claim.wp_id} is ${lane}, not in_progress`);
      }
    } catch (error) {
      if (!isKeelError(error)) throw error;
      const reason = String(error.data.reason ?? error.code);
      result.implement = { wp_id: null, refused: reason };
      if (error.code !== "WP_NOT_CLAIMABLE") {
        result.violations.push(`implement failed with ${error.code}: ${error.message}`);
      } else if (next.wp_id !== null) {
        result.violations.push(`next named ${next.wp_id} but implement refused: ${reason}`);
      } else if (reason !== next.selection_reason) {
        result.violations.push(
          `implement refused with ${reason}, next said ${next.selection_reason}`,
        );
      }
    }
  } catch (error) {
    if (!isKeelError(error)) throw error;
    result.error = { code: error.code, message: error.message };
    result.violations.push(`${error.code}: ${error.message}`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return result;
}

if (import.meta.main) {
  const args = Deno.args.filter((a) => a !== "--json");
  const json = Deno.args.includes("--json");
  if (args.length !== 1) {
    console.error("usage: deno task conformance DIR [--json]   (DIR: a kitty-specs folder)");
    Deno.exit(2);
  }
  const kittySpecs = resolve(args[0]!);
  const folders = await listMissionFolders(kittySpecs).catch((error) => {
    console.error(`conformance: cannot read ${kittySpecs}: ${(error as Error).message}`);
    Deno.exit(2);
  });
  const results: MissionConformance[] = [];
  for (const f of folders) results.push(await checkMission(kittySpecs, f.slug));
  const count = (s: MissionConformance["status_json"]) =>
    results.filter((r) => r.status_json === s).length;
  const failed = results.filter((r) => r.violations.length > 0);
  const fixturesRoot = resolve(kittySpecs, "..");
  let recorded: RecordedParity | null = null;
  try {
    await Deno.stat(recordedFile(fixturesRoot));
    recorded = await checkRecordedAnswers(fixturesRoot);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    console.error(
      `\n!!! conformance: NO RECORDED SPEC-KITTY ANSWERS at ${
        recordedFile(fixturesRoot)
      }: the parity check with the real spec-kitty did NOT run.\n`,
    );
  }
  const summary = {
    dir: kittySpecs,
    missions: results.length,
    status_json_match: count("match"),
    status_json_stale: results.filter((r) => r.status_json === "stale").map((r) => r.slug),
    status_json_missing: count("no_status_json"),
    reducer_mismatch: results.filter((r) => r.status_json === "mismatch").map((r) => r.slug),
    invariant_checked: results.filter((r) => r.implement !== null).length,
    violations: failed.map((r) => ({ slug: r.slug, violations: r.violations })),
    recorded: recorded === null ? null : {
      states: recorded.states.length,
      failed: recorded.failed,
      differences: recorded.states
        .filter((s) => s.differences.length > 0)
        .map((s) => ({ mission: s.mission, variant: s.variant, differences: s.differences })),
    },
    ok: failed.length === 0 && (recorded === null || recorded.failed === 0),
  };
  if (json) console.log(JSON.stringify({ summary, missions: results }, null, 2));
  else {
    for (const r of results) {
      const next = r.next === null ? "-" : r.next.wp_id ?? `none (${r.next.selection_reason})`;
      const impl = r.implement === null
        ? "-"
        : r.implement.wp_id ?? `refused (${r.implement.refused})`;
      const mark = r.violations.length === 0 ? "ok  " : "FAIL";
      console.log(
        `${mark} ${r.slug.padEnd(52)} status.json=${
          r.status_json.padEnd(14)
        } next=${next}  implement=${impl}`,
      );
      for (const v of r.violations) console.log(`       ! ${v}`);
      if (r.status_json === "stale") console.log(`       stale: ${r.differences.join(", ")}`);
    }
    console.log(
      `\n${summary.missions} missions: status.json matches ${summary.status_json_match}, stale ${summary.status_json_stale.length}` +
        `${
          summary.status_json_stale.length ? ` (${summary.status_json_stale.join(", ")})` : ""
        }, ` +
        `absent ${summary.status_json_missing}, reducer mismatches ${summary.reducer_mismatch.length}; ` +
        `next/implement invariant checked on ${summary.invariant_checked}, violations ${failed.length}.`,
    );
    if (recorded !== null) {
      for (const st of recorded.states) {
        if (st.differences.length === 0) continue;
        console.log(`FAIL recorded ${st.mission} (${st.variant})`);
        for (const d of st.differences) console.log(`       ! ${d}`);
      }
      console.log(
        `Recorded spec-kitty answers: ${
          recorded.states.length - recorded.failed
        } of ${recorded.states.length} states agree (next, merge --dry-run blockers, lightweight review).`,
      );
    }
  }
  Deno.exit(summary.ok ? 0 : 1);
}
