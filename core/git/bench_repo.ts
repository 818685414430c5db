/**
 * A benchmark repository built quickly with `git fast-import`: a linear
 * history where every commit adds or modifies a fixed number of paths.
 *
 * @module
 */

import { launchGit } from "./run_git.ts";

/** Options of {@link buildBenchRepo}. */
export interface BenchRepoOptions {
  /** Number of commits (default 500). */
  commits?: number;
  /** Paths touched by each commit (default 10). */
  pathsPerCommit?: number;
  /** Check the files out into the working tree (default true). */
  checkout?: boolean;
}

/** What {@link buildBenchRepo} built. */
export interface BenchRepo {
  /** The repository (its worktree root). */
  dir: string;
  /** The first commit. */
  root: string;
  /** The last commit (HEAD of `main`). */
  head: string;
  /** Number of commits. */
  commits: number;
  /** Number of distinct paths. */
  paths: number;
}

/**
 * Build a repository in `dir` (created if missing, must be empty): commit
 * `i` (from 0) adds `pathsPerCommit` new files `d<i % 50>/c<i>_<j>.txt`,
 * except every fifth commit, which also modifies the first file of the
 * previous commit instead of adding its last one. Dates are fixed, so the
 * shas are the same on every run.
 *
 * @param dir Target directory.
 * @param options Sizes.
 * @returns Shas and sizes.
 *
 * @example
 * ```ts ignore
 * import { buildBenchRepo } from "./bench_repo.ts";
 * const repo = await buildBenchRepo(await Deno.makeTempDir(), { commits: 500, pathsPerCommit: 10 });
 * console.log(repo.head, repo.paths);
 * ```
 */
export async function buildBenchRepo(
  dir: string,
  options: BenchRepoOptions = {},
): Promise<BenchRepo> {
  const commits = options.commits ?? 500;
  const per = options.pathsPerCommit ?? 10;
  await Deno.mkdir(dir, { recursive: true });
  await _git(dir, ["init", "-q", "-b", "main"]);
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const push = (s: string) => chunks.push(enc.encode(s));
  const data = (s: string) => {
    const bytes = enc.encode(s);
    push(`data ${bytes.length}\n`);
    chunks.push(bytes);
    push("\n");
  };
  const paths = new Set<string>();
  let previousFirst: string | null = null;
  for (let i = 0; i < commits; i++) {
    const t = 1767225600 + i * 60;
    push(`commit refs/heads/main\nmark :${i + 1}\n`);
    push(`author Bench Author <bench@example.org> ${t} +0000\n`);
    push(`committer Bench Author <bench@example.org> ${t} +0000\n`);
    data(`Bench commit ${i}\n\nTouches ${per} paths.\n\nKeel-Unit: u${i % 7}\n`);
    if (i > 0) push(`from :${i}\n`);
    const names: string[] = [];
    const modify = i % 5 === 4 && previousFirst !== null;
    for (let j = 0; j < per - (modify ? 1 : 0); j++) names.push(`d${i % 50}/c${i}_${j}.txt`);
    for (const name of names) {
      paths.add(name);
      push(`M 100644 inline ${name}\n`);
      data(`${name}\ncommit ${i}\n`);
    }
    if (modify) {
      push(`M 100644 inline ${previousFirst}\n`);
      data(`${previousFirst}\nmodified in ${i}\n`);
    }
    previousFirst = names[0] ?? previousFirst;
  }
  push("done\n");
  const out = await launchGit(["fast-import", "--quiet", "--done"], { cwd: dir, input: chunks });
  if (out.code !== 0) {
    throw new Error(`git fast-import failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  if (options.checkout ?? true) await _git(dir, ["reset", "-q", "--hard", "main"]);
  const head = await _git(dir, ["rev-parse", "main"]);
  const root = commits > 1 ? await _git(dir, ["rev-parse", `main~${commits - 1}`]) : head;
  return { dir, root, head, commits, paths: paths.size };
}

async function _git(cwd: string, args: string[]): Promise<string> {
  const out = await launchGit(args, { cwd });
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}
