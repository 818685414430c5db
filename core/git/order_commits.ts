/**
 * The commit order both adapters return: parents before children.
 *
 * @module
 */

/** What ordering needs of a commit. */
export interface OrderableCommit {
  /** Full sha. */
  sha: string;
  /** Parent shas. */
  parents: readonly string[];
  /** Committer time, seconds since the epoch. */
  committedAt: number;
}

/**
 * Sort commits oldest first: every commit comes after those of its parents
 * that are in the list; among the commits whose listed parents are all
 * placed, the earliest committer time goes first, then the lowest sha.
 *
 * @param commits A set of commits (in any order).
 * @returns A new array in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { orderCommits } from "./order_commits.ts";
 * const out = orderCommits([
 *   { sha: "b", parents: ["a"], committedAt: 1 },
 *   { sha: "a", parents: [], committedAt: 2 },
 * ]);
 * assert.ok(out.map((c) => c.sha).join() === "a,b");
 * ```
 */
export function orderCommits<T extends OrderableCommit>(commits: readonly T[]): T[] {
  const bySha = new Map<string, T>();
  for (const c of commits) bySha.set(c.sha, c);
  const waiting = new Map<string, number>();
  const children = new Map<string, T[]>();
  for (const c of bySha.values()) {
    let n = 0;
    for (const p of new Set(c.parents)) {
      if (!bySha.has(p)) continue;
      n++;
      const list = children.get(p);
      if (list === undefined) children.set(p, [c]);
      else list.push(c);
    }
    waiting.set(c.sha, n);
  }
  const heap: T[] = [];
  for (const c of bySha.values()) if (waiting.get(c.sha) === 0) _push(heap, c);
  const out: T[] = [];
  while (heap.length > 0) {
    const c = _pop(heap);
    out.push(c);
    for (const child of children.get(c.sha) ?? []) {
      const n = waiting.get(child.sha)! - 1;
      waiting.set(child.sha, n);
      if (n === 0) _push(heap, child);
    }
  }
  return out;
}

function _less(a: OrderableCommit, b: OrderableCommit): boolean {
  return a.committedAt !== b.committedAt ? a.committedAt < b.committedAt : a.sha < b.sha;
}

function _push<T extends OrderableCommit>(heap: T[], item: T): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!_less(heap[i]!, heap[p]!)) break;
    [heap[i], heap[p]] = [heap[p]!, heap[i]!];
    i = p;
  }
}

function _pop<T extends OrderableCommit>(heap: T[]): T {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && _less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && _less(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
  return top;
}
