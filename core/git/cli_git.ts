/**
 * The git port over the git CLI: `git` spawned without a shell, NUL-separated
 * output everywhere, one `git log` per range.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import { finishChanges, type RawChange } from "./finish_changes.ts";
import { matchReverts, REVERT_MARKER } from "./match_reverts.ts";
import { orderCommits } from "./order_commits.ts";
import { parseCommitMessage } from "./parse_message.ts";
import { parseRevision, unknownRevision } from "./revision.ts";
import { launchGit } from "./run_git.ts";
import type { CommitInfo, FileChange, GitPort, RevertInfo, WorktreeStatus } from "./types.ts";

/** Where a worktree's files live, as found by git. */
export interface RepoLocation {
  /** Top level of the worktree. */
  worktreeRoot: string;
  /** Common git directory. */
  commonDir: string;
  /** This worktree's git directory. */
  gitDir: string;
  /** HEAD's commit, when it was read while locating (`prefetch`). */
  head?: string;
  /** The prefetched full shas found to name commits while locating. */
  commits?: readonly string[];
}

const _GLOBAL = [
  "--no-replace-objects",
  "-c",
  "core.quotepath=off",
  "-c",
  "color.ui=false",
  "-c",
  "log.showSignature=false",
  "-c",
  "i18n.logOutputEncoding=UTF-8",
  "-c",
  "diff.relative=false",
];

const _DROPPED_ENV = new Set([
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
  "GIT_GRAFT_FILE",
  "GIT_SHALLOW_FILE",
  "GIT_REPLACE_REF_BASE",
  "GIT_EXTERNAL_DIFF",
  "GIT_DIFF_OPTS",
]);

const _SEP = "\x01KEEL-COMMIT\x01";
const _ZERO = "0".repeat(40);
const _decoder = new TextDecoder();

/** Output of a finished git command. */
interface _Output {
  code: number;
  stdout: string;
}

/**
 * Run git in `cwd`; exit codes outside `okCodes` throw `GIT_FAILED`.
 *
 * @throws {KeelError} `GIT_UNAVAILABLE` when `git` cannot be started.
 */
async function _git(
  binary: string,
  cwd: string,
  args: readonly string[],
  okCodes: readonly number[] = [0],
): Promise<_Output> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!_DROPPED_ENV.has(k)) env[k] = v;
  }
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_OPTIONAL_LOCKS = "0";
  env.GIT_PAGER = "cat";
  env.LC_ALL = "C";
  let out;
  try {
    out = await launchGit([..._GLOBAL, ...args], { binary, cwd, env, clearEnv: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new KeelError("GIT_UNAVAILABLE", `The git executable cannot be started: ${binary}`, {
        data: { backend: "cli" },
        cause: error,
      });
    }
    throw error;
  }
  if (!okCodes.includes(out.code)) {
    const stderr = _decoder.decode(out.stderr).trim();
    throw new KeelError("GIT_FAILED", `git ${args.join(" ")} failed: ${stderr}`, {
      data: { args: [...args], stderr, exitCode: out.code },
    });
  }
  return { code: out.code, stdout: _decoder.decode(out.stdout) };
}

/**
 * Locate the worktree around `cwd` with the git CLI.
 *
 * With `prefetch`, the same process also resolves HEAD and those full shas
 * (`rev-parse` prints each commit's sha, and at the first it cannot resolve
 * prints that argument and stops): what it resolved is returned, anything
 * else is left for the port to resolve when asked. Should that process fail
 * for any other reason, the location is read again without them.
 *
 * @param cwd A directory inside the worktree.
 * @param binary The git executable (default `git`, looked up on PATH).
 * @param prefetch Full commit shas to check while locating (HEAD is read too).
 * @returns Real paths of the worktree root, common dir and git dir.
 * @throws {KeelError} `REPO_NOT_FOUND` outside a worktree; `GIT_UNAVAILABLE` without git.
 */
export async function locateWithCli(
  cwd: string,
  binary = "git",
  prefetch: readonly string[] = [],
): Promise<RepoLocation> {
  try {
    if (!(await Deno.stat(cwd)).isDirectory) throw new Error("not a directory");
  } catch {
    throw new KeelError("REPO_NOT_FOUND", `Not inside a git worktree: ${cwd}`, {
      data: { path: cwd },
    });
  }
  const shas = prefetch.filter((s) => _FULL_SHA.test(s));
  const revs = ["HEAD", ...shas].map((r) => `${r}^{commit}`);
  const located = [
    "rev-parse",
    "--path-format=absolute",
    "--show-toplevel",
    "--git-common-dir",
    "--absolute-git-dir",
  ];
  let out = await _git(binary, cwd, prefetch.length > 0 ? [...located, ...revs] : located, [
    0,
    128,
  ]);
  let lines = out.stdout.split("\n");
  const found: string[] = [];
  if (prefetch.length > 0) {
    // Each rev's line is its sha, or the rev itself where rev-parse stopped.
    for (let i = 0; i < revs.length && _FULL_SHA.test(lines[3 + i] ?? ""); i++) {
      found.push(lines[3 + i]!);
    }
    const stoppedAtRev = out.code === 128 && lines[3 + found.length] === revs[found.length];
    if (out.code !== 0 && !stoppedAtRev) {
      out = await _git(binary, cwd, located, [0, 128]);
      lines = out.code === 0 ? out.stdout.split("\n") : [];
      found.length = 0;
    }
  } else if (out.code !== 0) lines = [];
  if (lines.length < 3 || lines[0] === "") {
    throw new KeelError("REPO_NOT_FOUND", `Not inside a git worktree: ${cwd}`, {
      data: { path: cwd },
    });
  }
  const location: RepoLocation = {
    worktreeRoot: await Deno.realPath(lines[0]!),
    commonDir: await Deno.realPath(lines[1]!),
    gitDir: await Deno.realPath(lines[2]!),
  };
  if (found.length > 0) {
    location.head = found[0]!;
    // A sha that resolved to itself names a commit.
    location.commits = shas.slice(0, found.length - 1).filter((s, i) => found[i + 1] === s);
  }
  return location;
}

const _FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * A {@link GitPort} backed by the git CLI.
 *
 * @param location Where the worktree is (from {@link locateWithCli}).
 * @param binary The git executable (default `git`).
 * @returns The port.
 */
export function cliGit(location: RepoLocation, binary = "git"): GitPort {
  const cwd = location.worktreeRoot;
  const run = (args: readonly string[], okCodes?: readonly number[]) =>
    _git(binary, cwd, args, okCodes);

  // A full sha once verified to name a commit keeps naming it: verified (and
  // in-flight) lookups of full shas are shared, so a command that resolves the
  // same base and head in several steps starts one git process per sha.
  const verified = new Map<string, Promise<string | null>>();
  for (const sha of [location.head, ...(location.commits ?? [])]) {
    if (sha !== undefined) verified.set(sha, Promise.resolve(sha));
  }

  async function _verify(ref: string): Promise<string | null> {
    const out = await run(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], [
      0,
      1,
      128,
    ]);
    const sha = out.stdout.trim();
    if (out.code !== 0 || !/^[0-9a-f]{40}$/.test(sha)) return null;
    if (!verified.has(sha)) verified.set(sha, Promise.resolve(sha));
    return sha;
  }

  function resolveRef(ref: string): Promise<string | null> {
    if (parseRevision(ref) === null) return Promise.resolve(null);
    if (!/^[0-9a-f]{40}$/.test(ref)) return _verify(ref);
    let p = verified.get(ref);
    if (p === undefined) {
      p = _verify(ref);
      verified.set(ref, p);
      // Only a positive answer is kept; a sha not found may be fetched later.
      p.then((sha) => sha === null && verified.delete(ref), () => verified.delete(ref));
    }
    return p;
  }

  async function _mustResolve(operation: string, ref: string): Promise<string> {
    const sha = await resolveRef(ref);
    if (sha === null) throw unknownRevision(operation, ref);
    return sha;
  }

  return {
    backend: "cli",
    ...(location.head === undefined ? {} : { headAtOpen: location.head }),
    head: () => resolveRef("HEAD"),
    async currentBranch() {
      const out = await run(["symbolic-ref", "--quiet", "HEAD"], [0, 1]);
      const ref = out.stdout.trim();
      if (out.code !== 0 || ref === "") return null;
      return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
    },
    worktreeRoot: () => Promise.resolve(location.worktreeRoot),
    commonDir: () => Promise.resolve(location.commonDir),
    gitDir: () => Promise.resolve(location.gitDir),
    async commitsInRange(base, head) {
      const [b, h] = await Promise.all([
        _mustResolve("commitsInRange", base),
        _mustResolve("commitsInRange", head),
      ]);
      const out = await run([
        "log",
        "-z",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "--root",
        "--diff-merges=first-parent",
        "--no-ext-diff",
        "--ignore-submodules=none",
        `--format=${_SEP}%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%ct%x00%B`,
        h,
        `^${b}`,
        "--",
      ]);
      return orderCommits(_parseLog(out.stdout));
    },
    async worktreeStatus() {
      const out = await run([
        "status",
        "--porcelain=v2",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--ignore-submodules=all",
      ]);
      return _parseStatus(out.stdout);
    },
    async isAncestor(a, b) {
      const [x, y] = await Promise.all([
        _mustResolve("isAncestor", a),
        _mustResolve("isAncestor", b),
      ]);
      const out = await run(["merge-base", "--is-ancestor", x, y], [0, 1]);
      return out.code === 0;
    },
    resolveRef,
    async findReverts(shas, sinceRef) {
      if (shas.length === 0) return [];
      const head = await resolveRef("HEAD");
      if (head === null) return [];
      const args = [
        "log",
        "-z",
        "--fixed-strings",
        `--grep=${REVERT_MARKER}`,
        `--format=%H%x00%P%x00%ct%x00%B`,
        head,
      ];
      if (sinceRef !== undefined) args.push(`^${await _mustResolve("findReverts", sinceRef)}`);
      args.push("--");
      const out = await run(args);
      const tokens = out.stdout.split("\0");
      const commits: { sha: string; parents: string[]; committedAt: number; message: string }[] =
        [];
      for (let i = 0; i + 3 < tokens.length; i += 4) {
        commits.push({
          sha: tokens[i]!.replace(/^\n/, ""),
          parents: tokens[i + 1]! === "" ? [] : tokens[i + 1]!.split(" "),
          committedAt: Number(tokens[i + 2]),
          message: tokens[i + 3]!,
        });
      }
      return matchReverts(orderCommits(commits), shas) satisfies RevertInfo[];
    },
  };
}

function _parseLog(stdout: string): CommitInfo[] {
  const tokens = stdout.split("\0");
  const commits: CommitInfo[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t !== _SEP && t !== `\n${_SEP}`) {
      i++;
      continue;
    }
    const [sha, parents, author, authorEmail, authoredAt, ct, message] = tokens.slice(i + 1, i + 8);
    i += 8;
    const raw: RawChange[] = [];
    while (i < tokens.length) {
      const tok = tokens[i]!;
      if (tok === "") {
        i++;
        continue;
      }
      // `:<old mode> <new mode> <old oid> <new oid> <status>`, fixed widths
      // after the modes (full oids), read by position.
      const at = tok.charCodeAt(0) === 10 ? 1 : 0;
      if (tok.charCodeAt(at) !== 58 /* : */) break;
      const s1 = tok.indexOf(" ", at + 1);
      const s2 = tok.indexOf(" ", s1 + 1);
      const s3 = tok.indexOf(" ", s2 + 1);
      const s4 = tok.indexOf(" ", s3 + 1);
      raw.push({
        status: (s4 < 0 ? "M" : tok.charAt(s4 + 1) || "M") as RawChange["status"],
        path: tokens[i + 1]!,
        oldMode: tok.slice(at + 1, s1),
        newMode: tok.slice(s1 + 1, s2),
        oldOid: tok.slice(s2 + 1, s3),
        newOid: s4 < 0 ? tok.slice(s3 + 1) : tok.slice(s3 + 1, s4),
      });
      i += 2;
    }
    const parsed = parseCommitMessage(message ?? "");
    commits.push({
      sha: sha!,
      parents: parents === "" || parents === undefined ? [] : parents.split(" "),
      subject: parsed.subject,
      body: parsed.body,
      trailers: parsed.trailers,
      author: author ?? "",
      authorEmail: authorEmail ?? "",
      authoredAt: authoredAt ?? "",
      committedAt: Number(ct),
      files: finishChanges(raw),
    });
  }
  return commits;
}

function _parseStatus(stdout: string): WorktreeStatus {
  const tokens = stdout.split("\0");
  const staged: RawChange[] = [];
  const unstaged: FileChange[] = [];
  const untracked: string[] = [];
  for (const tok of tokens) {
    if (tok.startsWith("? ")) {
      untracked.push(tok.slice(2));
    } else if (tok.startsWith("1 ")) {
      // 1 XY sub mH mI mW hH hI path
      const parts = tok.split(" ");
      const xy = parts[1]!;
      const [mH, mI, mW, hH, hI] = parts.slice(3, 8) as [string, string, string, string, string];
      const path = parts.slice(8).join(" ");
      const x = xy.charAt(0), y = xy.charAt(1);
      if (x !== ".") {
        staged.push({
          status: x as RawChange["status"],
          path,
          oldMode: mH,
          newMode: mI,
          oldOid: x === "A" ? _ZERO : hH,
          newOid: x === "D" ? _ZERO : hI,
        });
      }
      if (y !== "." && mW !== undefined) {
        unstaged.push({ path, status: y === "A" ? "A" : y as FileChange["status"] });
      }
    } else if (tok.startsWith("u ")) {
      const parts = tok.split(" ");
      unstaged.push({ path: parts.slice(10).join(" "), status: "M" });
    }
  }
  return {
    staged: finishChanges(staged),
    unstaged: unstaged.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    untracked: untracked.sort(),
  };
}
