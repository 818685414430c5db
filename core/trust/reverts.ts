/**
 * Reverts from git: which of a run's commits a later commit reverts
 * (`git revert` writes "This reverts commit <sha>." into the message).
 *
 * @module
 */

/** Finds reverting commits: reverted sha → reverting shas. */
export type RevertFinder = (shas: readonly string[]) => Promise<Map<string, string[]> | null>;

/**
 * A revert finder over every ref of the repository at `root`, reading
 * `git log --all` once. Null when `root` is not a git repository or git is
 * not available.
 *
 * @param root The worktree root.
 * @returns The finder.
 */
export function gitRevertFinder(root: string): RevertFinder {
  let reverts: Promise<{ sha: string; reverted: string[] }[] | null> | null = null;
  return async (shas) => {
    reverts ??= _readReverts(root);
    const all = await reverts;
    if (all === null) return null;
    const out = new Map<string, string[]>();
    for (const sha of shas) {
      const by = all.filter((r) =>
        r.sha !== sha && r.reverted.some((x) => sha.startsWith(x) || x.startsWith(sha))
      ).map((r) => r.sha);
      if (by.length > 0) out.set(sha, by.sort());
    }
    return out;
  };
}

/**
 * The commits a message says it reverts.
 *
 * @param message A commit message.
 * @returns Abbreviated or full shas, lowercase.
 *
 * @example
 * ```ts
 * import { revertedShas } from "./reverts.ts";
 * const m = 'Revert "x"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n';
 * console.assert(revertedShas(m)[0] === "0123456789abcdef0123456789abcdef01234567");
 * ```
 */
export function revertedShas(message: string): string[] {
  return [...message.matchAll(/This reverts commit ([0-9a-fA-F]{7,64})/g)].map((m) =>
    m[1]!.toLowerCase()
  );
}

async function _readReverts(root: string): Promise<{ sha: string; reverted: string[] }[] | null> {
  try {
    const out = await new Deno.Command("git", {
      args: ["log", "--all", "--format=%H%x00%B%x1e"],
      cwd: root,
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).output();
    if (!out.success) return null;
    const text = new TextDecoder().decode(out.stdout);
    const commits: { sha: string; reverted: string[] }[] = [];
    for (const rec of text.split("\x1e")) {
      const i = rec.indexOf("\x00");
      if (i < 0) continue;
      const reverted = revertedShas(rec.slice(i + 1));
      if (reverted.length > 0) commits.push({ sha: rec.slice(0, i).trim(), reverted });
    }
    return commits;
  } catch {
    return null;
  }
}
