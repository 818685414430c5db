/**
 * Read what a run did from git and the filesystem: commits `base..HEAD`
 * with their files, uncommitted changes, whether the base is still an
 * ancestor, and the contract's current digests.
 *
 * @module
 */

import type { RunReport } from "../../schemas/run_report.ts";
import { contractStatus } from "../status/mod.ts";
import { ARTIFACT_FILES, type KeelLayout } from "../layout/mod.ts";
import type { OpContext } from "../context.ts";
import {
  baseIsAncestor as baseIsAncestorOf,
  type FileChange,
  type GitPort,
  openGit,
  type WorktreeStatus,
} from "../git/mod.ts";
import type { DriftWorktree } from "../drift/mod.ts";
import type { RunFacts } from "./apply_analysis.ts";
import { attributesWithoutKeel, unchangedPreexisting } from "./worktree_snapshot.ts";
import { readBypassedCommits } from "../run_store/mod.ts";
import { runDir } from "../run_store/mod.ts";

/** The commits of `base..HEAD` and how they were found. */
export interface RangeRead {
  head: string | null;
  commits: Awaited<ReturnType<GitPort["commitsInRange"]>>;
  baseIsAncestor: boolean;
  /** Which commits were analysed, in words. */
  range: string;
}

/** The reads of a run's facts that do not depend on its validated report. */
export interface StartedGitReads {
  /** The opened repository. */
  git: Promise<GitPort>;
  /** HEAD's commit (`null` before the first commit). */
  head: Promise<string | null>;
  /** The worktree's changes. */
  status: Promise<WorktreeStatus>;
  /**
   * The range from `base` (`null`: the run started before the first
   * commit) to HEAD, started on the first call for that base and shared by
   * later ones.
   */
  range(base: string | null): Promise<RangeRead>;
}

/**
 * Open the repository and start reading HEAD and the worktree status — the
 * slowest git call on a large worktree — so they run while the report loads;
 * `range(base)` may be started as soon as the base commit is read from the
 * report's text. A failure surfaces, unchanged, where
 * {@link collectRunFacts} awaits it.
 *
 * @param ctx Operation context (`cwd`, `gitBackend`).
 * @param base The run's base commit, when known already: checked (with
 *   HEAD) by the process that locates the repository.
 * @returns The started reads.
 */
export function startGitReads(ctx: OpContext, base?: string | null): StartedGitReads {
  const git = openGit(ctx.cwd, {
    backend: ctx.gitBackend,
    prefetch: typeof base === "string" ? [base] : [],
  });
  const head = git.then((g) => g.headAtOpen ?? g.head());
  const status = git.then((g) => g.worktreeStatus());
  for (const p of [git, head, status]) p.catch(() => {});
  const ranges = new Map<string | null, Promise<RangeRead>>();
  return {
    git,
    head,
    status,
    range(base) {
      let r = ranges.get(base);
      if (r === undefined) {
        r = git.then((g) => _readRange(g, head, base));
        r.catch(() => {});
        ranges.set(base, r);
      }
      return r;
    },
  };
}

/**
 * The commits of `base..HEAD`, read as soon as HEAD and the base are
 * resolved, while git status (the slowest call on a large worktree) may
 * still be running.
 */
async function _readRange(
  git: GitPort,
  headRead: Promise<string | null>,
  base: string | null,
): Promise<RangeRead> {
  const [head, baseSha] = await Promise.all([
    headRead,
    base === null ? null : git.resolveRef(base).catch(() => null),
  ]);
  let commits: RangeRead["commits"] = [];
  let baseIsAncestor = true;
  let range: string;
  if (head === null) {
    range = "none: HEAD has no commit";
  } else if (base === null) {
    range = "none: the run started before the repository's first commit";
  } else if (baseSha === null) {
    baseIsAncestor = false;
    range = `none: the base commit ${base} no longer exists`;
  } else {
    commits = await git.commitsInRange(base, head);
    baseIsAncestor = baseIsAncestorOf(baseSha, head, commits);
    range = baseIsAncestor
      ? `${base}..${head}`
      : `${base}..${head} (base is not an ancestor: HEAD's commits since the merge-base)`;
  }
  return { head, commits, baseIsAncestor, range };
}

/**
 * Collect the facts a drift analysis needs.
 *
 * When the base commit is no longer an ancestor of HEAD the range
 * `base..HEAD` still names exactly HEAD's commits since the merge-base
 * (git excludes everything reachable from the base); when the base commit
 * no longer exists, no commit can be attributed to the run and none is
 * analysed. `range` says which case applied.
 *
 * @param report The run report.
 * @param layout Where .keel is.
 * @param ctx Operation context (`gitBackend` picks the adapter).
 * @param started The repository's reads already started by
 *   {@link startGitReads} (while the report loads); started here when absent.
 * @returns The facts.
 * @throws {KeelError} GIT_FAILED / GIT_UNAVAILABLE / REPO_NOT_FOUND from the git port.
 */
export async function collectRunFacts(
  report: RunReport,
  layout: KeelLayout,
  ctx: OpContext,
  started?: StartedGitReads,
): Promise<RunFacts> {
  if (report.state === "finished") {
    const git = await (started?.git ?? openGit(ctx.cwd, { backend: ctx.gitBackend }));
    return await _recordedFacts(report, git, layout);
  }
  const early = started ?? startGitReads(ctx);
  const git = await early.git;
  const range = early.range(report.meta.base_commit);
  const [{ head, commits, baseIsAncestor, range: rangeText }, status, statuses, bypassedCommits] =
    await Promise.all([
      range,
      early.status,
      contractStatus(layout, report.contract),
      readBypassedCommits(runDir(layout, report.run_id)),
    ]);
  const digest = (kind: "intent" | "tests" | "plan") =>
    statuses.find((s) => s.artifact === kind)?.digest ?? null;
  const root = await git.worktreeRoot();
  const ignoredPaths = (report.imports ?? []).map((i) => i.path).filter((p) => !p.startsWith("/"));
  if (
    report.meta.gitattributes_sha256 !== undefined &&
    (await attributesWithoutKeel(root)) === report.meta.gitattributes_sha256
  ) {
    ignoredPaths.push(".gitattributes");
  }
  return {
    ignoredPaths,
    preexisting: await unchangedPreexisting(root, report.preexisting ?? []),
    commits,
    worktree: _worktree(status),
    head,
    baseIsAncestor,
    range: rangeText,
    gitBackend: git.backend,
    currentDigests: { intent: digest("intent"), tests: digest("tests"), plan: digest("plan") },
    artifactPaths: _artifactPaths(report.contract),
    bypassedCommits,
  };
}

/**
 * The facts of a finished run, as recorded at finish: the commits of the
 * recorded range base..head (never anything later), the worktree, digests,
 * ignored and pre-existing paths the finish saw.
 */
async function _recordedFacts(
  report: RunReport,
  git: Awaited<ReturnType<typeof openGit>>,
  layout: KeelLayout,
): Promise<RunFacts> {
  const a = report.analysis;
  const base = report.meta.base_commit;
  const head = a?.head ?? null;
  let commits: RunFacts["commits"] = [];
  let range = a?.range ?? "none: the run was never analysed";
  const baseIsAncestor = a?.base_is_ancestor ?? true;
  if (base !== null && head !== null && a !== undefined && !a.range.startsWith("none")) {
    const [b, h] = await Promise.all([
      git.resolveRef(base).catch(() => null),
      git.resolveRef(head).catch(() => null),
    ]);
    if (b === null || h === null) range = `none: ${b === null ? base : head} no longer exists`;
    else commits = await git.commitsInRange(base, head);
  }
  const fromFiles = (src: "staged" | "unstaged" | "untracked") =>
    report.files.filter((f) => (f.sources ?? [f.source]).includes(src)).map((f) => f.path);
  const worktree: DriftWorktree = a?.worktree ??
    {
      staged: fromFiles("staged"),
      unstaged: fromFiles("unstaged"),
      untracked: fromFiles("untracked"),
    };
  return {
    bypassedCommits: await readBypassedCommits(runDir(layout, report.run_id)),
    ignoredPaths: a?.ignored_paths ?? [],
    preexisting: a?.preexisting ?? [],
    commits,
    worktree,
    head,
    baseIsAncestor,
    range,
    gitBackend: git.backend,
    currentDigests: a?.current_digests ?? _digestsFromFindings(report),
    artifactPaths: _artifactPaths(report.contract),
  };
}

/** Older reports: the digests at finish, read back from their findings. */
function _digestsFromFindings(report: RunReport): RunFacts["currentDigests"] {
  const out: RunFacts["currentDigests"] = { ...report.digests };
  for (const f of report.findings) {
    if (f.code !== "CONTRACT_CHANGED_DURING_RUN") continue;
    const kind = f.evidence.artifact;
    if (kind === "intent" || kind === "tests" || kind === "plan") {
      out[kind] = (f.evidence.digest_now as string | null | undefined) ?? null;
    }
  }
  return out;
}

function _worktree(s: WorktreeStatus): DriftWorktree {
  const paths = (xs: readonly FileChange[]) =>
    xs.flatMap((x) =>
      x.oldPath !== undefined && x.oldPath !== x.path ? [x.oldPath, x.path] : [x.path]
    );
  return { staged: paths(s.staged), unstaged: paths(s.unstaged), untracked: [...s.untracked] };
}

/** The contract's artifact paths, repo-relative (for the findings' evidence). */
function _artifactPaths(contract: string): RunFacts["artifactPaths"] {
  const path = (kind: "intent" | "tests" | "plan") =>
    `.keel/contracts/${contract}/${ARTIFACT_FILES[kind]}`;
  return { intent: path("intent"), tests: path("tests"), plan: path("plan") };
}
