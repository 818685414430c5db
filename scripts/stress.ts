// deno-lint-ignore-file no-console
/**
 * Concurrency and crash-safety harness over the real CLI.
 *
 * - Races: N `keel implement` processes on one mission (no WP claimed twice),
 *   N `keel run record` on one run (no record lost), N `keel retro` on one
 *   finished run (no lesson appended twice), two `keel merge` of one mission
 *   (one merges, the other is refused; every WP recorded done has its lane on
 *   the target branch; the work tree is clean).
 * - Crashes: `keel approve`, `keel run record`, `keel retro` and
 *   `keel implement` killed with SIGKILL after a random delay; afterwards
 *   every JSON artifact parses and is the old or the new version, every
 *   JSONL file keeps its old content as a prefix and ends on a whole line.
 * - Torn tails: a JSONL file cut at random bytes inside its last line; the
 *   torn line is reported with its line and byte offset, every line before
 *   it is still read.
 *
 * `deno task stress [--rounds N] [--trials N]` runs many rounds and prints
 * the counts; `tests/reliability_concurrency_test.ts` and
 * `tests/crash_safety_test.ts` run the same functions a few times.
 *
 * @module
 */

import { join } from "node:path";
import { parseJsonl } from "../core/store/mod.ts";
import { doctorOp } from "../core/doctor/mod.ts";
import { systemClock } from "../core/util/mod.ts";
import { reduceEvents } from "../core/mission/mod.ts";
import { gitRun, gitWith } from "../testing/git.ts";
import { writeMission } from "../testing/mission.ts";
import { parseLessons } from "../core/retro/mod.ts";
import { RunReport } from "../schemas/run_report.ts";
import { finding, fixtureReport } from "../tests/retro_fixtures.ts";

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;

/** Environment for git and keel in the harness. */
export const HARNESS_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Stress",
  GIT_AUTHOR_EMAIL: "stress@example.invalid",
  GIT_COMMITTER_NAME: "Stress",
  GIT_COMMITTER_EMAIL: "stress@example.invalid",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  NO_COLOR: "1",
};

/** A broken invariant found by the harness. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantError";
  }
}

function _check(ok: boolean, message: string): void {
  if (!ok) throw new InvariantError(message);
}

/** Result of a finished process. */
export interface Ran {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/**
 * Start the real CLI.
 *
 * @param cwd Working directory.
 * @param args Arguments.
 * @returns The child (stdout and stderr piped).
 */
export function spawnKeel(cwd: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd,
    env: HARNESS_ENV,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Wait for a child and decode its output.
 *
 * @param child The child.
 * @returns Exit code, signal and output.
 */
export async function finish(child: Deno.ChildProcess): Promise<Ran> {
  const out = await child.output();
  const td = new TextDecoder();
  return {
    code: out.code,
    signal: out.signal,
    stdout: td.decode(out.stdout),
    stderr: td.decode(out.stderr),
  };
}

/**
 * Run the CLI to completion.
 *
 * @param cwd Working directory.
 * @param args Arguments.
 * @returns Exit code and output.
 */
export async function keel(cwd: string, args: string[]): Promise<Ran> {
  return await finish(spawnKeel(cwd, args));
}

const _git = gitWith(HARNESS_ENV);

async function _editJson(path: string, fn: (v: Record<string, unknown>) => void): Promise<void> {
  const v = JSON.parse(await Deno.readTextFile(path));
  fn(v);
  await Deno.writeTextFile(path, JSON.stringify(v, null, 2) + "\n");
}

/**
 * A temporary git repository with an approvable contract (not yet approved).
 *
 * @returns The repository path.
 */
export async function contractRepo(): Promise<string> {
  const repo = await Deno.makeTempDir({ prefix: "keel-stress-" });
  await _git(repo, "init", "-q");
  await Deno.writeTextFile(join(repo, "README.md"), "# sample\n");
  await _git(repo, "add", "README.md");
  await _git(repo, "commit", "-qm", "initial");
  const init = await keel(repo, ["init", "--json"]);
  if (init.code !== 0) throw new Error(`keel init failed: ${init.stdout}${init.stderr}`);
  const c = join(repo, ".keel", "contracts", "default");
  await _editJson(join(c, "intent.json"), (v) => {
    v.goal = "Add the parser";
    v.constraints = [];
  });
  await _editJson(join(c, "test_contract.json"), (v) => {
    v.tests = [{ id: "unit", command: "deno test", required: true, gate: "finish" }];
  });
  await _editJson(join(c, "commit_plan.json"), (v) => {
    v.units = [{ id: "u1", summary: "parser", files: ["src/**"], tests: ["unit"], depends_on: [] }];
  });
  return repo;
}

/**
 * A temporary repository with an approved contract and a running run.
 *
 * @returns The repository and the run id.
 */
export async function runRepo(): Promise<{ repo: string; runId: string }> {
  const repo = await contractRepo();
  const a = await keel(repo, ["approve", "all", "--by", "stress", "--json"]);
  if (a.code !== 0) throw new Error(`keel approve failed: ${a.stdout}`);
  const s = await keel(repo, ["run", "start", "--json"]);
  if (s.code !== 0) throw new Error(`keel run start failed: ${s.stdout}`);
  return { repo, runId: JSON.parse(s.stdout).run_id };
}

/**
 * A temporary repository with a spec-kitty mission of `wps` planned WPs.
 *
 * @param wps Number of WPs.
 * @returns The repository, the mission slug and folder.
 */
export async function missionRepo(
  wps: number,
): Promise<{ repo: string; slug: string; dir: string }> {
  const repo = await Deno.makeTempDir({ prefix: "keel-stress-mission-" });
  const slug = "race-01KTESTA";
  const dir = await writeMission(repo, {
    slug,
    missionId: "01KTESTAAAAAAAAAAAAAAAAAAA",
    wps: Array.from({ length: wps }, (_, i) => ({ id: `WP${String(i + 1).padStart(2, "0")}` })),
  });
  return { repo, slug, dir };
}

/** A finished fixture run with `findings` distinct findings, written into `repo`. */
async function _finishedRun(repo: string, minute: number, findings: number): Promise<string> {
  const report = fixtureReport({
    minute,
    domain: "ui",
    findings: Array.from(
      { length: findings },
      (_, i) => finding(`F${i + 1}`, "PLAN_COMMIT_UNPLANNED", { sha: `${minute}a${i}` }),
    ),
  });
  const dir = join(repo, ".keel", "runs", report.run_id);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "run_report.json"), JSON.stringify(report, null, 2) + "\n");
  return report.run_id;
}

// ---------------------------------------------------------------------------
// Races

/** What one race round saw. */
export interface RaceResult {
  /** Processes started. */
  processes: number;
  /** Processes that did the work (claimed, recorded, appended). */
  succeeded: number;
  /** Processes refused with the expected code. */
  refused: number;
  /** Records on disk afterwards (claims, test records, lessons). */
  records: number;
}

/**
 * `processes` × `keel implement` on one mission of `wps` WPs: every WP is
 * claimed exactly once, the others are refused with WP_NOT_CLAIMABLE.
 *
 * @param processes How many at once.
 * @param wps WPs in the mission (fewer than processes).
 * @returns The counts.
 * @throws {InvariantError} on a double claim, a lost claim or a bad log.
 */
export async function raceImplement(processes: number, wps: number): Promise<RaceResult> {
  const { repo, dir } = await missionRepo(wps);
  try {
    const runs = await Promise.all(Array.from(
      { length: processes },
      (_, i) =>
        keel(repo, [
          "implement",
          "--no-workspace",
          "--mission",
          "race-01KTESTA",
          "--agent",
          `agent-${i}`,
          "--json",
        ]),
    ));
    const claimed = runs.filter((r) => r.code === 0).map((r) => JSON.parse(r.stdout));
    const refused = runs.filter((r) => r.code !== 0);
    for (const r of refused) {
      const e = JSON.parse(r.stdout).error;
      _check(
        r.code === 1 && e.code === "WP_NOT_CLAIMABLE" && e.data.reason === "all_wps_in_progress",
        `implement refused with exit ${r.code}: ${r.stdout}${r.stderr}`,
      );
    }
    const ids = claimed.map((c) => c.wp_id as string);
    _check(new Set(ids).size === ids.length, `a WP was claimed twice: ${ids.join(",")}`);
    _check(ids.length === wps, `${ids.length} claims for ${wps} WPs`);
    const text = await Deno.readTextFile(join(dir, "status.events.jsonl"));
    const jsonl = parseJsonl(text);
    _check(jsonl.torn === null && jsonl.bad.length === 0, "the event log has a bad line");
    const snap = reduceEvents(text);
    const claims = jsonl.records.map((r) => r.value as Record<string, string>).filter((e) =>
      e.from_lane === "planned" && e.to_lane === "claimed"
    );
    _check(claims.length === wps, `${claims.length} claim events for ${wps} WPs`);
    for (const c of claimed) {
      const s = snap.work_packages[c.wp_id];
      _check(
        s?.lane === "in_progress" && s.actor === c.agent,
        `${c.wp_id} is not in progress for ${c.agent}`,
      );
    }
    return {
      processes,
      succeeded: claimed.length,
      refused: refused.length,
      records: claims.length,
    };
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * `processes` × `keel implement` of one WP, half through the mission's slug
 * and half through `kitty-specs/alias -> <slug>` (a symlink inside the
 * repository): the WP is claimed exactly once. The alias is refused
 * (`PATH_SYMLINK_REFUSED`, exit 3) so it can never take a second lock; the
 * slug callers claim once and refuse the rest with `WP_CLAIM_CONFLICT`.
 *
 * @param processes How many at once.
 * @returns The counts.
 * @throws {InvariantError} on a double claim or an unexpected outcome.
 */
export async function raceAlias(processes: number): Promise<RaceResult> {
  const { repo, dir, slug } = await missionRepo(1);
  try {
    await Deno.symlink(slug, join(repo, "kitty-specs", "alias"));
    const runs = await Promise.all(Array.from(
      { length: processes },
      (_, i) =>
        keel(repo, [
          "implement",
          "--no-workspace",
          "--mission",
          i % 2 === 0 ? slug : "alias",
          "--agent",
          `agent-${i}`,
          "WP01",
          "--json",
        ]),
    ));
    let succeeded = 0;
    let refused = 0;
    for (const [i, r] of runs.entries()) {
      if (r.code === 0) {
        _check(i % 2 === 0, `implement through the alias succeeded: ${r.stdout}`);
        succeeded++;
        continue;
      }
      const e = JSON.parse(r.stdout).error;
      const ok = i % 2 === 1
        ? r.code === 3 && e.code === "PATH_SYMLINK_REFUSED"
        : r.code === 4 && e.code === "WP_CLAIM_CONFLICT";
      _check(ok, `implement ${i % 2 ? "alias" : slug} refused with exit ${r.code}: ${r.stdout}`);
      refused++;
    }
    const text = await Deno.readTextFile(join(dir, "status.events.jsonl"));
    const claims = parseJsonl(text).records.map((r) => r.value as Record<string, string>)
      .filter((e) => e.from_lane === "planned" && e.to_lane === "claimed");
    _check(claims.length === 1, `${claims.length} claim events for one WP`);
    _check(succeeded === 1, `${succeeded} processes claimed one WP`);
    return { processes, succeeded, refused, records: claims.length };
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * `processes` × `keel run record` (half of them `run exec`, which also
 * writes an evidence file) on one run: every record is in the report.
 *
 * @param processes How many at once.
 * @returns The counts.
 * @throws {InvariantError} on a lost record or a bad report.
 */
export async function raceRecord(processes: number): Promise<RaceResult> {
  const { repo, runId } = await runRepo();
  try {
    const runs = await Promise.all(Array.from(
      { length: processes },
      (_, i) =>
        i % 2 === 0
          ? keel(repo, ["run", "record", `t${i}`, "--status", "passed", "--json"])
          : keel(repo, ["run", "exec", `t${i}`, "--json", "--", "true"]),
    ));
    for (const r of runs) _check(r.code === 0, `run record/exec exited ${r.code}: ${r.stdout}`);
    const report = RunReport.parse(
      JSON.parse(
        await Deno.readTextFile(join(repo, ".keel", "runs", runId, "run_report.json")),
      ),
    );
    const ids = report.tests.map((t) => t.test_id).sort();
    const want = Array.from({ length: processes }, (_, i) => `t${i}`).sort();
    _check(JSON.stringify(ids) === JSON.stringify(want), `records lost: have ${ids.join(",")}`);
    const evidence = [...Deno.readDirSync(join(repo, ".keel", "runs", runId, "evidence"))];
    _check(
      evidence.length === Math.floor(processes / 2),
      `${evidence.length} evidence files for ${Math.floor(processes / 2)} execs`,
    );
    return { processes, succeeded: processes, refused: 0, records: ids.length };
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * `processes` × `keel retro` on one finished run with `findings` findings:
 * each lesson is appended exactly once.
 *
 * @param processes How many at once.
 * @param findings Findings of the run.
 * @returns The counts.
 * @throws {InvariantError} on a duplicate or lost lesson.
 */
export async function raceRetro(processes: number, findings: number): Promise<RaceResult> {
  const repo = await Deno.makeTempDir({ prefix: "keel-stress-retro-" });
  try {
    await _git(repo, "init", "-q");
    await _finishedRun(repo, 0, findings);
    const runs = await Promise.all(
      Array.from({ length: processes }, () => keel(repo, ["retro", "--json"])),
    );
    for (const r of runs) _check(r.code === 0, `retro exited ${r.code}: ${r.stdout}${r.stderr}`);
    const appended = runs.map((r) => JSON.parse(r.stdout).lessons.appended as number);
    const total = appended.reduce((a, b) => a + b, 0);
    _check(total === findings, `${total} lessons appended for ${findings} findings`);
    const read = parseLessons(
      await Deno.readTextFile(join(repo, ".keel", "lessons.jsonl")),
      ".keel/lessons.jsonl",
    );
    _check(
      read.problems.length === 0,
      `lessons.jsonl has problems: ${JSON.stringify(read.problems)}`,
    );
    const keys = read.records.map((r) => r.key);
    _check(keys.length === findings, `${keys.length} lessons on disk for ${findings} findings`);
    _check(new Set(keys).size === keys.length, "a lesson was appended twice");
    return {
      processes,
      succeeded: appended.filter((n) => n > 0).length,
      refused: 0,
      records: keys.length,
    };
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/** Counts of one merge race (see {@link raceMerge}). */
export interface MergeRaceResult extends RaceResult {
  /** Processes that exited 0 after the winner had finished (all merged: nothing to do). */
  noop: number;
}

/**
 * `processes` × `keel merge` of one mission of `lanes` approved WPs (one lane
 * each, one commit per lane branch) at once: one process merges, every other
 * one is refused (`MERGE_IN_PROGRESS`) or, starting after the winner has
 * finished, finds nothing to do. Afterwards every WP recorded `done` has its
 * lane on the target branch, every WP is done, no merge is in progress and the
 * work tree holds only the merge's own meta.json and event-log changes.
 *
 * @param processes How many at once.
 * @param lanes How many lanes (and WPs).
 * @returns The counts (`records`: WPs recorded done).
 * @throws {InvariantError} on lost work, a false success or an unexpected exit.
 */
export async function raceMerge(processes: number, lanes: number): Promise<MergeRaceResult> {
  const { repo, slug, dir, wps, laneIds } = await _mergeRepo(lanes);
  try {
    const runs = await Promise.all(
      Array.from({ length: processes }, () => keel(repo, ["merge", "--mission", slug, "--json"])),
    );
    let succeeded = 0;
    let refused = 0;
    let noop = 0;
    for (const r of runs) {
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(r.stdout);
      } catch {
        throw new InvariantError(`merge printed no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
      }
      if (r.code === 0 && (doc.events as unknown[]).length > 0) succeeded++;
      else if (r.code === 0) noop++;
      else {
        const e = doc.error as { code?: string } | undefined;
        _check(
          r.code === 4 && e?.code === "MERGE_IN_PROGRESS",
          `merge exited ${r.code}: ${r.stdout}${r.stderr}`,
        );
        refused++;
      }
    }
    _check(succeeded === 1, `${succeeded} merges reported doing the work`);
    const doneIds = await _checkMerged({ repo, slug, dir, wps, laneIds });
    return { processes, succeeded, refused, noop, records: doneIds.length };
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/** A repository with a mission of `lanes` approved WPs, one lane branch (one commit) each. */
async function _mergeRepo(lanes: number): Promise<
  { repo: string; slug: string; dir: string; wps: { id: string }[]; laneIds: string[]; tip: string }
> {
  const repo = await Deno.makeTempDir({ prefix: "keel-stress-merge-" });
  const slug = "merge-race-01KTESTB";
  await _git(repo, "init", "-q");
  await Deno.writeTextFile(join(repo, "README.md"), "# sample\n");
  const wps = Array.from({ length: lanes }, (_, i) => ({
    id: `WP${String(i + 1).padStart(2, "0")}`,
    lane: "approved",
  }));
  const dir = await writeMission(repo, { slug, missionId: "01KTESTBBBBBBBBBBBBBBBBBBB", wps });
  await _git(repo, "add", ".");
  await _git(repo, "commit", "-qm", "mission planned");
  const laneIds = wps.map((_, i) => `lane-${String.fromCharCode(97 + (i % 26))}`);
  for (const laneId of laneIds) {
    await _git(repo, "switch", "-q", "-c", `kitty/mission-${slug}-${laneId}`, "main");
    await Deno.mkdir(join(repo, "src"), { recursive: true });
    await Deno.writeTextFile(join(repo, "src", `${laneId}.ts`), `export const x = 1;\n`);
    await _git(repo, "add", ".");
    await _git(repo, "commit", "-qm", `work on ${laneId}`);
  }
  await _git(repo, "switch", "-q", "main");
  const tip = (await gitRun(repo, ["rev-parse", "HEAD"], { env: {} })).stdout.trim();
  return { repo, slug, dir, wps, laneIds, tip };
}

/**
 * After a finished merge: every WP recorded done exactly once with its lane on
 * main, every WP done, no merge in progress, only the mission's own files modified.
 */
async function _checkMerged(
  m: { repo: string; slug: string; dir: string; wps: { id: string }[]; laneIds: string[] },
): Promise<string[]> {
  const { repo, slug, dir, wps, laneIds } = m;
  const lanes = wps.length;
  const text = await Deno.readTextFile(join(dir, "status.events.jsonl"));
  const done = parseJsonl(text).records.map((r) => r.value as Record<string, string>)
    .filter((e) => e.to_lane === "done");
  const doneIds = done.map((e) => e.wp_id!);
  _check(new Set(doneIds).size === doneIds.length, `a WP was recorded done twice`);
  _check(doneIds.length === lanes, `${doneIds.length} WPs recorded done of ${lanes}`);
  for (const [i, wp] of wps.entries()) {
    if (!doneIds.includes(wp.id)) continue;
    const branch = `kitty/mission-${slug}-${laneIds[i]}`;
    const anc = await gitRun(repo, ["merge-base", "--is-ancestor", branch, "main"], { env: {} });
    _check(anc.success, `${wp.id} is recorded done but ${branch} is not on main`);
  }
  const status = await gitRun(repo, ["status", "--porcelain", "--untracked-files=all"], {
    env: HARNESS_ENV,
  });
  const dirty = status.stdout.split("\n")
    .filter((l) => l !== "" && !l.includes(".keel/")).sort();
  const own = [
    ` M kitty-specs/${slug}/meta.json`,
    ` M kitty-specs/${slug}/status.events.jsonl`,
  ];
  _check(
    JSON.stringify(dirty) === JSON.stringify(own),
    `the work tree is not clean after the merge: ${dirty.join(" | ")}`,
  );
  let inProgress = false;
  try {
    await Deno.lstat(join(repo, ".git", "MERGE_HEAD"));
    inProgress = true;
  } catch { /* none */ }
  _check(!inProgress, "a merge is left in progress");
  return doneIds;
}

/** Wait (up to 10 s) until no git merge or index write is under way in `repo`. */
async function _gitSettled(repo: string): Promise<void> {
  for (let n = 0; n < 200; n++) {
    let busy = false;
    for (const marker of ["MERGE_HEAD", "index.lock"]) {
      try {
        await Deno.lstat(join(repo, ".git", marker));
        busy = true;
      } catch { /* absent */ }
    }
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Counts of a series of killed merges (see {@link crashMerge}). */
export interface MergeCrashTally {
  /** Trials run. */
  trials: number;
  /** Merges that died of the SIGKILL. */
  killed: number;
  /** Kills after a lane had landed but before meta.json held the baseline. */
  killedBeforeBaseline: number;
  /** Re-runs that first recovered a lane merge the killed process left behind. */
  recovered: number;
  /** Re-runs that completed the merge with the original baseline (every trial). */
  completed: number;
}

/**
 * `keel merge` of a 4-lane mission killed with SIGKILL after a random delay,
 * then run again: the re-run finishes the merge, `baseline_merge_commit` is
 * the target's tip before the first lane, and every WP is done once with its
 * lane on main.
 *
 * @param trials How many kills.
 * @param rng Random numbers in [0, 1).
 * @returns The tally.
 * @throws {InvariantError} on a lost baseline, lost work or a failed re-run.
 */
export async function crashMerge(trials: number, rng: () => number): Promise<MergeCrashTally> {
  const tally: MergeCrashTally = {
    trials,
    killed: 0,
    killedBeforeBaseline: 0,
    recovered: 0,
    completed: 0,
  };
  const args = (slug: string) => ["merge", "--mission", slug, "--json"];
  const probe = await _mergeRepo(4);
  let span: number;
  try {
    const t0 = performance.now();
    const r = await keel(probe.repo, args(probe.slug));
    if (r.code !== 0) throw new Error(`merge failed: ${r.stdout}${r.stderr}`);
    span = performance.now() - t0;
  } finally {
    await Deno.remove(probe.repo, { recursive: true });
  }
  for (let i = 0; i < trials; i++) {
    const m = await _mergeRepo(4);
    try {
      const { ran } = await _killAfter(m.repo, args(m.slug), rng() * span * 1.1);
      if (ran.signal === "SIGKILL") {
        tally.killed++;
        const meta = JSON.parse(await Deno.readTextFile(join(m.dir, "meta.json")));
        const anc = await gitRun(
          m.repo,
          ["merge-base", "--is-ancestor", `kitty/mission-${m.slug}-${m.laneIds[0]}`, "main"],
          { env: {} },
        );
        if (anc.success && !meta.baseline_merge_commit) tally.killedBeforeBaseline++;
      }
      // The killed process's git child runs on to its end: wait for it before the re-run.
      await _gitSettled(m.repo);
      const again = await keel(m.repo, args(m.slug));
      _check(
        again.code === 0,
        `the re-run failed (exit ${again.code}): ${again.stdout}${again.stderr}`,
      );
      const warnings = JSON.parse(again.stdout).warnings as { code: string }[];
      if (warnings.some((w) => w.code === "ABANDONED_MERGE_RECOVERED")) tally.recovered++;
      const meta = JSON.parse(await Deno.readTextFile(join(m.dir, "meta.json")));
      _check(
        meta.baseline_merge_commit === m.tip,
        `baseline_merge_commit is ${meta.baseline_merge_commit}, expected ${m.tip}`,
      );
      await _checkMerged(m);
      tally.completed++;
    } finally {
      await Deno.remove(m.repo, { recursive: true });
    }
  }
  return tally;
}

// ---------------------------------------------------------------------------
// Crashes

/** Counts of a series of kill trials. */
export interface CrashTally {
  /** What was killed. */
  kind: "approve" | "record" | "retro" | "implement";
  /** Trials run. */
  trials: number;
  /** Processes that died of the SIGKILL (the rest finished first). */
  killed: number;
  /** Trials after which the artifact held the new version. */
  newVersion: number;
  /** Trials after which it held the old version. */
  oldVersion: number;
  /** Kills that left a lock file naming the dead process (killed while holding the lock). */
  killedUnderLock: number;
  /** Kills that left an atomic-write temp file (killed between temp write and rename). */
  killedMidWrite: number;
  /** What `keel doctor` reported afterwards (code → count); never an error. */
  doctor: Record<string, number>;
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function _killAfter(
  cwd: string,
  args: string[],
  delayMs: number,
): Promise<{ ran: Ran; pid: number; ms: number }> {
  const t0 = performance.now();
  const child = spawnKeel(cwd, args);
  const done = finish(child);
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  }, delayMs);
  const ran = await done;
  clearTimeout(timer);
  return { ran, pid: child.pid, ms: performance.now() - t0 };
}

/**
 * A kill delay: a quarter spread over the whole run, the rest over its last
 * third, where the lock is taken and the files are written.
 */
function _delay(rng: () => number, span: number): number {
  return rng() < 0.25 ? rng() * span * 1.1 : span * (0.7 + rng() * 0.35);
}

function _tmpFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) walk(p);
      else if (/^\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function _lockNames(dir: string, pid: number): boolean {
  const walk = (d: string): boolean => {
    for (const e of Deno.readDirSync(d)) {
      const p = join(d, e.name);
      if (e.isDirectory && walk(p)) return true;
      if (e.isFile && e.name.endsWith(".lock")) {
        if (Deno.readTextFileSync(p).trim() === String(pid)) return true;
      }
    }
    return false;
  };
  return walk(dir);
}

/**
 * Measure how long a command takes when not killed, to spread kill delays
 * over its whole run.
 */
async function _calibrate(cwd: string, args: string[]): Promise<_Span> {
  const t0 = performance.now();
  await keel(cwd, args);
  return new _Span(performance.now() - t0);
}

/** The expected run time of a command: the mean of its recent uninterrupted runs. */
class _Span {
  #recent: number[];
  constructor(first: number) {
    this.#recent = [first];
  }
  get ms(): number {
    return this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length;
  }
  /** Record a run that finished before its kill. */
  observe(ran: Ran, ms: number): void {
    if (ran.signal !== null) return;
    this.#recent.push(ms);
    if (this.#recent.length > 8) this.#recent.shift();
  }
}

/**
 * Kill `keel approve all` at random moments. Each artifact is, afterwards,
 * byte-identical to its old version or is the old content with a fresh,
 * valid approval block.
 *
 * @param trials Number of kills.
 * @param rng Random numbers in [0, 1).
 * @returns The tally.
 * @throws {InvariantError} on a partial or foreign artifact.
 */
export async function crashApprove(trials: number, rng: () => number): Promise<CrashTally> {
  const repo = await contractRepo();
  const tally = _tally("approve", trials);
  try {
    const c = join(repo, ".keel", "contracts", "default");
    const files = ["intent.json", "test_contract.json", "commit_plan.json"];
    const args = ["approve", "all", "--by", "stress", "--json"];
    const span = await _calibrate(repo, args);
    for (let i = 0; i < trials; i++) {
      // Change the content so every approval is a new version.
      await _editJson(join(c, "intent.json"), (v) => {
        v.constraints = [`Keep the API (${i})`];
      });
      const old = files.map((f) => Deno.readTextFileSync(join(c, f)));
      const tmpBefore = _tmpFiles(repo).length;
      const { ran, pid, ms } = await _killAfter(repo, args, _delay(rng, span.ms));
      span.observe(ran, ms);
      _countKill(tally, ran, { repo, pid, tmpBefore });
      let changed = 0;
      for (const [k, f] of files.entries()) {
        const text = Deno.readTextFileSync(join(c, f));
        if (text === old[k]) continue;
        changed++;
        let now: Record<string, unknown>;
        try {
          now = JSON.parse(text);
        } catch {
          throw new InvariantError(
            `${f} is partial after a kill: ${JSON.stringify(text.slice(-80))}`,
          );
        }
        const before = JSON.parse(old[k]!);
        const { approval: a, ...rest } = now;
        const { approval: _b, ...restBefore } = before;
        _check(
          JSON.stringify(rest) === JSON.stringify(restBefore),
          `${f} changed beyond its approval`,
        );
        _check(
          (a as { state?: string; by?: string }).state === "approved" &&
            (a as { by?: string }).by === "stress",
          `${f} has an unexpected approval: ${JSON.stringify(a)}`,
        );
      }
      if (changed > 0) tally.newVersion++;
      else tally.oldVersion++;
      const status = await keel(repo, ["status", "--json"]);
      _check(status.code === 0, `keel status after a kill exited ${status.code}: ${status.stdout}`);
      for (
        const a of JSON.parse(status.stdout).artifacts as { state: string; artifact: string }[]
      ) {
        _check(
          a.state === "approved" || a.state === "stale" || a.state === "draft",
          `${a.artifact} is ${a.state} after a kill`,
        );
      }
    }
    return await _doctor(repo, tally);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * Kill `keel run record` at random moments. The report always parses, is
 * schema-valid, and holds the old records plus at most the one new record.
 *
 * @param trials Number of kills.
 * @param rng Random numbers in [0, 1).
 * @returns The tally.
 * @throws {InvariantError} on a partial report or a lost record.
 */
export async function crashRecord(trials: number, rng: () => number): Promise<CrashTally> {
  const { repo, runId } = await runRepo();
  const tally = _tally("record", trials);
  try {
    const path = join(repo, ".keel", "runs", runId, "run_report.json");
    const span = await _calibrate(repo, ["run", "record", "warmup", "--status", "passed"]);
    for (let i = 0; i < trials; i++) {
      const before = RunReport.parse(JSON.parse(Deno.readTextFileSync(path)));
      const tmpBefore = _tmpFiles(repo).length;
      const { ran, pid, ms } = await _killAfter(
        repo,
        ["run", "record", `k${i}`, "--status", "passed", "--json"],
        _delay(rng, span.ms),
      );
      span.observe(ran, ms);
      _countKill(tally, ran, { repo, pid, tmpBefore });
      const text = Deno.readTextFileSync(path);
      let after;
      try {
        after = RunReport.parse(JSON.parse(text));
      } catch (error) {
        throw new InvariantError(`run_report.json is not valid after a kill: ${error}`);
      }
      const was = before.tests.map((t) => t.test_id);
      const now = after.tests.map((t) => t.test_id);
      _check(
        JSON.stringify(now.slice(0, was.length)) === JSON.stringify(was),
        "records were lost or reordered",
      );
      _check(
        now.length === was.length || (now.length === was.length + 1 && now.at(-1) === `k${i}`),
        `unexpected records after a kill: ${now.slice(was.length).join(",")}`,
      );
      if (now.length > was.length) tally.newVersion++;
      else tally.oldVersion++;
      if (ran.signal === null) {
        _check(
          ran.code === 0 && now.length === was.length + 1,
          "a finished record was not written",
        );
      }
    }
    return await _doctor(repo, tally);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * Kill `keel retro` at random moments, each trial on a new finished run.
 * lessons.jsonl keeps its old content as a byte prefix, ends on a whole
 * line, and holds each lesson at most once; a second retro completes it.
 *
 * @param trials Number of kills.
 * @param rng Random numbers in [0, 1).
 * @returns The tally.
 * @throws {InvariantError} on a lost, torn or duplicated lesson.
 */
export async function crashRetro(trials: number, rng: () => number): Promise<CrashTally> {
  const repo = await Deno.makeTempDir({ prefix: "keel-stress-retro-crash-" });
  const tally = _tally("retro", trials);
  try {
    await _git(repo, "init", "-q");
    const lessons = join(repo, ".keel", "lessons.jsonl");
    const first = await _finishedRun(repo, 0, 3);
    const span = await _calibrate(repo, ["retro", "--run", first]);
    for (let i = 1; i <= trials; i++) {
      const runId = await _finishedRun(repo, i * 20, 3);
      const old = await Deno.readFile(lessons);
      const tmpBefore = _tmpFiles(repo).length;
      const { ran, pid, ms } = await _killAfter(
        repo,
        ["retro", "--run", runId, "--json"],
        _delay(rng, span.ms),
      );
      span.observe(ran, ms);
      _countKill(tally, ran, { repo, pid, tmpBefore });
      const now = await Deno.readFile(lessons);
      _check(now.length >= old.length, "lessons.jsonl shrank");
      _check(
        old.every((b, k) => now[k] === b),
        "lessons.jsonl lost its old content",
      );
      const read = parseLessons(new TextDecoder().decode(now), ".keel/lessons.jsonl");
      _check(
        read.problems.length === 0,
        `lessons.jsonl after a kill: ${JSON.stringify(read.problems)}`,
      );
      const keys = read.records.map((r) => r.key);
      _check(new Set(keys).size === keys.length, "a lesson was appended twice");
      if (now.length > old.length) tally.newVersion++;
      else tally.oldVersion++;
      // Re-running the retrospective completes it, appending nothing twice.
      const again = await keel(repo, ["retro", "--run", runId, "--json"]);
      _check(again.code === 0, `retro after a kill exited ${again.code}: ${again.stdout}`);
      const final = parseLessons(Deno.readTextFileSync(lessons), ".keel/lessons.jsonl");
      _check(
        final.records.length === 3 * (i + 1),
        `${final.records.length} lessons after ${i + 1} runs`,
      );
    }
    return await _doctor(repo, tally);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

/**
 * Kill `keel implement` at random moments. The event log keeps its old
 * content as a prefix, ends on a whole line, reduces, and holds at most one
 * claim per WP.
 *
 * @param trials Number of kills.
 * @param rng Random numbers in [0, 1).
 * @returns The tally.
 * @throws {InvariantError} on a torn or double claim.
 */
export async function crashImplement(trials: number, rng: () => number): Promise<CrashTally> {
  const { repo, dir } = await missionRepo(trials + 1);
  const tally = _tally("implement", trials);
  try {
    const log = join(dir, "status.events.jsonl");
    const args = (
      i: number,
    ) => ["implement", "--no-workspace", "--mission", "race-01KTESTA", "--agent", `a${i}`];
    const span = await _calibrate(repo, args(0));
    for (let i = 1; i <= trials; i++) {
      const old = await Deno.readFile(log);
      const tmpBefore = _tmpFiles(repo).length;
      const { ran, pid, ms } = await _killAfter(repo, [...args(i), "--json"], _delay(rng, span.ms));
      span.observe(ran, ms);
      _countKill(tally, ran, { repo, pid, tmpBefore });
      const now = await Deno.readFile(log);
      _check(old.every((b, k) => now[k] === b), "the event log lost its old content");
      const text = new TextDecoder().decode(now);
      const jsonl = parseJsonl(text);
      _check(jsonl.torn === null && jsonl.bad.length === 0, "the event log has a torn or bad line");
      const snap = reduceEvents(text);
      const added = jsonl.records.length - parseJsonl(new TextDecoder().decode(old)).records.length;
      _check(added === 0 || added === 2, `${added} events appended by one claim`);
      const claimed = Object.values(snap.work_packages).filter((w) => w.lane === "in_progress");
      _check(
        new Set(claimed.map((w) => w.actor)).size === claimed.length,
        "an agent holds two WPs",
      );
      if (added > 0) tally.newVersion++;
      else tally.oldVersion++;
    }
    return await _doctor(repo, tally);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
}

function _tally(kind: CrashTally["kind"], trials: number): CrashTally {
  return {
    kind,
    trials,
    killed: 0,
    newVersion: 0,
    oldVersion: 0,
    killedUnderLock: 0,
    killedMidWrite: 0,
    doctor: {},
  };
}

/** Run keel doctor over the crashed repository: warnings and info only, never an error. */
async function _doctor(repo: string, tally: CrashTally): Promise<CrashTally> {
  const r = await doctorOp({}, { cwd: repo, clock: systemClock, env: {}, gitBackend: "cli" });
  for (const p of r.problems) {
    _check(p.severity !== "error", `keel doctor after the kills: ${p.code}: ${p.message}`);
    tally.doctor[p.code] = (tally.doctor[p.code] ?? 0) + 1;
  }
  return tally;
}

function _countKill(
  tally: CrashTally,
  ran: Ran,
  at: { repo: string; pid: number; tmpBefore: number },
): void {
  if (ran.signal !== "SIGKILL") {
    _check(ran.code !== 70, `exit 70 (internal): ${ran.stdout}${ran.stderr}`);
    return;
  }
  tally.killed++;
  if (_lockNames(join(at.repo, ".keel"), at.pid)) tally.killedUnderLock++;
  if (_tmpFiles(at.repo).length > at.tmpBefore) tally.killedMidWrite++;
}

// ---------------------------------------------------------------------------
// Torn tails

/** Counts of the torn-tail trials. */
export interface TornTally {
  /** Cuts made. */
  cuts: number;
  /** Cuts that left a torn line, detected at the right line and byte offset. */
  detected: number;
  /** Cuts on a line boundary or just before the final newline (nothing torn). */
  clean: number;
}

/**
 * Cut a JSONL text at `cuts` random byte positions inside its last line and
 * check the reader: the torn line is reported with its line number and byte
 * offset, and every line before it is still returned.
 *
 * @param text A JSONL text of whole lines.
 * @param cuts Number of cuts.
 * @param rng Random numbers in [0, 1).
 * @returns The tally.
 * @throws {InvariantError} when a torn line is missed or hides an earlier line.
 */
export function tornTails(text: string, cuts: number, rng: () => number): TornTally {
  const bytes = new TextEncoder().encode(text);
  const whole = parseJsonl(text).records.length;
  const lastStart = bytes.subarray(0, bytes.length - 1).lastIndexOf(0x0a) + 1;
  const lastLine = whole;
  const tally: TornTally = { cuts, detected: 0, clean: 0 };
  for (let i = 0; i < cuts; i++) {
    const cut = lastStart + Math.floor(rng() * (bytes.length - lastStart));
    const partial = new TextDecoder().decode(bytes.subarray(0, cut));
    const r = parseJsonl(partial);
    _check(r.records.length >= whole - 1, `lines before the torn one were hidden at cut ${cut}`);
    if (cut === lastStart || cut === bytes.length - 1) {
      // On a line boundary, or only the final newline missing: nothing is torn.
      _check(r.torn === null, "a clean cut was reported torn");
      _check(r.records.length === (cut === lastStart ? whole - 1 : whole), "a whole line was lost");
      tally.clean++;
      continue;
    }
    _check(r.torn !== null, `a cut at byte ${cut} was not detected`);
    _check(
      r.torn!.line === lastLine && r.torn!.offset === lastStart,
      `torn line reported at ${r.torn!.line}/${r.torn!.offset}, expected ${lastLine}/${lastStart}`,
    );
    tally.detected++;
  }
  return tally;
}

// ---------------------------------------------------------------------------

if (import.meta.main) {
  let rounds = 10;
  let trials = 100;
  let seed = Date.now() >>> 0;
  for (let i = 0; i < Deno.args.length; i++) {
    if (Deno.args[i] === "--rounds") rounds = Number(Deno.args[++i]);
    else if (Deno.args[i] === "--trials") trials = Number(Deno.args[++i]);
    else if (Deno.args[i] === "--seed") seed = Number(Deno.args[++i]);
  }
  const rng = prng(seed);
  const t0 = performance.now();
  let processes = 0;
  console.log(
    `stress: ${rounds} race rounds of 20 processes, ${trials} kills per kind, seed ${seed}`,
  );
  for (
    const [name, race] of [
      ["implement", () => raceImplement(20, 8)],
      ["alias+slug", () => raceAlias(20)],
      ["run record", () => raceRecord(20)],
      ["retro", () => raceRetro(20, 5)],
    ] as const
  ) {
    const sum = { processes: 0, succeeded: 0, refused: 0, records: 0 };
    for (let r = 0; r < rounds; r++) {
      const res = await race();
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += res[k];
    }
    processes += sum.processes;
    console.log(
      `race ${
        name.padEnd(10)
      } ${rounds} rounds, ${sum.processes} processes: ${sum.succeeded} did the work, ` +
        `${sum.refused} refused, ${sum.records} records on disk — nothing lost, nothing twice`,
    );
  }
  {
    const sum = { processes: 0, succeeded: 0, refused: 0, noop: 0, records: 0 };
    for (let r = 0; r < rounds; r++) {
      const res = await raceMerge(2, 4);
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += res[k];
    }
    processes += sum.processes;
    console.log(
      `race merge      ${rounds} rounds, ${sum.processes} processes: ${sum.succeeded} merged, ` +
        `${sum.refused} refused (MERGE_IN_PROGRESS), ${sum.noop} found nothing left to merge; ` +
        `${sum.records} WPs done, each with its lane on main; work tree clean`,
    );
  }
  let kills = 0;
  for (const crash of [crashApprove, crashRecord, crashRetro, crashImplement]) {
    const tally = await crash(trials, rng);
    processes += tally.trials;
    kills += tally.killed;
    console.log(
      `crash ${
        tally.kind.padEnd(9)
      } ${tally.trials} trials: ${tally.killed} killed (${tally.killedUnderLock} holding the lock, ` +
        `${tally.killedMidWrite} between temp write and rename), ${tally.newVersion} new / ${tally.oldVersion} old version — never partial; ` +
        `doctor: ${JSON.stringify(tally.doctor)}`,
    );
  }
  {
    const t = await crashMerge(trials, rng);
    processes += t.trials * 2;
    kills += t.killed;
    console.log(
      `crash merge     ${t.trials} trials: ${t.killed} killed (${t.killedBeforeBaseline} after a ` +
        `lane landed, before the baseline was written); ${t.recovered} re-runs recovered a lane ` +
        `merge left behind; ${t.completed} re-runs completed with the ` +
        `original baseline, every lane on main`,
    );
  }
  const torn = tornTails(
    Array.from({ length: 50 }, (_, i) => JSON.stringify({ n: i, text: "é漢字💥".repeat(i % 5) }))
      .join("\n") + "\n",
    trials * 10,
    rng,
  );
  console.log(
    `torn tails: ${torn.cuts} cuts, ${torn.detected} detected at the right line and byte offset, ${torn.clean} clean`,
  );
  console.log(
    `stress: ${processes} keel processes, ${kills} SIGKILLs survived, in ${
      Math.round((performance.now() - t0) / 1000)
    } s; nothing lost`,
  );
}
