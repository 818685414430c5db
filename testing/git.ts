/**
 * Test and script support: the one way tests, scripts and benchmarks start
 * git. It goes through the product's launcher (`launchGit` in
 * `core/git/run_git.ts`), so the repository has a single place that spawns a
 * git process.
 *
 * @module
 */

import { launchGit, launchGitSync } from "../core/git/run_git.ts";

/** Environment for git in tests: fixed identity, no user or system config. */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.invalid",
  GIT_COMMITTER_NAME: "Test Committer",
  GIT_COMMITTER_EMAIL: "committer@example.invalid",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** Options of {@link gitRun}. */
export interface GitRunOptions {
  /** Environment added to the process's (default {@link GIT_ENV}). */
  env?: Readonly<Record<string, string>>;
}

/** What a finished git process gave, decoded. */
export interface GitResult {
  /** Exit code. */
  code: number;
  /** Whether the exit code is 0. */
  success: boolean;
  /** stdout as text. */
  stdout: string;
  /** stderr as text. */
  stderr: string;
}

const _td = new TextDecoder();

function _result(out: { code: number; stdout: Uint8Array; stderr: Uint8Array }): GitResult {
  return {
    code: out.code,
    success: out.code === 0,
    stdout: _td.decode(out.stdout),
    stderr: _td.decode(out.stderr),
  };
}

/**
 * Run `git <args>` in `cwd` and return what it gave, whatever its exit code.
 *
 * @param cwd Working directory.
 * @param args Arguments after `git`.
 * @param options The environment.
 * @returns Exit code and decoded output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gitRun } from "./git.ts";
 * const dir = await Deno.makeTempDir({ prefix: "keel-testing-git-" });
 * assert.equal((await gitRun(dir, ["init", "-q", "-b", "main"])).code, 0);
 * const r = await gitRun(dir, ["rev-parse", "--verify", "-q", "HEAD"]);
 * assert.equal(r.success, false);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function gitRun(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<GitResult> {
  return _result(await launchGit(args, { cwd, env: { ...(options.env ?? GIT_ENV) } }));
}

/**
 * {@link gitRun}, blocking (for property tests that build repositories synchronously).
 *
 * @param cwd Working directory.
 * @param args Arguments after `git`.
 * @param options The environment.
 * @returns Exit code and decoded output.
 */
export function gitRunSync(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): GitResult {
  return _result(launchGitSync(args, { cwd, env: { ...(options.env ?? GIT_ENV) } }));
}

/**
 * Run `git <args>` in `cwd` and fail loudly: `init.defaultBranch=main` and
 * no commit signing are pinned, and a non-zero exit throws with git's stderr.
 *
 * @param cwd Working directory.
 * @param args Arguments after `git`.
 * @returns stdout.
 * @throws {Error} when git exits non-zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { git } from "./git.ts";
 * const dir = await Deno.makeTempDir({ prefix: "keel-testing-git-" });
 * await git(dir, "init", "-q");
 * assert.equal((await git(dir, "symbolic-ref", "--short", "HEAD")).trim(), "main");
 * await assert.rejects(git(dir, "rev-parse", "--verify", "HEAD"), /git rev-parse --verify HEAD failed/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return await gitWith(GIT_ENV)(cwd, ...args);
}

/**
 * {@link git} with another environment (a script's fixed identity and dates).
 *
 * @param env Environment added to the process's.
 * @returns A `git(cwd, ...args)` that throws when git fails.
 */
export function gitWith(
  env: Readonly<Record<string, string>>,
): (cwd: string, ...args: string[]) => Promise<string> {
  return async (cwd, ...args) => {
    const r = await gitRun(
      cwd,
      ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args],
      { env },
    );
    if (!r.success) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };
}

/**
 * A temporary git repository on `main` with a local identity and the
 * folders lanes write ignored (`.worktrees/`, `.keel/locks/`); nothing is
 * committed yet.
 *
 * @param prefix The temporary folder's name prefix.
 * @returns The repository's path.
 */
export async function laneRepo(prefix = "keel-lanes-"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "config", "user.name", "Test");
  await git(dir, "config", "user.email", "test@example.invalid");
  await git(dir, "config", "commit.gpgsign", "false");
  await Deno.writeTextFile(`${dir}/.gitignore`, ".worktrees/\n.keel/locks/\n");
  return dir;
}
