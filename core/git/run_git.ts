/**
 * The one place keel starts a git process. The CLI adapter of the git port
 * (`cli_git.ts`), the git operations only the CLI can do (merges, worktrees,
 * branches: {@link runGit}) and the commit-existence check
 * (`commit_exists.ts`) all launch git here.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import type { GitBackendChoice } from "./types.ts";

/** How to launch git. */
export interface LaunchGitOptions {
  /** Working directory. */
  cwd: string;
  /** The git executable (default `git`, looked up on PATH). */
  binary?: string;
  /** Environment to set. */
  env?: Record<string, string>;
  /** Start from an empty environment (then only `env`). */
  clearEnv?: boolean;
  /** Bytes written to stdin, then closed (default: stdin is closed at once). */
  input?: readonly Uint8Array[];
}

/** What a finished git process gave. */
export interface LaunchedGit {
  /** Exit code. */
  code: number;
  /** stdout bytes. */
  stdout: Uint8Array;
  /** stderr bytes. */
  stderr: Uint8Array;
}

function _command(args: readonly string[], options: LaunchGitOptions): Deno.Command {
  return new Deno.Command(options.binary ?? "git", {
    args: [...args],
    cwd: options.cwd,
    ...(options.env === undefined ? {} : { env: options.env }),
    clearEnv: options.clearEnv ?? false,
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Launch `git <args>` (no shell, stdin closed) and wait for it.
 *
 * @param args Arguments after `git`.
 * @param options Where and how.
 * @returns The exit code and output.
 * @throws {Deno.errors.NotFound} when the executable cannot be started.
 */
export async function launchGit(
  args: readonly string[],
  options: LaunchGitOptions,
): Promise<LaunchedGit> {
  const command = _command(args, options);
  if (options.input === undefined) {
    const out = await command.output();
    return { code: out.code, stdout: out.stdout, stderr: out.stderr };
  }
  const child = command.spawn();
  const writer = child.stdin.getWriter();
  for (const chunk of options.input) await writer.write(chunk);
  await writer.close();
  const out = await child.output();
  return { code: out.code, stdout: out.stdout, stderr: out.stderr };
}

/**
 * {@link launchGit}, blocking (for the synchronous commit-existence check
 * of the WP selection).
 *
 * @param args Arguments after `git`.
 * @param options Where and how.
 * @returns The exit code and output.
 * @throws {Deno.errors.NotFound} when the executable cannot be started.
 */
export function launchGitSync(
  args: readonly string[],
  options: Omit<LaunchGitOptions, "input">,
): LaunchedGit {
  const out = _command(args, options).outputSync();
  return { code: out.code, stdout: out.stdout, stderr: out.stderr };
}

/** Output of one git command. */
export interface GitOutput {
  /** Exit code (−1 when git could not be started). */
  code: number;
  /** stdout. */
  stdout: string;
  /** stderr (or why git could not be started). */
  stderr: string;
}

/** Runs git; tests may pass a fake. */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<GitOutput>;

/**
 * Run `git <args>` in `cwd` with prompts and pagers disabled: the runner of
 * the operations only the git CLI can do (merges, worktrees, branches).
 *
 * @param args Arguments after `git`.
 * @param cwd Working directory.
 * @returns Exit code and output; `code: -1` when git is not installed.
 */
export async function runGit(args: readonly string[], cwd: string): Promise<GitOutput> {
  try {
    const out = await launchGit(["-c", "core.quotepath=off", ...args], {
      cwd,
      env: { GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" },
    });
    const td = new TextDecoder();
    return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { code: -1, stdout: "", stderr: "git executable is unavailable" };
    }
    throw error;
  }
}

/**
 * Refuse an operation only the git CLI can do when `--git-backend isomorphic`
 * was chosen (isomorphic-git has no merge with conflict handling and no
 * worktrees): it is refused before anything is read or written, never run
 * with the CLI behind the user's back.
 *
 * @param backend The backend asked for.
 * @param operation What needs the CLI (`merge`, `implement`, …).
 * @throws {KeelError} `GIT_BACKEND_UNSUPPORTED` `{backend, operation}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireCliGit } from "./run_git.ts";
 * requireCliGit("auto", "merge");
 * assert.throws(
 *   () => requireCliGit("isomorphic", "merge"),
 *   (e: unknown) => (e as { code?: string }).code === "GIT_BACKEND_UNSUPPORTED",
 * );
 * ```
 */
export function requireCliGit(backend: GitBackendChoice, operation: string): void {
  if (backend !== "isomorphic") return;
  throw new KeelError(
    "GIT_BACKEND_UNSUPPORTED",
    `${operation} needs the git CLI (merges, worktrees, branches); --git-backend isomorphic cannot do it`,
    { data: { backend, operation } },
  );
}
