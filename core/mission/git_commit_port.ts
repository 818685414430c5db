/**
 * The commit-existence port of the baseline check: `git cat-file -e
 * <sha>^{commit}` in the repository.
 *
 * @module
 */

/**
 * A port telling whether a commit exists in the repository at `repoRoot`:
 * `true`, `false`, or `null` when it cannot be told (no git, not a repository).
 *
 * @param repoRoot The repository root.
 * @returns The port.
 */
export function gitCommitPort(repoRoot: string): (sha: string) => boolean | null {
  return (sha: string) => {
    if (!/^[0-9a-fA-F]{4,64}$/.test(sha)) return false;
    let out: Deno.CommandOutput;
    try {
      out = new Deno.Command("git", {
        args: ["-C", repoRoot, "cat-file", "-e", `${sha}^{commit}`],
        stdout: "null",
        stderr: "piped",
        env: { GIT_TERMINAL_PROMPT: "0" },
      }).outputSync();
    } catch {
      return null;
    }
    if (out.success) return true;
    const err = new TextDecoder().decode(out.stderr);
    if (/not a git repository/i.test(err)) return null;
    return false;
  };
}
