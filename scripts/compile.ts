// deno-lint-ignore-file no-console
/**
 * `deno task compile [--target T]… [--host]`: standalone keel binaries in
 * `dist/`, with the version and git commit embedded, and `dist/SHA256SUMS`.
 *
 * `deno compile` needs Deno's `denort` base binary of the same version as
 * the running Deno: it is downloaded from Deno's release host, taken from
 * Deno's cache, or given with `DENORT_BIN=/path/to/denort` (then only the
 * host target is built unless `--target` says otherwise). When none can be
 * had, the script stops with a message saying exactly that (exit 3).
 *
 * The host binary is smoke-tested before the script reports success
 * ({@link smokeTest}: `--version`, `pilot`, `next` on a mission,
 * `serve --stdio`); a failed check exits 1 naming it.
 *
 * @module
 */

import { join } from "node:path";
import { gitRun } from "../testing/git.ts";
import { writeMission } from "../testing/mission.ts";

/** Every release target. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** Permissions the binary is compiled with (no network). */
export const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-env",
  "--allow-sys",
];

const ROOT = new URL("..", import.meta.url).pathname;

/** The host's target triple. */
export function hostTarget(): string {
  return Deno.build.target;
}

/** Why a base binary is or is not available for a target. */
export interface BaseBinary {
  available: boolean;
  source: "DENORT_BIN" | "cache" | "download" | "none";
  detail: string;
}

/**
 * Find out whether `deno compile` can get a base binary for `target`.
 *
 * @param target Target triple.
 * @param options `network: false` skips asking Deno's release host.
 * @returns Availability and where from.
 */
export async function findBaseBinary(
  target: string,
  options: { network?: boolean } = {},
): Promise<BaseBinary> {
  const env = Deno.env.get("DENORT_BIN");
  if (env) {
    try {
      if (Deno.statSync(env).isFile) return { available: true, source: "DENORT_BIN", detail: env };
    } catch {
      return { available: false, source: "none", detail: `DENORT_BIN=${env} does not exist` };
    }
  }
  const version = Deno.version.deno;
  const zip = `denort-${target}.zip`;
  for (const dir of _denoDirs()) {
    const cached = join(dir, "dl", "release", `v${version}`, zip);
    try {
      if (Deno.statSync(cached).isFile) return { available: true, source: "cache", detail: cached };
    } catch {
      // not cached
    }
  }
  const url = `https://dl.deno.land/release/v${version}/${zip}`;
  if (options.network === false) {
    return {
      available: false,
      source: "none",
      detail: `DENORT_BIN is not set and ${zip} (v${version}) is not in Deno's cache`,
    };
  }
  try {
    const res = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    if (res.ok) return { available: true, source: "download", detail: url };
    return { available: false, source: "none", detail: `${url} answered ${res.status}` };
  } catch (error) {
    return {
      available: false,
      source: "none",
      detail: `${url} is unreachable (${(error as Error).message.split("\n")[0]})`,
    };
  }
}

function _denoDirs(): string[] {
  const dirs: string[] = [];
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) dirs.push(explicit);
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  if (home) {
    dirs.push(join(home, ".cache", "deno"), join(home, "Library", "Caches", "deno"));
  }
  const local = Deno.env.get("LOCALAPPDATA");
  if (local) dirs.push(join(local, "deno"));
  return dirs;
}

async function _git(args: string[]): Promise<string> {
  const out = await gitRun(ROOT, args, { env: {} }).catch(() => null);
  return out?.success ? out.stdout.trim() : "";
}

/**
 * Copy the sources into a temporary tree with the commit stamped into
 * `core/version.ts`.
 *
 * @param commit The commit id to embed.
 * @returns The temporary tree's path.
 */
export async function stampedTree(commit: string): Promise<string> {
  const tmp = await Deno.makeTempDir({ prefix: "keel-build-" });
  for (const entry of ["cli", "core", "rpc", "schemas", "mod.ts", "deno.json", "deno.lock"]) {
    await _copy(join(ROOT, entry), join(tmp, entry));
  }
  const versionFile = join(tmp, "core", "version.ts");
  const text = await Deno.readTextFile(versionFile);
  const stamped = text.replace(
    /export const BUILD_COMMIT: string = "[^"]*";/,
    `export const BUILD_COMMIT: string = ${JSON.stringify(commit)};`,
  );
  if (stamped === text) throw new Error("core/version.ts has no BUILD_COMMIT line to stamp");
  await Deno.writeTextFile(versionFile, stamped);
  return tmp;
}

async function _copy(from: string, to: string): Promise<void> {
  const info = await Deno.stat(from).catch(() => null);
  if (info === null) return;
  if (info.isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) await _copy(join(from, e.name), join(to, e.name));
  } else {
    await Deno.copyFile(from, to);
  }
}

/** Options of {@link compileTargets}. */
export interface CompileOptions {
  targets: string[];
  outDir: string;
}

/** One built binary. */
export interface Built {
  target: string;
  file: string;
  sha256: string;
  bytes: number;
}

/**
 * Compile keel for each target.
 *
 * @param options Targets and output directory.
 * @returns The binaries built.
 */
export async function compileTargets(options: CompileOptions): Promise<Built[]> {
  const short = await _git(["rev-parse", "--short=12", "HEAD"]);
  const dirty = (await _git(["status", "--porcelain", "--untracked-files=no"])) !== "";
  const commit = short === "" ? "unknown" : dirty ? `${short}-dirty` : short;
  const tree = await stampedTree(commit);
  await Deno.mkdir(options.outDir, { recursive: true });
  const built: Built[] = [];
  try {
    for (const target of options.targets) {
      const exe = target.includes("windows") ? ".exe" : "";
      const file = join(options.outDir, `keel-${target}${exe}`);
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "compile",
          "--quiet",
          ...PERMISSIONS,
          "--target",
          target,
          "--output",
          file,
          join(tree, "cli", "main.ts"),
        ],
        cwd: tree,
        stdout: "inherit",
        stderr: "piped",
      }).output();
      if (!out.success) {
        throw new Error(
          `deno compile failed for ${target}:\n${new TextDecoder().decode(out.stderr)}`,
        );
      }
      const bytes = await Deno.readFile(file);
      const digest = await crypto.subtle.digest("SHA-256", bytes);
      const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"))
        .join("");
      built.push({ target, file, sha256, bytes: bytes.length });
    }
  } finally {
    await Deno.remove(tree, { recursive: true }).catch(() => {});
  }
  const sums = built.map((b) => `${b.sha256}  ${b.file.slice(b.file.lastIndexOf("/") + 1)}`);
  await Deno.writeTextFile(join(options.outDir, "SHA256SUMS"), sums.join("\n") + "\n");
  return built;
}

/** One failed smoke check: what was run and what came back. */
export interface SmokeFailure {
  check: string;
  detail: string;
}

/**
 * Run a built keel through the checks a release must pass: `--version`,
 * `pilot --json`, `next --json` on a three-WP mission in a fresh git
 * repository (names WP01), and one `keel/version` call over
 * `serve --stdio`.
 *
 * @param command The argv that starts keel (a binary, or `deno run … cli/main.ts`).
 * @param version What `--version` must print: by default a release's, with the
 *   commit stamped in (`keel 0.1.0 (0123456789ab)`).
 * @returns The failed checks; empty when the binary is good.
 */
export async function smokeTest(
  command: readonly string[],
  version: RegExp = /^keel \d+\.\d+\.\d+ \((unknown|[0-9a-f]{12}(-dirty)?)\)\n$/,
): Promise<SmokeFailure[]> {
  const failures: SmokeFailure[] = [];
  const dir = await Deno.makeTempDir({ prefix: "keel-smoke-" });
  const run = async (args: string[], cwd: string, stdin?: string) => {
    const child = new Deno.Command(command[0]!, {
      args: [...command.slice(1), ...args],
      cwd,
      env: { NO_COLOR: "1" },
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(stdin));
      await w.close();
    }
    const o = await child.output();
    const td = new TextDecoder();
    return { code: o.code, stdout: td.decode(o.stdout), stderr: td.decode(o.stderr) };
  };
  const check = async (name: string, fn: () => Promise<string | null>) => {
    try {
      const problem = await fn();
      if (problem !== null) failures.push({ check: name, detail: problem });
    } catch (e) {
      failures.push({ check: name, detail: e instanceof Error ? e.message : String(e) });
    }
  };
  try {
    await check("--version", async () => {
      const r = await run(["--version"], dir);
      return r.code === 0 && version.test(r.stdout)
        ? null
        : `exit ${r.code}: ${r.stdout}${r.stderr}`;
    });
    await check("pilot --json", async () => {
      const r = await run(["pilot", "--json"], dir);
      return r.code === 0 && JSON.parse(r.stdout).ok === true
        ? null
        : `exit ${r.code}: ${r.stderr}`;
    });
    await check("next --json", async () => {
      const repo = join(dir, "repo");
      await Deno.mkdir(repo);
      if (!(await gitRun(repo, ["init", "-q"], { env: {} })).success) return "git init failed";
      await writeMission(repo, {
        slug: "smoke-01KSMOKE",
        missionId: "01KSMOKEAAAAAAAAAAAAAAAAAA",
        wps: [{ id: "WP01" }, { id: "WP02", deps: ["WP01"] }, { id: "WP03" }],
      });
      const r = await run(["next", "--mission", "smoke-01KSMOKE", "--json"], repo);
      const wp = r.code === 0 ? JSON.parse(r.stdout).wp_id : null;
      return wp === "WP01" ? null : `exit ${r.code}, wp_id ${wp}: ${r.stderr}`;
    });
    await check("serve --stdio", async () => {
      const r = await run(
        ["serve", "--stdio"],
        dir,
        '{"jsonrpc":"2.0","id":1,"method":"keel/version"}\n',
      );
      const reply = r.code === 0 ? JSON.parse(r.stdout.trim().split("\n")[0] ?? "null") : null;
      return reply?.id === 1 && /^\d+\.\d+\.\d+$/.test(String(reply?.result?.version))
        ? null
        : `exit ${r.code}: ${r.stdout}${r.stderr}`;
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return failures;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const targets: string[] = [];
  let host = false;
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === "--target") targets.push(args.shift() ?? "");
    else if (a === "--host") host = true;
    else {
      console.error(`usage: deno task compile [--host] [--target TRIPLE]…\nunknown argument: ${a}`);
      Deno.exit(2);
    }
  }
  for (const t of targets) {
    if (!(TARGETS as readonly string[]).includes(t)) {
      console.error(`unknown target "${t}"; targets: ${TARGETS.join(", ")}`);
      Deno.exit(2);
    }
  }
  const wanted = host || (targets.length === 0 && Deno.env.get("DENORT_BIN"))
    ? [hostTarget()]
    : targets.length > 0
    ? targets
    : [...TARGETS];
  const missing: string[] = [];
  for (const t of wanted) {
    const base = await findBaseBinary(t);
    if (!base.available) missing.push(`  ${t}: ${base.detail}`);
  }
  if (missing.length > 0) {
    console.error(
      [
        `deno compile needs Deno's denort base binary (version ${Deno.version.deno}) for each target,`,
        "and none could be had:",
        ...missing,
        "Build on a machine that can reach Deno's release host, or point DENORT_BIN at a denort",
        `binary of exactly version ${Deno.version.deno} for the host (DENORT_BIN=/path/to/denort deno task compile).`,
        "Note: the full `deno` binary does not work as DENORT_BIN.",
      ].join("\n"),
    );
    Deno.exit(3);
  }
  const built = await compileTargets({ targets: wanted, outDir: join(ROOT, "dist") });
  for (const b of built) {
    console.log(`${b.sha256}  ${b.file}  (${(b.bytes / 1048576).toFixed(1)} MiB)`);
  }
  console.log(`wrote ${join(ROOT, "dist", "SHA256SUMS")}`);
  const hostBuilt = built.find((b) => b.target === hostTarget());
  if (hostBuilt !== undefined) {
    const failures = await smokeTest([hostBuilt.file]);
    for (const f of failures) console.error(`smoke test failed: ${f.check}: ${f.detail}`);
    if (failures.length > 0) Deno.exit(1);
    console.log(`smoke-tested ${hostBuilt.file}: --version, pilot, next, serve --stdio`);
  }
}
