// deno-lint-ignore-file no-console
/**
 * `deno task bench [--quick]`: keel's speed and memory, each figure with a
 * baseline measured in the same run. Prints a table and writes
 * `bench/results.json`.
 *
 * - cold start: `keel --version` against bare `deno run` of an empty script;
 * - `next --json` on a real fixture and on a generated mission of 1,000 WPs
 *   and 100,000 events (against bare Deno start-up);
 * - reducer throughput in events/s (in-process);
 * - `run finish` over 500 commits against raw `git log --name-only` on the
 *   same range, with the git CLI adapter, and once with isomorphic-git;
 * - RPC over a unix socket: sequential `keel/version`, warm `mission/next`
 *   latency on a real fixture, and eight concurrent clients;
 * - start-up ratios, paired against bare `deno run` (wall and CPU medians of
 *   interleaved runs): `next --json` on a real fixture, `--help`, and
 *   `status` on a repository with one contract and 50 runs;
 * - peak memory (max RSS) of each.
 *
 * Process times are wall-clock of whole processes (`deno run` with cached
 * dependencies), peak memory from GNU time's max RSS where available.
 *
 * @module
 */

import { join } from "node:path";
import { gitRun } from "../testing/git.ts";
import { buildBenchRepo } from "./repo.ts";
import { reduceEvents } from "../core/mission/mod.ts";
import { benchRpcSocket } from "./rpc_socket.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MAIN = join(ROOT, "cli", "main.ts");
const FIXTURES = join(ROOT, "..", "shared", "fixtures", "spec-kitty", "kitty-specs");
const QUICK = Deno.args.includes("--quick");
const RUNS = QUICK ? 5 : 15;
const GNU_TIME = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile ? "/usr/bin/time" : null;
  } catch {
    return null;
  }
})();
const ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  NO_COLOR: "1",
};

/** One row of the results. */
export interface BenchRow {
  name: string;
  unit: "ms" | "events/s" | "req/s";
  median: number;
  min: number;
  max: number;
  /** Peak memory in MiB (max RSS), when measured. */
  peak_mib: number | null;
  /** Median CPU time (user + system, children included) in ms, when measured. */
  cpu_median?: number;
  baseline: string | null;
  baseline_median: number | null;
  /** median / baseline median (for throughputs: baseline / median is not used). */
  ratio: number | null;
  /** The target, in words, and whether it was met. */
  target: string | null;
  met: boolean | null;
  /** By how much a missed target was missed, in words. */
  missed_by?: string;
}

interface Sample {
  ms: number;
  rssKb: number | null;
  /** User + system CPU of the process and its children, from GNU time. */
  cpuMs: number | null;
  code: number;
  stdout: string;
}

async function _spawn(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<Sample> {
  const rssFile = GNU_TIME ? await Deno.makeTempFile() : null;
  const full = GNU_TIME
    ? [GNU_TIME, "-f", "%M %U %S", "-o", rssFile!, cmd, ...args]
    : [cmd, ...args];
  const t0 = performance.now();
  const out = await new Deno.Command(full[0]!, {
    args: full.slice(1),
    cwd: opts.cwd,
    env: { ...ENV, ...(opts.env ?? {}) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  let rssKb: number | null = null;
  let cpuMs: number | null = null;
  if (rssFile) {
    const text = await Deno.readTextFile(rssFile).catch(() => "");
    const [kb, user, sys] = (text.trim().split("\n").pop() ?? "").split(" ").map(Number);
    rssKb = kb !== undefined && Number.isFinite(kb) && kb > 0 ? kb : null;
    cpuMs = user !== undefined && sys !== undefined && Number.isFinite(user + sys)
      ? (user + sys) * 1000
      : null;
    await Deno.remove(rssFile).catch(() => {});
  }
  return { ms, rssKb, cpuMs, code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

function _stats(values: number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

async function _measure(
  cmd: string,
  args: string[],
  opts: { cwd: string; runs?: number; expectCode?: number },
): Promise<
  { median: number; min: number; max: number; peak_mib: number | null; cpu_median?: number }
> {
  const runs = opts.runs ?? RUNS;
  await _spawn(cmd, args, opts); // warm the caches
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await _spawn(cmd, args, opts);
    if (s.code !== (opts.expectCode ?? 0)) {
      throw new Error(`${cmd} ${args.join(" ")} exited ${s.code}`);
    }
    samples.push(s);
  }
  return _summary(samples);
}

/** Wall-time stats, peak memory and median CPU of samples. */
function _summary(samples: Sample[]): {
  median: number;
  min: number;
  max: number;
  peak_mib: number | null;
  cpu_median?: number;
} {
  const rss = samples.map((s) => s.rssKb).filter((x): x is number => x !== null);
  const cpu = samples.map((s) => s.cpuMs).filter((x): x is number => x !== null);
  return {
    ..._stats(samples.map((s) => s.ms)),
    peak_mib: rss.length ? Math.max(...rss) / 1024 : null,
    ...(cpu.length ? { cpu_median: _stats(cpu).median } : {}),
  };
}

/** `missed_by` for each `[value, limit, unit]` where value exceeds limit (a throughput passes `[limit, value]`). */
function _missedBy(checks: [number, number, string][]): { missed_by?: string } {
  const misses = checks.filter(([v, limit]) => v > limit).map(([v, limit, unit]) =>
    `${Math.round(v - limit).toLocaleString("en")} ${unit}`
  );
  return misses.length ? { missed_by: misses.join(", ") } : {};
}

function _row(
  name: string,
  m: { median: number; min: number; max: number; peak_mib: number | null; cpu_median?: number },
  extra: Partial<BenchRow> & { unit?: BenchRow["unit"] } = {},
): BenchRow {
  return {
    name,
    unit: "ms",
    ...m,
    baseline: null,
    baseline_median: null,
    ratio: null,
    target: null,
    met: null,
    ...extra,
  };
}

async function _git(cwd: string, ...args: string[]): Promise<string> {
  const out = await gitRun(cwd, args, { env: ENV });
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout;
}

async function _copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await _copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/**
 * Write a mission of `wps` work packages and about `events` events.
 *
 * @param root Repository root.
 * @param wps Number of WPs.
 * @param events Number of transition events in all.
 * @returns The mission slug.
 */
export async function writeBigMission(root: string, wps: number, events: number): Promise<string> {
  const slug = "big-mission-01KBENCH0";
  const dir = join(root, "kitty-specs", slug);
  await Deno.mkdir(join(dir, "tasks"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "meta.json"),
    JSON.stringify(
      {
        created_at: "2026-01-01T00:00:00+00:00",
        friendly_name: "Big mission",
        mission_id: "01KBENCH0000000000000000AA",
        mission_number: null,
        mission_slug: slug,
        mission_type: "software-dev",
        slug,
        target_branch: "main",
        topology: "lanes",
      },
      null,
      2,
    ) + "\n",
  );
  await Deno.writeTextFile(join(dir, "tasks.md"), "# Tasks\n");
  const id = (i: number) => `WP${String(i + 1).padStart(4, "0")}`;
  for (let i = 0; i < wps; i++) {
    const deps = i > 0 && i % 3 === 0 ? [id(i - 1)] : [];
    await Deno.writeTextFile(
      join(dir, "tasks", `${id(i)}-work.md`),
      `---\nwork_package_id: ${id(i)}\ntitle: Work ${i}\ndependencies: ${
        JSON.stringify(deps)
      }\nsubtasks:\n- T${String(i).padStart(4, "0")}\n---\n# ${id(i)}\n`,
    );
  }
  const cycle = ["planned", "claimed", "in_progress", "for_review", "in_review", "in_progress"];
  const perWp = Math.floor(events / wps);
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; i < wps; i++) {
    let from = "genesis";
    // The last WPs stay planned so `next` has work to find late in the walk.
    const finalLane = i < wps - 50 ? "done" : "planned";
    for (let k = 0; k < perWp; k++) {
      const to = k === perWp - 1 ? finalLane : cycle[(k + 1) % cycle.length]!;
      n++;
      const t = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
      lines.push(JSON.stringify({
        actor: "bench",
        at: t,
        event_id: `EV${String(n).padStart(24, "0")}`,
        evidence: null,
        execution_mode: "worktree",
        force: true,
        from_lane: from,
        mission_slug: slug,
        reason: null,
        review_ref: null,
        to_lane: to,
        wp_id: id(i),
      }));
      from = to;
    }
  }
  await Deno.writeTextFile(join(dir, "status.events.jsonl"), lines.join("\n") + "\n");
  return slug;
}

async function _benchStartup(rows: BenchRow[], tmp: string): Promise<number> {
  const empty = join(tmp, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const bare = await _measure(Deno.execPath(), ["run", "-A", empty], { cwd: tmp });
  rows.push(_row("bare deno run (empty script)", bare));
  const version = await _measure(Deno.execPath(), ["run", "-A", MAIN, "--version"], { cwd: ROOT });
  rows.push(_row("keel --version", version, {
    baseline: "bare deno run",
    baseline_median: bare.median,
    ratio: version.median / bare.median,
    target: "≤ 40 ms and ≤ bare + 25 ms",
    met: version.median <= 40 && version.median - bare.median <= 25,
  }));
  return bare.median;
}

async function _benchNext(rows: BenchRow[], tmp: string, bare: number): Promise<void> {
  const fixture = "workflow-parity-988-989-991-01KRKTT5";
  const repo = join(tmp, "fixture-repo");
  let haveFixture = true;
  try {
    await _copyDir(join(FIXTURES, fixture), join(repo, "kitty-specs", fixture));
  } catch {
    haveFixture = false;
    console.error(`(skipping next on a real fixture: ${FIXTURES} is absent)`);
  }
  if (haveFixture) {
    await _git(repo, "init", "-q");
    const m = await _measure(
      Deno.execPath(),
      ["run", "-A", MAIN, "next", "--mission", fixture, "--json"],
      { cwd: repo },
    );
    rows.push(_row(`next --json (${fixture})`, m, {
      baseline: "bare deno run",
      baseline_median: bare,
      ratio: m.median / bare,
      target: "≤ 70 ms",
      met: m.median <= 70,
    }));
  }
  const big = join(tmp, "big-repo");
  await Deno.mkdir(big, { recursive: true });
  await _git(big, "init", "-q");
  const slug = await writeBigMission(big, 1000, 100_000);
  const m = await _measure(
    Deno.execPath(),
    ["run", "-A", MAIN, "next", "--mission", slug, "--json"],
    { cwd: big, runs: QUICK ? 3 : 7 },
  );
  rows.push(_row("next --json (1,000 WPs, 100,000 events)", m, {
    baseline: "bare deno run",
    baseline_median: bare,
    ratio: m.median / bare,
    target: "≤ 300 ms, ≤ 150 MiB",
    met: m.median <= 300 && (m.peak_mib === null || m.peak_mib <= 150),
    ..._missedBy([[m.median, 300, "ms"], [m.peak_mib ?? 0, 150, "MiB"]]),
  }));
  const text = await Deno.readTextFile(
    join(big, "kitty-specs", slug, "status.events.jsonl"),
  );
  const count = text.split("\n").filter((l) => l !== "").length;
  reduceEvents(text);
  const rates: number[] = [];
  for (let i = 0; i < (QUICK ? 3 : 9); i++) {
    const t0 = performance.now();
    reduceEvents(text);
    rates.push(count / ((performance.now() - t0) / 1000));
  }
  const s = _stats(rates);
  rows.push(_row(`reducer throughput (${count.toLocaleString("en")} events)`, {
    ...s,
    peak_mib: Deno.memoryUsage().rss / 1048576,
  }, {
    unit: "events/s",
    target: "≥ 500,000 events/s",
    met: s.median >= 500_000,
    ..._missedBy([[500_000, s.median, "events/s"]]),
  }));
}

async function _benchFinish(rows: BenchRow[], tmp: string): Promise<void> {
  const dir = join(tmp, "finish-repo");
  const repo = await buildBenchRepo(dir, { commits: 500, pathsPerCommit: 10 });
  const gitLog = await _measure(
    "git",
    ["log", "--name-only", "--format=%H", `${repo.root}..${repo.head}`],
    { cwd: dir },
  );
  rows.push(_row(`git log --name-only (${repo.commits - 1} commits)`, gitLog));
  const keel = (args: string[]) =>
    _spawn(Deno.execPath(), ["run", "-A", MAIN, ...args], { cwd: dir });
  await keel(["init"]);
  const contract = join(dir, ".keel", "contracts", "default");
  const intent = JSON.parse(await Deno.readTextFile(join(contract, "intent.json")));
  intent.allowed_files = ["**"];
  intent.forbidden_files = [];
  await Deno.writeTextFile(join(contract, "intent.json"), JSON.stringify(intent, null, 2));
  const plan = JSON.parse(await Deno.readTextFile(join(contract, "commit_plan.json")));
  plan.units = Array.from({ length: 7 }, (_, i) => ({
    id: `u${i}`,
    summary: `unit ${i}`,
    files: [`d*/**`],
    tests: [],
    depends_on: [],
  }));
  await Deno.writeTextFile(join(contract, "commit_plan.json"), JSON.stringify(plan, null, 2));
  await keel(["approve", "all", "--by", "bench", "--allow-placeholders"]);
  // Each sample: back to the base, start a run, forward to the head (5,000 files written),
  // flush those writes so the measured processes do not pay for the bench's own I/O, then
  // raw git log and run finish back to back (the pair's baseline is measured beside it).
  const pairedLog: Sample[] = [];
  const once = async (backend: string): Promise<Sample> => {
    await _git(dir, "reset", "-q", "--hard", repo.root);
    const start = await keel(["run", "start", "--git-backend", backend]);
    if (start.code !== 0) throw new Error(`run start failed: ${start.stdout}`);
    await _git(dir, "reset", "-q", "--hard", repo.head);
    await new Deno.Command("sync").output().catch(() => {});
    if (backend === "cli") {
      pairedLog.push(
        await _spawn("git", ["log", "--name-only", "--format=%H", `${repo.root}..${repo.head}`], {
          cwd: dir,
        }),
      );
    }
    return await keel(["run", "finish", "--git-backend", backend]);
  };
  const samples: Sample[] = [];
  for (let i = 0; i < (QUICK ? 3 : 11); i++) samples.push(await once("cli"));
  const m = _summary(samples);
  const paired = _summary(pairedLog).median;
  rows.push(_row("run finish, git CLI adapter (500 commits)", m, {
    baseline: `paired git log ${paired.toFixed(1)} ms`,
    baseline_median: paired,
    ratio: m.median / paired,
    target: "≤ 2 × git log + 150 ms",
    met: m.median <= 2 * paired + 150,
    ..._missedBy([[m.median, 2 * paired + 150, "ms"]]),
  }));
  const iso: Sample[] = [];
  for (let i = 0; i < (QUICK ? 1 : 2); i++) iso.push(await once("isomorphic"));
  const im = _summary(iso);
  rows.push(_row("run finish, isomorphic-git adapter (500 commits)", im, {
    baseline: "git log --name-only",
    baseline_median: gitLog.median,
    ratio: im.median / gitLog.median,
  }));
}

async function _benchRpc(rows: BenchRow[], tmp: string): Promise<void> {
  const fixture = "workflow-parity-988-989-991-01KRKTT5";
  const repo = join(tmp, "rpc-repo");
  await Deno.mkdir(repo, { recursive: true });
  await _git(repo, "init", "-q");
  const haveFixture = await _copyDir(join(FIXTURES, fixture), join(repo, "kitty-specs", fixture))
    .then(() => true, () => false);
  const r = await benchRpcSocket({
    repo,
    env: ENV,
    ...(haveFixture ? { mission: fixture } : {}),
    ...(QUICK ? { sequential: 1000, latencySamples: 200, perClient: 1000 } : {}),
  });
  const one = (v: number) => ({ median: v, min: v, max: v });
  rows.push(_row("RPC keel/version, 1 client sequential", {
    ...one(r.sequential_req_per_s),
    peak_mib: null,
  }, { unit: "req/s", target: "≥ 3,000 req/s", met: r.sequential_req_per_s >= 3000 }));
  if (r.mission_next_ms) {
    rows.push(
      _row(`RPC mission/next warm latency (fixture; p95 ${r.mission_next_ms.p95.toFixed(2)})`, {
        median: r.mission_next_ms.p50,
        min: r.mission_next_ms.p50,
        max: r.mission_next_ms.max,
        peak_mib: null,
      }, { target: "p50 ≤ 1 ms", met: r.mission_next_ms.p50 <= 1 }),
    );
  }
  rows.push(_row(`RPC keel/version, ${r.clients} concurrent clients`, {
    ...one(r.concurrent_req_per_s),
    peak_mib: r.server_peak_rss_mib,
  }, { unit: "req/s", target: "≥ 10,000 req/s", met: r.concurrent_req_per_s >= 10000 }));
}

/** Wall and CPU (user + system) time of one process, in ms. */
interface Timed {
  wall: number;
  cpu: number;
}

async function _timed(cmd: string[], cwd: string, timesFile: string): Promise<Timed> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    cwd,
    env: ENV,
    stdout: "null",
    stderr: "null",
  }).output();
  const wall = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd.join(" ")} exited ${out.code}`);
  // CPU time of the same command, a second time, from bash's `times` (children, ms resolution).
  await new Deno.Command("bash", {
    args: ["-c", `"$0" "$@" >/dev/null 2>&1; times > "$KEEL_BENCH_TIMES"`, ...cmd],
    cwd,
    env: { ...ENV, KEEL_BENCH_TIMES: timesFile },
  }).output();
  const children = (await Deno.readTextFile(timesFile)).trim().split("\n")[1] ?? "";
  const cpu = children.split(/\s+/).map((t) => {
    const m = t.match(/^(\d+)m([\d.]+)s$/);
    return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : 0;
  }).reduce((a, b) => a + b, 0);
  return { wall, cpu };
}

/**
 * Paired start-up measurement: every round runs bare Deno and each command
 * once, in rotating order, so load on the machine hits all alike; the ratio
 * is median over median, of wall time and of CPU time.
 */
async function _paired(
  variants: { name: string; cmd: string[]; cwd: string }[],
  rounds: number,
  tmp: string,
): Promise<Map<string, { wall: number[]; cpu: number[] }>> {
  const timesFile = join(tmp, "times.txt");
  const res = new Map(variants.map((v) => [v.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (const v of variants) await _timed(v.cmd, v.cwd, timesFile); // warm the caches
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length]!;
      const t = await _timed(v.cmd, v.cwd, timesFile);
      res.get(v.name)!.wall.push(t.wall);
      res.get(v.name)!.cpu.push(t.cpu);
    }
  }
  return res;
}

async function _benchStartupRatios(rows: BenchRow[], tmp: string): Promise<void> {
  const deno = Deno.execPath();
  const empty = join(tmp, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const variants: { name: string; cmd: string[]; cwd: string; target: number }[] = [];
  const fixture = "workflow-parity-988-989-991-01KRKTT5";
  const nextRepo = join(tmp, "startup-next");
  const haveFixture = await _copyDir(
    join(FIXTURES, fixture),
    join(nextRepo, "kitty-specs", fixture),
  ).then(() => true, () => false);
  if (haveFixture) {
    await _git(nextRepo, "init", "-q");
    variants.push({
      name: `keel next --json (${fixture})`,
      cmd: [deno, "run", "-A", MAIN, "next", "--mission", fixture, "--json"],
      cwd: nextRepo,
      target: 2.0,
    });
  } else console.error(`(skipping next on a real fixture: ${FIXTURES} is absent)`);
  variants.push({
    name: "keel --help",
    cmd: [deno, "run", "-A", MAIN, "--help"],
    cwd: tmp,
    target: 3,
  });
  const statusRepo = await _statusRepo(join(tmp, "startup-status"), 50);
  variants.push({
    name: "keel status (1 contract, 50 runs)",
    cmd: [deno, "run", "-A", MAIN, "status"],
    cwd: statusRepo,
    target: 2.5,
  });
  const res = await _paired(
    [{ name: "bare", cmd: [deno, "run", "-A", empty], cwd: tmp }, ...variants],
    QUICK ? 7 : 21,
    tmp,
  );
  const bare = res.get("bare")!;
  const bw = _stats(bare.wall).median;
  const bc = _stats(bare.cpu).median;
  rows.push(_row("bare deno run, paired (wall; CPU " + bc.toFixed(0) + " ms)", {
    ..._stats(bare.wall),
    peak_mib: null,
  }));
  for (const v of variants) {
    const r = res.get(v.name)!;
    const w = _stats(r.wall);
    const cpu = _stats(r.cpu).median;
    const wr = w.median / bw;
    const cr = cpu / bc;
    const misses = [
      wr > v.target ? `${(wr - v.target).toFixed(2)} × (wall)` : "",
      cr > v.target ? `${(cr - v.target).toFixed(2)} × (CPU)` : "",
    ].filter((x) => x !== "");
    rows.push(_row(`${v.name} (CPU ${cpu.toFixed(0)} ms, ${cr.toFixed(2)} × bare)`, {
      ...w,
      peak_mib: null,
    }, {
      baseline: "bare deno run, wall",
      baseline_median: bw,
      ratio: wr,
      target: `≤ ${v.target.toFixed(1)} × bare, wall and CPU`,
      met: misses.length === 0,
      ...(misses.length ? { missed_by: misses.join(", ") } : {}),
    }));
  }
}

/** A repository with one approved contract and `runs` finished runs. */
async function _statusRepo(dir: string, runs: number): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  await _git(dir, "init", "-q");
  await Deno.writeTextFile(join(dir, "README.md"), "bench\n");
  await _git(dir, "add", "README.md");
  await _git(dir, "commit", "-q", "-m", "init");
  const keel = async (...args: string[]) => {
    const s = await _spawn(Deno.execPath(), ["run", "-A", MAIN, ...args], { cwd: dir });
    if (s.code !== 0 && !(args[0] === "run" && args[1] === "finish")) {
      throw new Error(`keel ${args.join(" ")} exited ${s.code}`);
    }
  };
  await keel("init");
  await keel("approve", "all", "--by", "bench", "--allow-placeholders");
  for (let i = 0; i < runs; i++) {
    await keel("run", "start", "--git-backend", "cli");
    await keel("run", "finish", "--git-backend", "cli");
  }
  return dir;
}

function _fmt(row: BenchRow, v: number): string {
  if (row.unit === "ms") return v < 10 ? v.toFixed(2) : v.toFixed(1);
  return Math.round(v).toLocaleString("en");
}

/**
 * Render the results as a table.
 *
 * @param rows The rows.
 * @returns The table.
 */
export function renderBench(rows: BenchRow[]): string {
  const head = [
    "benchmark",
    "unit",
    "median",
    "min",
    "max",
    "CPU ms",
    "peak MiB",
    "× baseline",
    "target",
  ];
  const body = rows.map((r) => [
    r.name,
    r.unit,
    _fmt(r, r.median),
    _fmt(r, r.min),
    _fmt(r, r.max),
    r.cpu_median === undefined ? "-" : r.cpu_median.toFixed(0),
    r.peak_mib === null ? "-" : r.peak_mib.toFixed(0),
    r.ratio === null ? "-" : `${r.ratio.toFixed(2)} (${r.baseline})`,
    r.target === null
      ? ""
      : `${r.target}: ${r.met ? "met" : `MISSED${r.missed_by ? ` by ${r.missed_by}` : ""}`}`,
  ]);
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((row) => [...row[i]!].length)));
  return all.map((row) => row.map((c, i) => c.padEnd(w[i]!)).join("  ").trimEnd()).join("\n");
}

if (import.meta.main) {
  const tmp = await Deno.makeTempDir({ prefix: "keel-bench-" });
  const rows: BenchRow[] = [];
  const only = Deno.args.filter((a) => !a.startsWith("--"));
  const want = (k: string) => only.length === 0 || only.includes(k);
  // Wall times on a shared machine say more about the load than about keel:
  // the load average is printed and kept beside them.
  const loadBefore = Deno.loadavg();
  try {
    const bare = await _benchStartup(rows, tmp);
    if (want("next")) await _benchNext(rows, tmp, bare);
    if (want("finish")) await _benchFinish(rows, tmp);
    if (want("rpc")) await _benchRpc(rows, tmp);
    if (want("startup")) await _benchStartupRatios(rows, tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  const loadAfter = Deno.loadavg();
  console.log(renderBench(rows));
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  console.log(
    `\nload average (1, 5, 15 min): before ${la(loadBefore)}, after ${la(loadAfter)} ` +
      `on ${navigator.hardwareConcurrency} CPUs`,
  );
  await Deno.mkdir(join(ROOT, "bench"), { recursive: true });
  const machine = {
    os: Deno.build.os,
    arch: Deno.build.arch,
    deno: Deno.version.deno,
    cpus: navigator.hardwareConcurrency,
    load_average_before: loadBefore,
    load_average_after: loadAfter,
  };
  await Deno.writeTextFile(
    join(ROOT, "bench", "results.json"),
    JSON.stringify(
      { measured_at: new Date().toISOString(), machine, quick: QUICK, rows },
      null,
      2,
    ) + "\n",
  );
  console.log("\nwrote bench/results.json");
}
