/**
 * Whether a range's base is an ancestor of its head, told from the range's
 * own commits (no git process).
 *
 * @module
 */

/**
 * Whether `base` is `head` or an ancestor of it, given the commits of
 * `base..head` (everything reachable from `head` and not from `base`, every
 * parent listed). On any path of parents from `head` down to `base`, the
 * commit just above `base` is reachable from `head` and not from `base`, so
 * it is in the range with `base` as a parent; a commit of the range with
 * `base` as a parent shows a path. So the answer is exactly "`base` is `head`,
 * or a parent of a commit of the range".
 *
 * @param base The base commit's full sha.
 * @param head HEAD's full sha.
 * @param range The commits of `base..head` with their parents.
 * @returns Whether `base` is `head` or one of its ancestors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baseIsAncestor } from "./range_ancestry.ts";
 * assert.equal(baseIsAncestor("b", "h", [{ parents: ["b"] }]), true);
 * assert.equal(baseIsAncestor("b", "h", [{ parents: ["x"] }]), false);
 * assert.equal(baseIsAncestor("h", "h", []), true);
 * ```
 */
export function baseIsAncestor(
  base: string,
  head: string,
  range: readonly { parents: readonly string[] }[],
): boolean {
  return base === head || range.some((c) => c.parents.includes(base));
}
