/**
 * run_report.json: the evidence of one run and its drift analysis.
 *
 * @module
 */

import { z } from "zod";
import { DRIFT_CODE_NAMES, FINDING_CODE_NAMES } from "./codes.ts";
import { CommitPlan } from "./commit_plan.ts";
import { Digest, header, Identifier, Timestamp } from "./common.ts";
import { Intent } from "./intent.ts";
import { TestContract } from "./test_contract.ts";

function _finding<C extends readonly [string, ...string[]]>(codes: C) {
  return z.strictObject({
    id: z.string().optional().describe("Stable id within a run report (e.g. F1), for deviations."),
    code: z.enum(codes).describe("Stable SCREAMING_SNAKE code (listed in schemas/codes.ts)."),
    severity: z.enum(["error", "warning", "info"]),
    message: z.string(),
    evidence: z.record(z.string(), z.unknown()).describe(
      "Paths, shas, test ids behind the finding.",
    ),
    location: z.string().optional().describe("Artifact and JSON path the finding is about."),
    key: z.string().optional().describe(
      "Identity of a drift finding across re-analyses (code and subject), so accepted " +
        "deviations follow their finding when ids are renumbered.",
    ),
  });
}

/**
 * A finding: a problem in the input or a drift, as data. Its code is a
 * validation or drift code, or the error code of an unreadable artifact.
 */
export const Finding = _finding(FINDING_CODE_NAMES);

/** A finding of a run report: a drift, whose code is a drift code. */
export const DriftFinding = _finding(DRIFT_CODE_NAMES);

/** One recorded test execution. */
export const TestRecord = z.strictObject({
  test_id: z.string(),
  planned: z.boolean().describe("The test contract defines this id."),
  status: z.enum(["passed", "failed", "skipped", "error", "interrupted"]).describe(
    "interrupted: keel was told to stop (SIGINT/SIGTERM) while the command ran.",
  ),
  source: z.enum(["exec", "manual", "junit", "record"]).describe(
    "Provenance: exec (keel ran the command), junit (an imported report), manual (a claim made " +
      "with `keel run record`; older reports say record).",
  ),
  at: Timestamp,
  exit_code: z.number().int().nullable().optional(),
  duration_ms: z.number().nullable().optional(),
  command: z.array(z.string()).nullable().optional(),
  evidence: z.string().nullable().optional().describe("Evidence file, relative to the run dir."),
  output_truncated: z.boolean().optional(),
  note: z.string().nullable().optional(),
  reason: z.string().nullable().optional().describe("Why the test errored or failed."),
  junit: z.strictObject({
    classname: z.string().nullable(),
    name: z.string(),
    file: z.string().nullable().optional(),
    outcome: z.enum(["passed", "failure", "error", "skipped"]),
    time_s: z.number().nullable().optional(),
  }).optional(),
  batch: z.string().optional().describe(
    "Records written together (one exec, one record, one JUnit import) share a batch id; " +
      "a planned test's outcome is taken from its latest batch.",
  ),
  output_bytes: z.number().int().optional().describe("Total bytes of output the command wrote."),
  sha256: z.string().nullable().optional().describe(
    "sha256 of the evidence file as written (checked by `keel verify`).",
  ),
  contract_command: z.array(z.string()).nullable().optional().describe(
    "The contract's command for this test, split into argv, when it has one.",
  ),
  testcases: z.number().int().optional().describe(
    "JUnit: how many testcases this record stands for (the worst one is shown).",
  ),
});

/** One commit the run made. */
export const CommitRecord = z.strictObject({
  sha: z.string(),
  subject: z.string(),
  files: z.array(z.string()),
  unit: z.string().nullable().describe("The plan unit the commit belongs to, or null."),
  matched_by: z.enum(["trailer", "files"]).nullable().describe("Which rule matched the unit."),
  parents: z.array(z.string()).optional().describe("Parent shas."),
  trailer_unit: z.string().nullable().optional().describe("The Keel-Unit trailer's value, if any."),
  units: z.array(z.string()).optional().describe(
    "Every planned unit the commit's Keel-Unit trailers credit, when more than one.",
  ),
  matched_files: z.number().int().optional().describe(
    "With matched_by files: how many of the commit's files the unit's globs match.",
  ),
  keel_only: z.boolean().optional().describe(
    "The commit touches only keel's own state under .keel/ (never counted as drift).",
  ),
  renames: z.array(z.strictObject({ from: z.string(), to: z.string() })).optional(),
});

/** The plan against what happened, per unit. */
export const UnitOutcome = z.strictObject({
  id: z.string(),
  commits: z.array(z.string()).describe("Shas of the commits matched to the unit, oldest first."),
  status: z.enum(["landed", "missing"]),
});

/** A test's outcome: from its latest batch of records, `not_run` when none. */
export const TestOutcome = z.strictObject({
  test_id: z.string(),
  planned: z.boolean(),
  required: z.boolean(),
  gate: z.enum(["finish", "advisory"]).nullable(),
  status: z.enum(["passed", "failed", "error", "interrupted", "skipped", "not_run"]),
  records: z.number().int(),
  source: z.enum(["exec", "manual", "junit", "record"]).nullable().optional().describe(
    "Provenance of the deciding batch (null when not run).",
  ),
});

/** How the last analysis was made. */
export const Analysis = z.strictObject({
  analyzed_at: Timestamp,
  head: z.string().nullable(),
  base_commit: z.string().nullable(),
  base_is_ancestor: z.boolean(),
  range: z.string().describe(
    "The commits analysed: 'base..HEAD' (when the base is no longer an ancestor this is every " +
      "commit of HEAD since the merge-base), or why none could be.",
  ),
  git_backend: z.string(),
  units: z.array(UnitOutcome).describe("Planned units against the commits matched to them."),
  tests: z.array(TestOutcome).describe("Planned tests (contract order), then unplanned ones."),
  current_digests: z.strictObject({
    intent: Digest.nullable(),
    tests: Digest.nullable(),
    plan: Digest.nullable(),
  }).optional().describe("The contract's digests when the analysis was made."),
  worktree: z.strictObject({
    staged: z.array(z.string()),
    unstaged: z.array(z.string()),
    untracked: z.array(z.string()),
  }).nullable().optional().describe("Uncommitted changes seen by the analysis."),
  ignored_paths: z.array(z.string()).optional().describe(
    "keel's own files and imported evidence files the analysis left out.",
  ),
  preexisting: z.array(z.string()).optional().describe(
    "Paths dirty at start and unchanged at the analysis (listed, not blamed).",
  ),
});

/** One file the run touched. */
export const FileRecord = z.strictObject({
  path: z.string(),
  source: z.enum(["committed", "staged", "unstaged", "untracked"]),
  in_scope: z.boolean().describe("Matched by allowed_files."),
  forbidden: z.boolean().describe("Matched by forbidden_files."),
  sources: z.array(z.enum(["committed", "staged", "unstaged", "untracked"])).optional()
    .describe("Every way the file was touched (source is the first of these)."),
  commits: z.array(z.string()).optional().describe("Shas of the commits that touched the file."),
  preexisting: z.boolean().optional().describe(
    "Already dirty or untracked at run start and unchanged since: not blamed on the run.",
  ),
});

/** An accepted deviation. */
export const Deviation = z.strictObject({
  finding_id: z.string(),
  code: z.enum(DRIFT_CODE_NAMES).describe("The accepted finding's code."),
  finding_key: z.string().optional().describe(
    "The accepted finding's key; a re-analysis moves the deviation to the finding with this key.",
  ),
  why: z.string().min(1),
  by: z.string().min(1),
  at: Timestamp,
});

/** A path that was already dirty or untracked when the run started. */
export const PreexistingPath = z.strictObject({
  path: z.string(),
  state: z.enum(["staged", "unstaged", "untracked"]),
  sha256: z.string().nullable().describe(
    "sha256 of the file at start (null: absent or unreadable).",
  ),
});

/** An evidence file imported into the run (a JUnit report). */
export const ImportedEvidence = z.strictObject({
  path: z.string().describe("Where it was read, repo-relative (absolute when outside)."),
  evidence: z.string().describe("The copy kept in the run folder, relative to the run dir."),
  sha256: z.string().describe("sha256 of the copy."),
  batch: z.string(),
  detail: z.string().nullable().optional().describe(
    "Per-testcase records (JSON lines) kept beside the copy, relative to the run dir.",
  ),
  detail_sha256: z.string().nullable().optional(),
  unplanned: z.strictObject({
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    error: z.number().int(),
    skipped: z.number().int(),
    sample: z.array(z.string()).describe("The first unplanned testcase names (failing first)."),
  }).optional().describe("Testcases matching no planned test (summarised, not listed)."),
});

/** A note recorded against a run (rework cycles, post-merge defects). */
export const RunNote = z.strictObject({ note: z.string().min(1), at: Timestamp });

/** run_report.json */
export const RunReport = z.strictObject({
  ...header("run_report"),
  run_id: z.string().describe("ULID of the run."),
  contract: Identifier,
  state: z.enum(["running", "finished"]),
  digests: z.strictObject({ intent: Digest, tests: Digest, plan: Digest }).describe(
    "Digests of the three artifacts at run start.",
  ),
  contract_snapshot: z.strictObject({
    intent: Intent,
    tests: TestContract,
    plan: CommitPlan,
  }).describe("The approved artifacts as they were at run start."),
  meta: z.strictObject({
    branch: z.string().nullable(),
    worktree: z.string(),
    base_commit: z.string().nullable(),
    session_id: z.string(),
    agent: z.string().nullable(),
    host: z.string(),
    pid: z.number().int(),
    started_at: Timestamp,
    finished_at: Timestamp.nullable(),
    keel_version: z.string(),
    git_backend: z.string().optional(),
    gitattributes_sha256: z.string().nullable().optional().describe(
      "sha256 of .gitattributes at start without keel's own line (null: absent), so a change " +
        "that is only keel's line is never blamed on the run.",
    ),
    mission: z.strictObject({
      slug: z.string(),
      mission_id: z.string().nullable(),
      wp_id: z.string(),
      lane_id: z.string().nullable(),
    }).optional().describe(
      "The spec-kitty mission, WP and lane the run works on (runs started by implement --run).",
    ),
  }),
  tests: z.array(TestRecord),
  commits: z.array(CommitRecord),
  files: z.array(FileRecord),
  findings: z.array(DriftFinding),
  deviations: z.array(Deviation),
  rework: z.array(RunNote).optional(),
  defects: z.array(RunNote).optional(),
  verdict: z.enum(["aligned", "drifted"]).nullable(),
  analysis: Analysis.optional().describe("How the findings were computed (set by run finish)."),
  preexisting: z.array(PreexistingPath).optional().describe(
    "Paths already dirty or untracked at run start (not blamed on the run unless changed further).",
  ),
  imports: z.array(ImportedEvidence).optional().describe("Evidence files imported into the run."),
  seal: z.string().optional().describe(
    "sha256 over the report's evidence (everything but deviations, verdict, rework, defects and " +
      "seal), written by run finish and checked by `keel verify`.",
  ),
}).meta({ title: "keel run report", description: "Evidence of one run and its drift analysis." });

/** run_report.json's type. */
export type RunReport = z.infer<typeof RunReport>;
/** A finding's type. */
export type Finding = z.infer<typeof Finding>;
/** A run report finding's type (a drift finding). */
export type DriftFinding = z.infer<typeof DriftFinding>;
/** A test record's type. */
export type TestRecord = z.infer<typeof TestRecord>;
/** A commit record's type. */
export type CommitRecord = z.infer<typeof CommitRecord>;
/** A file record's type. */
export type FileRecord = z.infer<typeof FileRecord>;
/** An accepted deviation's type. */
export type Deviation = z.infer<typeof Deviation>;
/** A unit outcome's type. */
export type UnitOutcome = z.infer<typeof UnitOutcome>;
/** The analysis block's type. */
export type Analysis = z.infer<typeof Analysis>;
/** A pre-existing path's type. */
export type PreexistingPath = z.infer<typeof PreexistingPath>;
/** An imported evidence file's type. */
export type ImportedEvidence = z.infer<typeof ImportedEvidence>;
/** A test outcome's type. */
export type TestOutcome = z.infer<typeof TestOutcome>;
