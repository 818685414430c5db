/**
 * Every worktree of the repository, found from the git directory itself:
 * the main worktree and each linked one (`<common dir>/worktrees/<name>/gitdir`).
 * Used by `--all-worktrees` so one maintainer sees one picture.
 *
 * @module
 */

import { dirname, isAbsolute, join, resolve } from "node:path";
import { type KeelLayout, locateKeel } from "../layout/mod.ts";

/**
 * The layouts of every worktree of the repository `layout` is in, the given
 * one first. Outside git, or when the git directory cannot be read, only
 * `layout` itself.
 *
 * @param layout The current worktree's layout.
 * @returns Layouts, current first, the others sorted by path; no duplicates.
 */
export async function worktreeLayouts(layout: KeelLayout): Promise<KeelLayout[]> {
  if (!layout.inGit) return [layout];
  const common = await _commonDir(join(layout.root, ".git"));
  if (common === null) return [layout];
  const roots = new Set<string>();
  if (common.endsWith("/.git")) roots.add(dirname(common));
  try {
    for await (const e of Deno.readDir(join(common, "worktrees"))) {
      if (!e.isDirectory) continue;
      try {
        const gitFile = (await Deno.readTextFile(join(common, "worktrees", e.name, "gitdir")))
          .trim();
        const root = dirname(resolve(join(common, "worktrees", e.name), gitFile));
        if (_isDir(root)) roots.add(root);
      } catch {
        // a pruned worktree
      }
    }
  } catch {
    // no linked worktrees
  }
  const here = await _real(layout.root);
  const others: KeelLayout[] = [];
  for (const root of [...roots].sort()) {
    if ((await _real(root)) === here) continue;
    others.push(locateKeel(root));
  }
  return [layout, ...others];
}

async function _commonDir(dotGit: string): Promise<string | null> {
  try {
    const st = await Deno.stat(dotGit);
    if (st.isDirectory) return await _real(dotGit);
    const text = await Deno.readTextFile(dotGit);
    const m = /^gitdir:\s*(.+)$/m.exec(text);
    if (!m) return null;
    const gitDir = resolve(dirname(dotGit), m[1]!.trim());
    let common = gitDir;
    try {
      const rel = (await Deno.readTextFile(join(gitDir, "commondir"))).trim();
      common = isAbsolute(rel) ? rel : resolve(gitDir, rel);
    } catch {
      // a plain separate git dir
    }
    return await _real(common);
  } catch {
    return null;
  }
}

async function _real(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}

function _isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
