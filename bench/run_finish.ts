// deno-lint-ignore-file no-console
/**
 * Benchmark: `keel run finish` over a range of 500 commits touching ~5,000
 * paths, against raw `git log --name-only` over the same range, with the git
 * CLI adapter; then the isomorphic-git adapter's time and peak memory.
 *
 * Usage: `deno run -A bench/run_finish.ts [--commits 500] [--files-per-commit 10] [--runs 5]`
 *
 * The repository is built with `git fast-import` in a temporary directory.
 * `run finish` is measured once (it ends the run); the same work is then
 * repeated with `keel drift --reanalyze` (collect from git, analyse, write)
 * to get a median. Times are wall-clock of whole processes (Deno start-up
 * included).
 *
 * @module
 */

const MAIN = new URL("../cli/main.ts", import.meta.url).pathname;
const ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  NO_COLOR: "1",
};

function _arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

async function _run(
  cmd: string,
  args: string[],
  cwd: string,
  stdin?: Uint8Array,
): Promise<{ code: number; ms: number; stdout: string; stderr: string }> {
  const t0 = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    env: ENV,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await child.output();
  const ms = performance.now() - t0;
  const td = new TextDecoder();
  return { code: out.code, ms, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

async function _git(cwd: string, ...args: string[]): Promise<string> {
  const r = await _run("git", ["-c", "init.defaultBranch=main", ...args], cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function _keel(cwd: string, ...args: string[]) {
  return await _run(Deno.execPath(), ["run", "-A", "--quiet", MAIN, ...args], cwd);
}

function _median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function _contract(dir: string): Promise<void> {
  const c = `${dir}/.keel/contracts/default`;
  const edit = async (file: string, fn: (v: Record<string, unknown>) => void) => {
    const v = JSON.parse(await Deno.readTextFile(`${c}/${file}`));
    fn(v);
    await Deno.writeTextFile(`${c}/${file}`, JSON.stringify(v, null, 2));
  };
  await _keel(dir, "init");
  await edit("intent.json", (v) => {
    v.goal = "bench";
    v.constraints = [];
    v.allowed_files = ["src/**"];
  });
  await edit("test_contract.json", (v) => {
    v.tests = [{ id: "unit", command: "true", required: true, gate: "finish" }];
  });
  await edit("commit_plan.json", (v) => {
    v.units = Array.from({ length: 10 }, (_, i) => ({
      id: `u${i}`,
      summary: `area ${i}`,
      files: [`src/a${i}/**`],
      tests: ["unit"],
      depends_on: [],
    }));
  });
  const a = await _keel(dir, "approve", "all", "--by", "bench");
  if (a.code !== 0) throw new Error(`approve failed: ${a.stdout}${a.stderr}`);
}

/** Build the commits with fast-import on top of main. */
function _fastImport(commits: number, perCommit: number): Uint8Array {
  const enc = new TextEncoder();
  const parts: string[] = [];
  let t = 1_800_000_000;
  for (let i = 0; i < commits; i++) {
    const msg = `change ${i}\n\nKeel-Unit: u${i % 10}\n`;
    parts.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.invalid> ${t++} +0000\n` +
        `data ${enc.encode(msg).length}\n${msg}` + (i === 0 ? "from refs/heads/main^0\n" : ""),
    );
    for (let j = 0; j < perCommit; j++) {
      const path = `src/a${i % 10}/d${Math.floor(i / 10)}/f${j}.txt`;
      const body = `commit ${i} file ${j}\n`;
      parts.push(`M 100644 inline ${path}\ndata ${enc.encode(body).length}\n${body}`);
    }
    parts.push("\n");
  }
  return enc.encode(parts.join(""));
}

if (import.meta.main) {
  const commits = _arg("commits", 500);
  const perCommit = _arg("files-per-commit", 10);
  const runs = _arg("runs", 5);
  const dir = await Deno.makeTempDir({ prefix: "keel-bench-" });
  try {
    await _git(dir, "init", "-q");
    await Deno.writeTextFile(`${dir}/README.md`, "bench\n");
    await _git(dir, "add", "README.md");
    await _git(dir, "commit", "-qm", "initial");
    await _contract(dir);
    await _git(dir, "add", ".gitattributes");
    await _git(dir, "commit", "-qm", "keel init");
    const start = await _keel(dir, "run", "start", "--json");
    if (start.code !== 0) throw new Error(`run start failed: ${start.stdout}${start.stderr}`);
    const base = (await _git(dir, "rev-parse", "HEAD")).trim();
    const fi = await _run(
      "git",
      ["fast-import", "--quiet", "--force"],
      dir,
      _fastImport(commits, perCommit),
    );
    if (fi.code !== 0) throw new Error(`fast-import: ${fi.stderr}`);
    await _git(dir, "reset", "-q", "--hard");
    await _keel(dir, "run", "record", "unit", "--status", "passed");
    const range = `${base}..HEAD`;
    const paths = new Set(
      (await _git(dir, "log", "--name-only", "--format=", range)).split("\n").filter(Boolean),
    );
    console.log(`repository: ${dir}`);
    console.log(`range ${range.slice(0, 12)}..HEAD: ${commits} commits, ${paths.size} paths`);

    const gitLog: number[] = [];
    for (let i = 0; i < runs; i++) {
      gitLog.push((await _run("git", ["log", "--name-only", range], dir)).ms);
    }
    const finish = await _keel(dir, "run", "finish", "--json", "--git-backend", "cli");
    const report = JSON.parse(finish.stdout);
    if (!report.run_id) throw new Error(`run finish failed: ${finish.stdout}${finish.stderr}`);
    const reanalyze: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await _keel(dir, "drift", "--reanalyze", "--json", "--git-backend", "cli");
      if (r.code > 1) throw new Error(r.stdout + r.stderr);
      reanalyze.push(r.ms);
    }
    const startup: number[] = [];
    for (let i = 0; i < runs; i++) startup.push((await _keel(dir, "--version")).ms);
    const rawMs = _median(gitLog);
    const budget = 2 * rawMs + 150;
    console.log(`git log --name-only (median of ${runs}): ${rawMs.toFixed(0)} ms`);
    console.log(
      `keel run finish (cli adapter, once): ${finish.ms.toFixed(0)} ms — ` +
        `${report.commits.length} commits, ${report.files.length} files, verdict ${report.verdict}`,
    );
    console.log(
      `keel drift --reanalyze (cli adapter, median of ${runs}): ${
        _median(reanalyze).toFixed(0)
      } ms`,
    );
    console.log(`keel --version (Deno start-up, median): ${_median(startup).toFixed(0)} ms`);
    console.log(
      `target 2 × git log + 150 ms = ${budget.toFixed(0)} ms → run finish ` +
        `${finish.ms <= budget ? "within" : "OVER"}, reanalyze ` +
        `${_median(reanalyze) <= budget ? "within" : "OVER"}`,
    );
    const iso = await _run("/usr/bin/time", [
      "-f",
      "%e s %M KB",
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      MAIN,
      "drift",
      "--reanalyze",
      "--json",
      "--git-backend",
      "isomorphic",
    ], dir);
    const isoReport = JSON.parse(iso.stdout);
    const same = JSON.stringify(isoReport.findings) === JSON.stringify(report.findings);
    const mem = iso.stderr.trim().split("\n").at(-1)!;
    console.log(
      `keel drift --reanalyze (isomorphic adapter): ${iso.ms.toFixed(0)} ms, ` +
        `/usr/bin/time: ${mem} peak RSS; findings identical to the CLI adapter: ${same}`,
    );
  } finally {
    if (!Deno.args.includes("--keep")) await Deno.remove(dir, { recursive: true });
  }
}
