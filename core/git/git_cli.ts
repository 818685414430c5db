/**
 * A thin port over the git CLI for the gates: run one git command and return
 * its exit code and output. Merging needs the real git CLI (worktrees,
 * `merge --abort`), so this never falls back to another backend.
 *
 * @module
 */

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
 * Run `git <args>` in `cwd` with prompts and pagers disabled.
 *
 * @param args Arguments after `git`.
 * @param cwd Working directory.
 * @returns Exit code and output; `code: -1` when git is not installed.
 */
export async function runGit(args: readonly string[], cwd: string): Promise<GitOutput> {
  try {
    const out = await new Deno.Command("git", {
      args: ["-c", "core.quotepath=off", ...args],
      cwd,
      env: { GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const td = new TextDecoder();
    return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { code: -1, stdout: "", stderr: "git executable is unavailable" };
    }
    throw error;
  }
}
