/**
 * Commit existence for the WP selection's baseline check (`base_commit` in a
 * WP's frontmatter), through the backend asked for.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import { launchGitSync } from "./run_git.ts";
import type { GitBackendChoice } from "./types.ts";

/** Tells whether a commit exists: `true`, `false`, or `null` when it cannot be told. */
export type CommitLookup = (sha: string) => boolean | null;

const _HEX = /^[0-9a-fA-F]{4,64}$/;

/**
 * The commit-existence lookup of the repository at `repoRoot`.
 *
 * - `cli` and `auto`: `git cat-file -e <sha>^{commit}`, asked lazily, per sha;
 *   `null` without git or outside a repository.
 * - `isomorphic`: isomorphic-git resolves every sha of `shas` up front (a
 *   commit, or a tag peeled to one); a sha not in `shas` is `null`; `null`
 *   for all outside a repository.
 *
 * A value that is not 4–64 hex digits is `false` on every backend.
 *
 * @param repoRoot The repository root.
 * @param backend The backend asked for.
 * @param shas The shas that may be asked (used by `isomorphic`).
 * @returns The lookup.
 * @throws {KeelError} `GIT_UNAVAILABLE` when isomorphic-git cannot be loaded.
 */
export async function commitLookup(
  repoRoot: string,
  backend: GitBackendChoice,
  shas: Iterable<string> = [],
): Promise<CommitLookup> {
  if (backend !== "isomorphic") return cliCommitLookup(repoRoot);
  const { isoGit, locateWithFs } = await import("./iso_git.ts");
  let port;
  try {
    port = await isoGit(await locateWithFs(repoRoot));
  } catch (error) {
    if (error instanceof KeelError && error.code === "REPO_NOT_FOUND") return () => null;
    throw error;
  }
  const known = new Map<string, boolean>();
  for (const sha of new Set(shas)) {
    if (!_HEX.test(sha)) continue;
    known.set(sha, (await port.resolveRef(sha.toLowerCase())) !== null);
  }
  return (sha) => _HEX.test(sha) ? known.get(sha) ?? null : false;
}

/**
 * The CLI lookup (synchronous, one `git cat-file` per question).
 *
 * @param repoRoot The repository root.
 * @returns The lookup.
 */
export function cliCommitLookup(repoRoot: string): CommitLookup {
  return (sha: string) => {
    if (!_HEX.test(sha)) return false;
    let out;
    try {
      out = launchGitSync(["-C", repoRoot, "cat-file", "-e", `${sha}^{commit}`], {
        cwd: repoRoot,
        env: { GIT_TERMINAL_PROMPT: "0" },
      });
    } catch {
      return null;
    }
    if (out.code === 0) return true;
    const err = new TextDecoder().decode(out.stderr);
    if (/not a git repository/i.test(err)) return null;
    return false;
  };
}
