/**
 * Drift analysis: the approved contract (as snapshotted at run start)
 * against what the run did — commits, touched files, recorded tests and the
 * contract's current digests. Pure: git and the filesystem are read by the
 * caller.
 *
 * @module
 */

import { DRIFT_CODES, type DriftCode } from "./codes.ts";
import type {
  CommitPlan,
  CommitRecord,
  DriftFinding,
  FileRecord,
  Intent,
  TestContract,
  TestOutcome,
  TestRecord,
  UnitOutcome,
} from "../../schemas/mod.ts";
import { sameCommand } from "../util/mod.ts";
import { compileGlobs, type GlobMatcher } from "../glob/mod.ts";
import { isKeelPath } from "../layout/mod.ts";
import { scopeClassifier } from "./scope.ts";

/** A commit as the analysis needs it (the git port's `CommitInfo` fits). */
export interface DriftCommit {
  sha: string;
  parents: readonly string[];
  subject: string;
  trailers: Readonly<Record<string, readonly string[]>>;
  files: readonly { path: string; status: string; oldPath?: string | undefined }[];
}

/** Uncommitted changes, as repo-relative paths. */
export interface DriftWorktree {
  staged: readonly string[];
  unstaged: readonly string[];
  untracked: readonly string[];
}

/** The three artifact digests (null: the artifact cannot be read now). */
export interface ArtifactDigests {
  intent: string | null;
  tests: string | null;
  plan: string | null;
}

/** Input of {@link analyzeDrift}. */
export interface DriftInput {
  /** The contract as approved at run start. */
  snapshot: { intent: Intent; tests: TestContract; plan: CommitPlan };
  /** Digests at run start. */
  startDigests: ArtifactDigests;
  /** Digests now. */
  currentDigests: ArtifactDigests;
  /** Commits `base..HEAD`, oldest first. */
  commits: readonly DriftCommit[];
  /** Uncommitted changes (null when not collected). */
  worktree: DriftWorktree | null;
  /** Recorded tests, in the order they were recorded. */
  tests: readonly TestRecord[];
  /** Whether the base commit is still an ancestor of HEAD. */
  baseIsAncestor: boolean;
  /** The base commit (for evidence). */
  baseCommit?: string | null;
  /** HEAD (for evidence). */
  head?: string | null;
  /** Repo-relative artifact paths (for evidence). */
  artifactPaths?: Partial<Record<keyof ArtifactDigests, string>>;
  /**
   * Paths that are keel's own (the attribute line keel wrote) or evidence
   * files imported into the run: never touched files, never findings.
   */
  ignoredPaths?: readonly string[];
  /**
   * Paths already dirty or untracked at run start and unchanged since: their
   * uncommitted state is listed as pre-existing, never blamed on the run.
   */
  preexisting?: readonly string[];
  /** Unplanned JUnit testcases of large imports, summarised (not in `tests`). */
  junitSummaries?: readonly { total: number; sample: readonly string[] }[];
  /** Commits keel's git hooks recorded as made without them (`--no-verify`). */
  bypassedCommits?: readonly string[];
}

/** Result of {@link analyzeDrift}. */
export interface DriftAnalysis {
  /** Findings with ids F1, F2, … in a deterministic order. */
  findings: DriftFinding[];
  /** Each commit with its matched unit and rule. */
  commits: CommitRecord[];
  /** Each touched file with its scope. */
  files: FileRecord[];
  /** Each planned unit with its commits. */
  units: UnitOutcome[];
  /** Each planned test (contract order), then each unplanned one (first-recorded order). */
  tests: TestOutcome[];
}

/** The default severity of each drift code (from {@link DRIFT_CODES}). */
export const DRIFT_SEVERITY: Readonly<Record<DriftCode, "error" | "warning">> = Object.fromEntries(
  Object.entries(DRIFT_CODES).map(([c, info]) => [c, info.severity]),
) as Record<DriftCode, "error" | "warning">;

/** The order findings are listed (and numbered) in. */
export const DRIFT_CODE_ORDER: readonly DriftCode[] = Object.keys(DRIFT_CODES) as DriftCode[];

/**
 * Compare the approved contract with what the run did.
 *
 * Rules (each finding's evidence names the paths, shas or test ids):
 * - a commit belongs to every unit its `Keel-Unit` trailers name (a name the
 *   plan does not have is a finding); without a trailer naming a planned unit, to the unit whose globs match most of its
 *   files (ties: plan order); with none, it is unplanned. Commits that touch
 *   nothing outside `.keel/` are never unplanned.
 * - every touched file (committed, staged, unstaged, untracked; renames count
 *   both paths) is checked against `forbidden_files`, then `allowed_files`.
 * - a planned test's outcome is its latest batch of records (an exec, a
 *   record, or one JUnit import); `skipped` counts as not run. An exec whose
 *   argv is not the contract's command is `TEST_COMMAND_MISMATCH`; a required
 *   test passed only by a manual record is `TEST_EVIDENCE_SELF_REPORTED`
 *   (both errors under `"evidence": "executed"`).
 *
 * @param input Contract snapshot, git facts and recorded tests.
 * @returns Findings, commits, files, unit and test outcomes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeDrift } from "./analyze_drift.ts";
 * const approval = { state: "approved" as const, by: "me", at: null, digest: null, checklist: [] };
 * const d = { intent: "a", tests: "b", plan: "c" };
 * const r = analyzeDrift({
 *   snapshot: {
 *     intent: { schema_version: 1, goal: "g", constraints: [], allowed_files: ["src/**"],
 *       forbidden_files: [], risk_level: "low", domain: "x", approval },
 *     tests: { schema_version: 1, tests: [], approval },
 *     plan: { schema_version: 1, units: [], approval },
 *   },
 *   startDigests: d, currentDigests: d, commits: [], tests: [], baseIsAncestor: true,
 *   worktree: { staged: [], unstaged: [], untracked: ["docs/x.md"] },
 * });
 * assert(r.findings[0]!.code === "SCOPE_FILE_OUTSIDE_ALLOWED");
 * ```
 */
export function analyzeDrift(input: DriftInput): DriftAnalysis {
  const { intent, tests: testContract, plan } = input.snapshot;
  const units = plan.units;
  const unitIds = new Set(units.map((u) => u.id));
  const unitMatchers = new Map<string, GlobMatcher>(
    units.map((u) => [u.id, compileGlobs(u.files)]),
  );
  const found: Record<DriftCode, DriftFinding[]> = Object.fromEntries(
    DRIFT_CODE_ORDER.map((c) => [c, [] as DriftFinding[]]),
  ) as unknown as Record<DriftCode, DriftFinding[]>;
  const add = (
    code: DriftCode,
    subject: string,
    message: string,
    evidence: DriftFinding["evidence"],
  ) => {
    found[code].push({
      code,
      severity: DRIFT_SEVERITY[code],
      message,
      evidence,
      key: `${code}:${subject}`,
    });
  };

  // History.
  if (!input.baseIsAncestor) {
    add(
      "BASE_NOT_ANCESTOR",
      input.baseCommit ?? "",
      `The run's base commit ${_short(input.baseCommit)} is no longer an ancestor of HEAD ` +
        `${_short(input.head)} (history was rewritten); the commits analysed are those of HEAD ` +
        `since the merge-base`,
      { base_commit: input.baseCommit ?? null, head: input.head ?? null },
    );
  }

  // Contract changes.
  for (const kind of ["intent", "tests", "plan"] as const) {
    const before = input.startDigests[kind];
    const now = input.currentDigests[kind];
    if (before === now) continue;
    const path = input.artifactPaths?.[kind] ?? kind;
    add(
      "CONTRACT_CHANGED_DURING_RUN",
      kind,
      now === null
        ? `${path} can no longer be read; the run was analysed against the contract approved at start`
        : `${path} changed during the run; the run was analysed against the contract approved at start`,
      { artifact: kind, path, digest_at_start: before, digest_now: now },
    );
  }

  // Commits → units.
  const commitRecords: CommitRecord[] = [];
  const firstIndex = new Map<string, number>();
  const unitCommits = new Map<string, string[]>(units.map((u) => [u.id, []]));
  const touched = new Map<string, { sources: Set<FileRecord["source"]>; commits: string[] }>();
  const ignored = new Set(input.ignoredPaths ?? []);
  const skip = (p: string) => isKeelPath(p) || ignored.has(p);
  const preexisting = new Set(input.preexisting ?? []);
  const preexistingSeen = new Map<string, Set<FileRecord["source"]>>();
  const touch = (path: string, source: FileRecord["source"], sha?: string) => {
    if (skip(path)) return;
    if (source !== "committed" && preexisting.has(path)) {
      let seen = preexistingSeen.get(path);
      if (!seen) preexistingSeen.set(path, seen = new Set());
      seen.add(source);
      return;
    }
    let t = touched.get(path);
    if (!t) touched.set(path, t = { sources: new Set(), commits: [] });
    t.sources.add(source);
    if (sha !== undefined && t.commits.at(-1) !== sha) t.commits.push(sha);
  };
  input.commits.forEach((c, index) => {
    const all: string[] = [];
    const renames: { from: string; to: string }[] = [];
    for (const f of c.files) {
      if (f.oldPath !== undefined && f.oldPath !== f.path) {
        all.push(f.oldPath);
        renames.push({ from: f.oldPath, to: f.path });
      }
      all.push(f.path);
    }
    const paths = _unique(all.filter((p) => !skip(p)));
    for (const p of _unique(all)) touch(p, "committed", c.sha);
    const keelOnly = paths.length === 0 && all.length > 0;
    const trailer = _trailerUnit(c.trailers);
    const credited = _unique(trailer.filter((t) => unitIds.has(t)));
    const unknownTrailers = _unique(trailer.filter((t) => !unitIds.has(t)));
    let unit: string | null = null;
    let matchedBy: CommitRecord["matched_by"] = null;
    let matchedFiles: number | undefined;
    if (credited.length > 0) {
      unit = credited[0]!;
      matchedBy = "trailer";
    } else if (paths.length > 0) {
      let best = 0;
      for (const u of units) {
        const m = unitMatchers.get(u.id)!;
        const n = paths.reduce((k, p) => k + (m(p) ? 1 : 0), 0);
        if (n > best) {
          best = n;
          unit = u.id;
        }
      }
      if (unit !== null) {
        matchedBy = "files";
        matchedFiles = best;
      }
    }
    const record: CommitRecord = {
      sha: c.sha,
      subject: c.subject,
      files: paths,
      unit,
      matched_by: matchedBy,
      parents: [...c.parents],
      trailer_unit: trailer[0] ?? null,
    };
    if (matchedFiles !== undefined) record.matched_files = matchedFiles;
    if (keelOnly) record.keel_only = true;
    if (renames.length > 0) record.renames = renames;
    if (credited.length > 1) record.units = credited;
    commitRecords.push(record);
    if (unit !== null) {
      const mine = credited.length > 0 ? credited : [unit];
      for (const u of mine) {
        unitCommits.get(u)!.push(c.sha);
        if (!firstIndex.has(u)) firstIndex.set(u, index);
      }
      const ms = mine.map((u) => unitMatchers.get(u)!);
      const outside = paths.filter((p) => !ms.some((m) => m(p)));
      if (outside.length > 0) {
        const label = mine.join(", ");
        add(
          "PLAN_COMMIT_OUTSIDE_UNIT",
          c.sha,
          `Commit ${_short(c.sha)} "${c.subject}" (unit ${label}) touches files outside the ` +
            `unit's globs: ${_list(outside)}`,
          {
            sha: c.sha,
            unit,
            ...(mine.length > 1 ? { units: mine } : {}),
            paths: outside,
            unit_files: units.filter((u) => mine.includes(u.id)).flatMap((u) => u.files),
          },
        );
      }
      if (unknownTrailers.length > 0) {
        add(
          "PLAN_TRAILER_UNKNOWN_UNIT",
          c.sha,
          `Commit ${_short(c.sha)} "${c.subject}" has Keel-Unit trailer(s) naming ` +
            `${unknownTrailers.join(", ")}, which the plan does not have (credited to ${
              mine.join(", ")
            })`,
          { sha: c.sha, unknown: unknownTrailers, credited: mine },
        );
      }
    } else if (paths.length > 0) {
      add(
        "PLAN_COMMIT_UNPLANNED",
        c.sha,
        `Commit ${_short(c.sha)} "${c.subject}" matches no plan unit` +
          (trailer.length > 0
            ? ` (its Keel-Unit trailer names ${trailer.join(", ")}, which the plan does not have)`
            : ` (no Keel-Unit trailer, and no unit's files match ${_list(paths)})`),
        { sha: c.sha, subject: c.subject, paths, trailer_unit: trailer[0] ?? null },
      );
    }
  });

  // Units.
  const unitOutcomes: UnitOutcome[] = units.map((u) => {
    const shas = unitCommits.get(u.id)!;
    return { id: u.id, commits: shas, status: shas.length > 0 ? "landed" : "missing" };
  });
  for (const u of unitOutcomes) {
    if (u.status === "missing") {
      const unit = units.find((x) => x.id === u.id)!;
      add("PLAN_UNIT_MISSING", u.id, `Planned unit ${u.id} ("${unit.summary}") has no commit`, {
        unit: u.id,
        files: unit.files,
      });
    }
  }
  for (const u of units) {
    const mine = firstIndex.get(u.id);
    if (mine === undefined) continue;
    for (const dep of u.depends_on) {
      const theirs = firstIndex.get(dep);
      if (theirs === undefined || theirs < mine) continue;
      add(
        "PLAN_UNIT_OUT_OF_ORDER",
        `${u.id}<${dep}`,
        `Unit ${u.id} landed (commit ${_short(input.commits[mine]!.sha)}) before unit ${dep} ` +
          `it depends on (first commit ${_short(input.commits[theirs]!.sha)})`,
        {
          unit: u.id,
          depends_on: dep,
          unit_first_commit: input.commits[mine]!.sha,
          dependency_first_commit: input.commits[theirs]!.sha,
        },
      );
    }
  }

  // Uncommitted changes.
  const wt = input.worktree;
  if (wt) {
    for (const p of wt.staged) touch(p, "staged");
    for (const p of wt.unstaged) touch(p, "unstaged");
    for (const p of wt.untracked) touch(p, "untracked");
    const blamed = (p: string) => !skip(p) && !preexisting.has(p);
    const staged = _sorted(_unique(wt.staged.filter(blamed)));
    const unstaged = _sorted(_unique(wt.unstaged.filter(blamed)));
    const untracked = _sorted(_unique(wt.untracked.filter(blamed)));
    const n = staged.length + unstaged.length + untracked.length;
    if (n > 0) {
      add(
        "WORKTREE_UNCOMMITTED",
        "",
        `The worktree has uncommitted changes: ` +
          [
            staged.length ? `${staged.length} staged` : "",
            unstaged.length ? `${unstaged.length} unstaged` : "",
            untracked.length ? `${untracked.length} untracked` : "",
          ].filter(Boolean).join(", ") +
          ` (${_list(_sorted(_unique([...staged, ...unstaged, ...untracked])))})`,
        { staged, unstaged, untracked },
      );
    }
  }

  // Commits made without keel's hooks.
  const bypassed = new Set(input.bypassedCommits ?? []);
  for (const c of commitRecords) {
    if (!bypassed.has(c.sha) || c.keel_only) continue;
    add(
      "GUARD_HOOK_BYPASSED",
      c.sha,
      `Commit ${_short(c.sha)} "${c.subject}" was made with keel's commit hooks bypassed ` +
        `(--no-verify); its files were not checked before the commit`,
      { sha: c.sha, subject: c.subject, paths: c.files },
    );
  }

  // Files → scope.
  const classify = scopeClassifier(intent);
  const order: FileRecord["source"][] = ["committed", "staged", "unstaged", "untracked"];
  const files: FileRecord[] = [];
  for (const path of _sorted([...touched.keys()])) {
    const t = touched.get(path)!;
    const sources = order.filter((s) => t.sources.has(s));
    const scope = classify(path);
    const inScope = scope.in_allowed;
    const forbiddenBy = scope.pattern;
    const rec: FileRecord = {
      path,
      source: sources[0]!,
      in_scope: inScope,
      forbidden: forbiddenBy !== null,
      sources,
    };
    if (t.commits.length > 0) rec.commits = t.commits;
    files.push(rec);
    if (forbiddenBy === null && inScope) continue;
    const how = sources.map((s) =>
      s === "committed" ? `committed in ${t.commits.map(_short).join(", ")}` : s
    )
      .join("; ") +
      (t.commits.some((c) => bypassed.has(c)) ? "; keel's commit hooks were bypassed" : "");
    if (forbiddenBy !== null) {
      add(
        "SCOPE_FILE_FORBIDDEN",
        path,
        `${path} is forbidden by "${forbiddenBy}" (${how})`,
        { path, pattern: forbiddenBy, sources, commits: t.commits },
      );
    } else if (!inScope) {
      add(
        "SCOPE_FILE_OUTSIDE_ALLOWED",
        path,
        `${path} is outside allowed_files (${how})`,
        { path, allowed_files: intent.allowed_files, sources, commits: t.commits },
      );
    }
  }

  for (const [path, seen] of preexistingSeen) {
    if (touched.has(path)) continue;
    const sources = order.filter((s) => seen.has(s));
    const scope = classify(path);
    files.push({
      path,
      source: sources[0]!,
      in_scope: scope.in_allowed,
      forbidden: scope.pattern !== null,
      sources,
      preexisting: true,
    });
  }
  // Touched paths are already in order; only pre-existing ones are appended out of it.
  if (preexistingSeen.size > 0) {
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  // Tests.
  const outcomes = testOutcomes(testContract, input.tests);
  const plannedById = new Map(testContract.tests.map((t) => [t.id, t]));
  for (const o of outcomes) {
    if (!o.planned) continue;
    const last = _lastRecord(input.tests, o.test_id);
    if (o.required && (o.status === "not_run" || o.status === "skipped")) {
      add(
        "TEST_REQUIRED_NOT_RUN",
        o.test_id,
        o.status === "skipped"
          ? `Required test ${o.test_id} was skipped`
          : `Required test ${o.test_id} was not run`,
        { test_id: o.test_id, status: o.status },
      );
    } else if (o.status === "failed" || o.status === "error" || o.status === "interrupted") {
      const f: DriftFinding = {
        code: "TEST_REQUIRED_FAILED",
        severity: o.gate === "advisory" ? "warning" : "error",
        message: `Test ${o.test_id} ${
          o.status === "error"
            ? "errored"
            : o.status === "interrupted"
            ? "was interrupted"
            : "failed"
        }` +
          (last?.reason ? `: ${last.reason}` : "") +
          (o.gate === "advisory" ? " (advisory gate)" : ""),
        evidence: {
          test_id: o.test_id,
          status: o.status,
          gate: o.gate,
          exit_code: last?.exit_code ?? null,
          evidence: last?.evidence ?? null,
        },
        key: `TEST_REQUIRED_FAILED:${o.test_id}`,
      };
      found.TEST_REQUIRED_FAILED.push(f);
    }
    const test = plannedById.get(o.test_id)!;
    const strict = test.evidence === "executed";
    const batch = _latestBatch(input.tests, o.test_id);
    if (test.command !== undefined) {
      const other = batch.filter((r) =>
        r.source === "exec" && r.command && !sameCommand(r.command, test.command!)
      );
      if (other.length > 0) {
        found.TEST_COMMAND_MISMATCH.push({
          code: "TEST_COMMAND_MISMATCH",
          severity: strict ? "error" : "warning",
          message: `Test ${o.test_id} was run as ${JSON.stringify(other[0]!.command)}, not the ` +
            `contract's command ${JSON.stringify(test.command)}` +
            (strict ? ` (the test requires executed evidence)` : ""),
          evidence: {
            test_id: o.test_id,
            command: other[0]!.command ?? null,
            contract_command: test.command,
            evidence: other[0]!.evidence ?? null,
            required_evidence: test.evidence ?? "any",
          },
          key: `TEST_COMMAND_MISMATCH:${o.test_id}`,
        });
      }
    }
    if (
      o.required && o.status === "passed" && batch.length > 0 &&
      batch.every((r) => r.source === "manual" || r.source === "record")
    ) {
      found.TEST_EVIDENCE_SELF_REPORTED.push({
        code: "TEST_EVIDENCE_SELF_REPORTED",
        severity: strict ? "error" : "warning",
        message:
          `Required test ${o.test_id} passed only by a manual record (\`keel run record\`), ` +
          `not by a command keel ran or a JUnit report` +
          (strict ? ` (the test requires executed evidence)` : ""),
        evidence: {
          test_id: o.test_id,
          note: batch.at(-1)!.note ?? null,
          required_evidence: test.evidence ?? "any",
        },
        key: `TEST_EVIDENCE_SELF_REPORTED:${o.test_id}`,
      });
    }
  }
  const junitUnplanned: string[] = [];
  for (const o of outcomes) {
    if (o.planned) continue;
    const recs = input.tests.filter((r) => r.test_id === o.test_id);
    if (recs.every((r) => r.source === "junit")) {
      junitUnplanned.push(o.test_id);
      continue;
    }
    add(
      "TEST_UNPLANNED",
      o.test_id,
      `Test ${o.test_id} is not in the test contract (recorded ${o.records}×, last ${o.status})`,
      { test_id: o.test_id, status: o.status },
    );
  }
  const summarised = (input.junitSummaries ?? []).reduce((n, x) => n + x.total, 0);
  if (junitUnplanned.length + summarised > 0) {
    const names = [...junitUnplanned, ...(input.junitSummaries ?? []).flatMap((x) => x.sample)];
    const total = junitUnplanned.length + summarised;
    add(
      "TEST_UNPLANNED",
      "junit",
      `${total} JUnit testcase(s) match no junit_name of the test contract ` +
        `(${names.slice(0, 5).join(", ")}${total > 5 ? ` and ${total - 5} more` : ""})`,
      summarised > 0 ? { test_ids: names, total } : { test_ids: junitUnplanned },
    );
  }

  const findings = DRIFT_CODE_ORDER.flatMap((c) => found[c]).map((f, i) => ({
    id: `F${i + 1}`,
    ...f,
  }));
  return { findings, commits: commitRecords, files, units: unitOutcomes, tests: outcomes };
}

/**
 * The outcome of every test: planned ones in contract order, then unplanned
 * ones in the order first recorded. A test's status comes from its latest
 * batch of records (records sharing a `batch`, or a single unbatched
 * record): `error` if any errored, else `failed` if any failed, else
 * `passed` if any passed, else `skipped`.
 *
 * @param contract The test contract.
 * @param records Recorded tests, in record order.
 * @returns The outcomes.
 */
export function testOutcomes(
  contract: TestContract,
  records: readonly TestRecord[],
): TestOutcome[] {
  const byId = new Map<string, { rec: TestRecord; batch: string }[]>();
  records.forEach((r, i) => {
    let list = byId.get(r.test_id);
    if (!list) byId.set(r.test_id, list = []);
    list.push({ rec: r, batch: r.batch ?? `#${i}` });
  });
  const statusOf = (id: string): TestOutcome["status"] => {
    const list = byId.get(id);
    if (!list || list.length === 0) return "not_run";
    const batch = list.at(-1)!.batch;
    const st = new Set(list.filter((x) => x.batch === batch).map((x) => x.rec.status));
    if (st.has("error")) return "error";
    if (st.has("interrupted")) return "interrupted";
    if (st.has("failed")) return "failed";
    if (st.has("passed")) return "passed";
    return "skipped";
  };
  const planned = new Set(contract.tests.map((t) => t.id));
  const out: TestOutcome[] = contract.tests.map((t) => ({
    test_id: t.id,
    planned: true,
    required: t.required,
    gate: t.gate,
    status: statusOf(t.id),
    records: byId.get(t.id)?.length ?? 0,
    source: byId.get(t.id)?.at(-1)?.rec.source ?? null,
  }));
  for (const [id, list] of byId) {
    if (planned.has(id)) continue;
    out.push({
      test_id: id,
      planned: false,
      required: false,
      gate: null,
      status: statusOf(id),
      records: list.length,
      source: list.at(-1)!.rec.source,
    });
  }
  return out;
}

function _trailerUnit(trailers: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const [k, values] of Object.entries(trailers)) {
    if (k.toLowerCase() !== "keel-unit") continue;
    for (const v of values) {
      const t = v.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

function _latestBatch(records: readonly TestRecord[], id: string): TestRecord[] {
  let batch: string | undefined;
  const out: TestRecord[] = [];
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.test_id !== id) continue;
    const b = r.batch ?? `#${i}`;
    if (batch === undefined) batch = b;
    if (b !== batch) break;
    out.push(r);
  }
  return out.reverse();
}

function _lastRecord(records: readonly TestRecord[], id: string): TestRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (
      r.test_id === id &&
      (r.status === "failed" || r.status === "error" || r.status === "interrupted")
    ) {
      return r;
    }
  }
  return undefined;
}

function _short(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 12) : "(none)";
}

function _unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** Sort in UTF-16 code unit order (the default sort's order for strings, without a callback). */
function _sorted(xs: string[]): string[] {
  return xs.sort();
}

function _list(xs: readonly string[], max = 5): string {
  return xs.length <= max
    ? xs.join(", ")
    : `${xs.slice(0, max).join(", ")} and ${xs.length - max} more`;
}

export type { DriftCode };
