/**
 * The branch a mission merges into, resolved as spec-kitty resolves it
 * (`resolve_merge_target_branch`): an explicit `--target`, else meta.json
 * `merge_target_branch`, else meta.json `target_branch`, else the
 * repository's default branch. lanes.json's `target_branch` does not decide
 * it; when it disagrees, the merge payloads carry a warning.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import type { GitRunner } from "../git/mod.ts";

/** Where the target came from. */
export type MergeTargetSource =
  | "flag"
  | "meta.json merge_target_branch"
  | "meta.json target_branch"
  | "default_branch";

/** The resolved merge target. */
export interface MergeTarget {
  /** The branch. */
  branch: string;
  /** Where it came from. */
  source: MergeTargetSource;
}

/** lanes.json names another target than meta.json (or the default branch). */
export interface TargetDisagreementWarning {
  /** `LANES_TARGET_DISAGREES`. */
  code: "LANES_TARGET_DISAGREES";
  /** lanes.json `target_branch`. */
  lanes_json_target: string;
  /** The meta.json target (`merge_target_branch`, else `target_branch`), or null. */
  meta_json_target: string | null;
  /** The branch the merge uses. */
  target_branch: string;
  /** Where that branch came from. */
  target_source: MergeTargetSource;
  /** One human line. */
  message: string;
}

/** A lane merge a killed keel merge left behind was recovered before merging again. */
export interface AbandonedMergeWarning {
  /** `ABANDONED_MERGE_RECOVERED`. */
  code: "ABANDONED_MERGE_RECOVERED";
  /** `aborted` (it never finished) or `cleared` (committed; leftover merge state removed). */
  action: "aborted" | "cleared";
  /** The lane tip that merge was merging. */
  tip: string;
  /** The target commit it started from (HEAD again after the abort). */
  head: string;
  /** One human line. */
  message: string;
}

/** A warning in the merge payloads. */
export type MergeWarning = TargetDisagreementWarning | AbandonedMergeWarning;

/** The branches spec-kitty probes when nothing else names the default branch. */
const COMMON_PRIMARY_BRANCHES = ["main", "master", "develop"] as const;

/**
 * The meta.json target: `merge_target_branch`, else `target_branch` (the
 * first non-empty string), else null.
 *
 * @param meta meta.json.
 * @param metaPath Repository-relative meta.json (for errors).
 * @returns The branch and the key it came from, or null.
 * @throws {KeelError} `MISSION_META_INVALID` when the key holds a non-string value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { metaTarget } from "./merge_target.ts";
 * const meta = { target_branch: "main", merge_target_branch: "pr/x" };
 * assert.deepEqual(metaTarget(meta, "m/meta.json"), {
 *   branch: "pr/x", source: "meta.json merge_target_branch",
 * });
 * assert.equal(metaTarget({ merge_target_branch: "" }, "m/meta.json"), null);
 * ```
 */
export function metaTarget(meta: Record<string, unknown>, metaPath: string): MergeTarget | null {
  for (const key of ["merge_target_branch", "target_branch"] as const) {
    const value = meta[key];
    if (value === undefined || value === null || value === "" || value === false) continue;
    if (typeof value !== "string") {
      throw new KeelError("MISSION_META_INVALID", `${metaPath}: ${key} is not a string`, {
        data: { path: metaPath, reason: `${key} is not a string` },
      });
    }
    return { branch: value, source: `meta.json ${key}` };
  }
  return null;
}

/**
 * The repository's default branch as spec-kitty determines it
 * (`resolve_primary_branch`): the branch `refs/remotes/origin/HEAD` points
 * at; else the checked-out branch; else the first of `main`, `master`,
 * `develop` that resolves; else `main`. (spec-kitty keeps only the last path
 * segment of the origin branch, so `origin/release/v2` becomes `v2`, a branch
 * that may not exist; keel keeps the whole name.)
 *
 * @param git The git port.
 * @param root The work tree.
 * @returns The branch name.
 */
export async function defaultBranch(git: GitRunner, root: string): Promise<string> {
  const origin = await git(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], root);
  const ref = origin.code === 0 ? origin.stdout.trim() : "";
  if (ref.startsWith("refs/remotes/origin/") && ref.length > "refs/remotes/origin/".length) {
    return ref.slice("refs/remotes/origin/".length);
  }
  const current = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], root);
  if (current.code === 0 && current.stdout.trim() !== "") return current.stdout.trim();
  for (const name of COMMON_PRIMARY_BRANCHES) {
    const out = await git(["rev-parse", "--verify", "--quiet", name], root);
    if (out.code === 0) return name;
  }
  return "main";
}

/**
 * Resolve the merge target: `explicit` > meta.json `merge_target_branch` >
 * meta.json `target_branch` > the default branch. Every name is checked by
 * git's branch-name rules ({@link isValidBranchName}).
 *
 * @param meta meta.json.
 * @param options `explicit` (`--target`), `metaPath`, the git port and work tree.
 * @returns The branch and its source.
 * @throws {KeelError} `USAGE` for an invalid `--target`; `MISSION_META_INVALID`
 *   for an invalid meta.json value.
 */
export async function resolveMergeTarget(
  meta: Record<string, unknown>,
  options: { explicit?: string | undefined; metaPath: string; git: GitRunner; root: string },
): Promise<MergeTarget> {
  const target: MergeTarget = options.explicit !== undefined
    ? { branch: options.explicit, source: "flag" }
    : metaTarget(meta, options.metaPath) ??
      { branch: await defaultBranch(options.git, options.root), source: "default_branch" };
  if (!isValidBranchName(target.branch)) {
    if (target.source === "flag") {
      throw new KeelError(
        "USAGE",
        `--target ${JSON.stringify(target.branch)} is not a valid branch name`,
      );
    }
    throw new KeelError(
      "MISSION_META_INVALID",
      `${options.metaPath}: ${target.source.replace("meta.json ", "")} ${
        JSON.stringify(target.branch)
      } is not a valid branch name`,
      { data: { path: options.metaPath, reason: `invalid branch name ${target.branch}` } },
    );
  }
  return target;
}

/**
 * The warning when lanes.json's `target_branch` differs from meta.json's
 * target (or, when meta.json names none, from the branch the merge uses).
 *
 * @param lanesTarget lanes.json `target_branch`.
 * @param meta The meta.json target, or null.
 * @param target The resolved target.
 * @returns Zero or one warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { targetWarnings } from "./merge_target.ts";
 * const meta = { branch: "pr/x", source: "meta.json target_branch" } as const;
 * const w = targetWarnings("main", meta, meta);
 * assert.equal(w[0]?.code, "LANES_TARGET_DISAGREES");
 * assert.deepEqual(targetWarnings("pr/x", meta, meta), []);
 * ```
 */
export function targetWarnings(
  lanesTarget: string,
  meta: MergeTarget | null,
  target: MergeTarget,
): MergeWarning[] {
  const other = meta?.branch ?? target.branch;
  if (lanesTarget === other) return [];
  const against = meta === null ? `the default branch ${other}` : `${meta.source} ${other}`;
  return [{
    code: "LANES_TARGET_DISAGREES",
    lanes_json_target: lanesTarget,
    meta_json_target: meta?.branch ?? null,
    target_branch: target.branch,
    target_source: target.source,
    message: `lanes.json names ${lanesTarget} as target_branch, but ${against}; ` +
      `merging into ${target.branch} (${target.source}).`,
  }];
}

/**
 * Whether `name` is a valid branch name by git's rules (`git check-ref-format
 * --branch`, without the `@{-N}` shorthand): no empty component or one that
 * starts with `.` or ends with `.lock`; no `..`, `@{`, control characters,
 * space, `~ ^ : ? * [ \\`; not `@`; no leading `-` or `/`, no trailing `/` or `.`.
 *
 * @param name A branch name.
 * @returns True when git would accept it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isValidBranchName } from "./merge_target.ts";
 * assert.equal(isValidBranchName("pr/feature-x"), true);
 * for (const bad of ["a..b", "-x", "a b", "x.lock", "a//b", "a/", "@", "x@{1}", ""]) {
 *   assert.equal(isValidBranchName(bad), false, bad);
 * }
 * ```
 */
export function isValidBranchName(name: string): boolean {
  if (name === "" || name === "@" || name.startsWith("-")) return false;
  if (name.includes("..") || name.includes("@{") || name.endsWith(".")) return false;
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name.split("/").every((c) => c !== "" && !c.startsWith(".") && !c.endsWith(".lock"));
}
