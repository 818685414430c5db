/**
 * What the worktree held before a run: the paths already dirty or untracked
 * at `run start` (with their content digests, so finish can tell whether
 * the run changed them further), and `.gitattributes` without keel's own
 * line.
 *
 * @module
 */

import { join } from "../util/mod.ts";
import type { PreexistingPath } from "../../schemas/run_report.ts";
import { isKeelPath, KEEL_ATTRIBUTES_LINE } from "../layout/mod.ts";
import type { WorktreeStatus } from "../git/mod.ts";
import { sha256Bytes, sha256File } from "../util/mod.ts";
import { safeReadTextFile } from "../store/mod.ts";

/**
 * The dirty and untracked paths of a worktree status (keel's own excluded),
 * each with the sha256 of its content now.
 *
 * @param root Worktree root.
 * @param status The git status.
 * @returns The paths, sorted.
 */
export async function snapshotPreexisting(
  root: string,
  status: WorktreeStatus,
): Promise<PreexistingPath[]> {
  const states = new Map<string, PreexistingPath["state"]>();
  const add = (paths: readonly string[], state: PreexistingPath["state"]) => {
    for (const p of paths) if (!isKeelPath(p) && !states.has(p)) states.set(p, state);
  };
  const flat = (xs: WorktreeStatus["staged"]) =>
    xs.flatMap((x) =>
      x.oldPath !== undefined && x.oldPath !== x.path ? [x.oldPath, x.path] : [x.path]
    );
  add(flat(status.staged), "staged");
  add(flat(status.unstaged), "unstaged");
  add(status.untracked, "untracked");
  const out: PreexistingPath[] = [];
  for (const [path, state] of [...states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push({ path, state, sha256: await sha256File(join(root, path)) });
  }
  return out;
}

/**
 * The preexisting paths whose content is still what it was at start.
 *
 * @param root Worktree root.
 * @param preexisting The snapshot from start.
 * @returns Their paths.
 */
export async function unchangedPreexisting(
  root: string,
  preexisting: readonly PreexistingPath[],
): Promise<string[]> {
  const out: string[] = [];
  for (const p of preexisting) {
    if ((await sha256File(join(root, p.path))) === p.sha256) out.push(p.path);
  }
  return out;
}

/**
 * sha256 of `.gitattributes` with keel's own line and blank lines removed (an
 * absent file reads as empty; null when it is not a regular file).
 *
 * @param root Worktree root.
 * @returns The digest.
 */
export async function attributesWithoutKeel(root: string): Promise<string | null> {
  const path = join(root, ".gitattributes");
  try {
    const st = await Deno.lstat(path).catch(() => null);
    if (st !== null && !st.isFile) return null;
    const text = st === null ? "" : await safeReadTextFile(path);
    const kept = text.split("\n").filter((l) => l.trim() !== KEEL_ATTRIBUTES_LINE && l !== "");
    return await sha256Bytes(new TextEncoder().encode(kept.join("\n")));
  } catch {
    return null;
  }
}
