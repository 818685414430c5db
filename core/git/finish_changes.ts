/**
 * Turning raw tree differences into {@link FileChange}s, identically for both
 * adapters: exact-content rename pairing and path order.
 *
 * @module
 */

import type { FileChange } from "./types.ts";

/** One path that differs between two trees (no renames yet). */
export interface RawChange {
  /** `A`, `D`, `M` or `T`. */
  status: "A" | "D" | "M" | "T";
  /** Repo-relative path. */
  path: string;
  /** Old mode as octal text (`000000` when absent). */
  oldMode: string;
  /** New mode as octal text (`000000` when absent). */
  newMode: string;
  /** Old blob id (all zeros when absent). */
  oldOid: string;
  /** New blob id (all zeros when absent). */
  newOid: string;
}

/**
 * Pair deleted and added paths with identical content into renames, then sort
 * by path (UTF-16 code unit order).
 *
 * Pairing follows git's exact rename detection (`-M100%`): added paths are
 * visited in path order; each takes, among the not yet used deleted paths
 * with the same blob id (and the same mode unless both are regular files),
 * the first (in path order) with the same file name, else the first one.
 *
 * @param raw Differences between two trees or tree and index.
 * @returns Sorted changes with renames.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { finishChanges } from "./finish_changes.ts";
 * const z = "0".repeat(40), b = "1".repeat(40);
 * const out = finishChanges([
 *   { status: "D", path: "a", oldMode: "100644", newMode: "000000", oldOid: b, newOid: z },
 *   { status: "A", path: "b", oldMode: "000000", newMode: "100644", oldOid: z, newOid: b },
 * ]);
 * assert.ok(out[0]?.status === "R" && out[0]?.oldPath === "a");
 * ```
 */
export function finishChanges(raw: readonly RawChange[]): FileChange[] {
  // Without a deleted path or without an added one there is no rename to pair.
  if (!raw.some((c) => c.status === "D") || !raw.some((c) => c.status === "A")) {
    return raw.map((c): FileChange => ({ path: c.path, status: c.status })).sort(comparePaths);
  }
  const sources = raw.filter((c) => c.status === "D").sort(_byPath);
  const dests = raw.filter((c) => c.status === "A").sort(_byPath);
  const used = new Set<RawChange>();
  const renamedTo = new Map<RawChange, RawChange>();
  const byOid = new Map<string, RawChange[]>();
  for (const s of sources) {
    const list = byOid.get(s.oldOid);
    if (list === undefined) byOid.set(s.oldOid, [s]);
    else list.push(s);
  }
  for (const d of dests) {
    const candidates = byOid.get(d.newOid);
    if (candidates === undefined) continue;
    let best: RawChange | undefined;
    for (const s of candidates) {
      if (used.has(s)) continue;
      if (!(_isRegular(s.oldMode) && _isRegular(d.newMode)) && s.oldMode !== d.newMode) continue;
      if (_basename(s.path) === _basename(d.path)) {
        best = s;
        break;
      }
      best ??= s;
    }
    if (best !== undefined) {
      used.add(best);
      renamedTo.set(d, best);
    }
  }
  const out: FileChange[] = [];
  for (const c of raw) {
    if (used.has(c)) continue;
    const from = renamedTo.get(c);
    if (from !== undefined) out.push({ path: c.path, status: "R", oldPath: from.path });
    else out.push({ path: c.path, status: c.status });
  }
  return out.sort(comparePaths);
}

/**
 * Order by path, then by status (a path can be both deleted and added when a
 * file becomes a directory's sibling of the same name).
 *
 * @param a A change.
 * @param b Another change.
 * @returns Negative, zero or positive.
 */
export function comparePaths(a: FileChange, b: FileChange): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.status < b.status ? -1 : 1;
}

/**
 * The kind of a git mode: `regular` (100644/100755), `symlink`, `gitlink`,
 * `tree` or `none` (000000).
 *
 * @param mode Octal mode text.
 * @returns The kind.
 */
export function modeKind(mode: string): "regular" | "symlink" | "gitlink" | "tree" | "none" {
  const m = parseInt(mode, 8);
  if (m === 0) return "none";
  switch (m & 0o170000) {
    case 0o100000:
      return "regular";
    case 0o120000:
      return "symlink";
    case 0o160000:
      return "gitlink";
    default:
      return "tree";
  }
}

function _isRegular(mode: string): boolean {
  return modeKind(mode) === "regular";
}

function _basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function _byPath(a: RawChange, b: RawChange): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
