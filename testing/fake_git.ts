/**
 * Test support: a scripted git port. Each call is answered from a table keyed
 * by the arguments joined with spaces (exact match first, then the longest
 * key `<prefix> …` whose prefix starts them); an unscripted call throws, so a
 * test also proves which git calls an operation makes.
 *
 * @module
 */

import type { GitOutput, GitRunner } from "../core/git/mod.ts";

/** An answer: the output, or a function of the arguments and directory. */
export type FakeGitAnswer =
  | Partial<GitOutput>
  | ((args: readonly string[], cwd: string) => Partial<GitOutput>);

/** A scripted git port and the calls it received. */
export interface FakeGit {
  /** The port to pass as `git`. */
  git: GitRunner;
  /** Every call, as `[args joined with spaces, cwd]`. */
  calls: [string, string][];
}

/**
 * A git port answering from `table`.
 *
 * @param table `"rev-parse --show-toplevel"` → `{stdout: "/repo\n"}`; a key
 *   ending in ` …` matches every call that starts with it. `code` defaults to 0.
 * @returns The port and its call log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeGit } from "./fake_git.ts";
 * const f = fakeGit({ "rev-parse --show-toplevel": { stdout: "/r\n" }, "grep …": { code: 1 } });
 * assert.deepEqual(await f.git(["rev-parse", "--show-toplevel"], "/r"), {
 *   code: 0, stdout: "/r\n", stderr: "",
 * });
 * assert.equal((await f.git(["grep", "-e", "x"], "/r")).code, 1);
 * await assert.rejects(f.git(["status"], "/r"), /unscripted git call: git status/);
 * ```
 */
export function fakeGit(table: Record<string, FakeGitAnswer>): FakeGit {
  const calls: [string, string][] = [];
  const prefixes = Object.keys(table).filter((k) => k.endsWith(" …"))
    .sort((a, b) => b.length - a.length);
  const git: GitRunner = (args, cwd) => {
    const key = args.join(" ");
    calls.push([key, cwd]);
    const prefix = prefixes.find((p) => key.startsWith(p.slice(0, -2)));
    const hit = Object.hasOwn(table, key)
      ? table[key]
      : prefix === undefined
      ? undefined
      : table[prefix];
    if (hit === undefined) return Promise.reject(new Error(`unscripted git call: git ${key}`));
    const out = typeof hit === "function" ? hit(args, cwd) : hit;
    return Promise.resolve({ code: 0, stdout: "", stderr: "", ...out });
  };
  return { git, calls };
}
