/**
 * Reverts from git: which of the runs' commits a later commit reverts
 * (`git revert` writes "This reverts commit <sha>." into the message),
 * asked of the git port once for every commit of every run.
 *
 * @module
 */

import type { GitBackendName } from "../context.ts";
import { openGit } from "../git/mod.ts";

/** Finds reverting commits: reverted sha → reverting shas; null when git is unavailable. */
export type RevertFinder = (shas: readonly string[]) => Promise<Map<string, string[]> | null>;

/**
 * A revert finder over the history of HEAD in the worktree at `cwd`, through
 * the git port. Null when `cwd` is not in a git repository or git cannot be
 * used.
 *
 * @param cwd A directory in the worktree.
 * @param options `backend`: the git adapter.
 * @returns The finder.
 */
export function gitRevertFinder(cwd: string, options: { backend: GitBackendName }): RevertFinder {
  return async (shas) => {
    if (shas.length === 0) return new Map();
    try {
      const git = await openGit(cwd, { backend: options.backend });
      const out = new Map<string, string[]>();
      for (const r of await git.findReverts(shas)) {
        const key = shas.find((s) => s === r.reverted || r.reverted.startsWith(s)) ?? r.reverted;
        out.set(key, [...(out.get(key) ?? []), r.by].sort());
      }
      return out;
    } catch {
      return null;
    }
  };
}
