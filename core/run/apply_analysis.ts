/**
 * Put a drift analysis into a run report: commits, files, findings, the
 * analysis block and the verdict; accepted deviations follow their findings
 * (by key) when a re-analysis renumbers them.
 *
 * @module
 */

import type { Deviation, RunReport } from "../../schemas/run_report.ts";
import {
  analyzeDrift,
  type ArtifactDigests,
  type DriftCommit,
  type DriftWorktree,
} from "../drift/mod.ts";
import { computeVerdict } from "../drift/mod.ts";

/** What git and the filesystem say about a run (see `collectRunFacts`). */
export interface RunFacts {
  /** Commits analysed, oldest first. */
  commits: DriftCommit[];
  /** Uncommitted changes. */
  worktree: DriftWorktree | null;
  /** HEAD now. */
  head: string | null;
  /** Whether the run's base commit is an ancestor of HEAD. */
  baseIsAncestor: boolean;
  /** Which commits were analysed, in words. */
  range: string;
  /** The git adapter used. */
  gitBackend: string;
  /** Digests of the contract's artifacts now. */
  currentDigests: ArtifactDigests;
  /** Repo-relative artifact paths. */
  artifactPaths: Record<keyof ArtifactDigests, string>;
  /** keel's own files and imported evidence files (never scope findings). */
  ignoredPaths?: string[];
  /** Paths dirty at start and unchanged since (not blamed on the run). */
  preexisting?: string[];
  /** Commits keel's git hooks recorded as bypassed. */
  bypassedCommits?: string[];
}

/**
 * A copy of `report` with a fresh analysis (its state is not changed).
 *
 * @param report The run report (its tests, snapshot, digests and deviations are read).
 * @param facts Git and filesystem facts.
 * @param options `now`: when the analysis is made.
 * @returns The new report.
 */
export function applyAnalysis(
  report: RunReport,
  facts: RunFacts,
  options: { now: Date },
): RunReport {
  const a = analyzeDrift({
    snapshot: report.contract_snapshot,
    startDigests: report.digests,
    currentDigests: facts.currentDigests,
    commits: facts.commits,
    worktree: facts.worktree,
    tests: report.tests,
    baseIsAncestor: facts.baseIsAncestor,
    baseCommit: report.meta.base_commit,
    head: facts.head,
    artifactPaths: facts.artifactPaths,
    ignoredPaths: facts.ignoredPaths ?? [],
    preexisting: facts.preexisting ?? [],
    junitSummaries: (report.imports ?? []).flatMap((i) => (i.unplanned ? [i.unplanned] : [])),
    bypassedCommits: facts.bypassedCommits ?? [],
  });
  const oldKey = new Map(report.findings.map((f) => [f.id, f.key]));
  const newId = new Map(a.findings.map((f) => [f.key, f.id]));
  const deviations: Deviation[] = report.deviations.map((d) => {
    const key = d.finding_key ?? oldKey.get(d.finding_id);
    if (key === undefined) return d;
    const id = newId.get(key);
    return { ...d, finding_id: id ?? d.finding_id, finding_key: key };
  });
  return {
    ...report,
    commits: a.commits,
    files: a.files,
    findings: a.findings,
    deviations,
    verdict: computeVerdict(a.findings, deviations),
    analysis: {
      analyzed_at: options.now.toISOString(),
      head: facts.head,
      base_commit: report.meta.base_commit,
      base_is_ancestor: facts.baseIsAncestor,
      range: facts.range,
      git_backend: facts.gitBackend,
      units: a.units,
      tests: a.tests,
      current_digests: facts.currentDigests,
      worktree: facts.worktree === null ? null : {
        staged: [...facts.worktree.staged],
        unstaged: [...facts.worktree.unstaged],
        untracked: [...facts.worktree.untracked],
      },
      ignored_paths: facts.ignoredPaths ?? [],
      preexisting: facts.preexisting ?? [],
    },
  };
}
